"""Our Cairo trace layout: one row per Cairo step, T = n_steps rows (a power of two).

Why this shape: every CPU quantity of a step sits in one row, so each CPU constraint reads only
"this row" and "the next row"; the memory and range-check sub-traces, which have more cells
than steps, use several columns per row instead of several rows per step, and their sorted
copies run across the columns of a row, then on to the next row. Every constraint has
degree <= 2 (the permutation products are chained through one auxiliary column per slot).

Main columns, per row i (one Cairo step):
- CPU: pc, ap, fp, inst; the biased offsets off~dst, off~op0, off~op1 (each in [0, 2^16));
  the flag prefixes f~_0 .. f~_15 (decode.py); dst_addr, dst, op0_addr, op0, op1_addr, op1,
  res, t0 = f_PC_JNZ·dst, t1 = t0·res, mul = op0·op1.
- One extra memory access (mx_addr, mx_val). When the program uses the range_check builtin, on
  rows 8j it is range_check builtin cell j: (rc_begin + j, value_j). On the other rows (all rows
  when it does not) it carries, in order: one (0, 0) dummy per public memory cell (the paper's
  public memory trick), the memory holes (address, 0), and padding: a repeat of the row's own
  instruction fetch (pc, inst).
- rc_limb: on rows 8j .. 8j+7, the 16-bit limbs of range_check cell j, little-endian
  (value_j = Σ_t limb_t·2^(16t)).
- sorted memory: MEM_SLOTS (address, value) pairs; element index row·MEM_SLOTS + slot.
- rc_fill_0 .. rc_fill_(E-1): fill values, so that the sorted range-check values step by 0 or 1
  from rc_min to rc_max; E (n_rc_fill) is a public parameter of the statement.
- sorted range-check values: RC_SLOTS = 4 + E per row, element index row·RC_SLOTS + slot.

Unsorted memory slots per row: (pc, inst), (dst_addr, dst), (op0_addr, op0), (op1_addr, op1),
(mx_addr, mx_val). Unsorted range-check slots: off~dst, off~op0, off~op1, rc_limb, the fills.

Aux columns (after the challenges z, alpha for memory and z_rc for range checks): one running
product per memory slot (mem_prod_0..4) and per range-check slot (rc_prod_0..).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

N_FLAG_PREFIXES = 16
MEM_SLOTS = 5
RC_FIXED_SLOTS = 4  # the three offsets and the range_check builtin limb
RC_BUILTIN_RATIO = 8  # one range_check builtin cell per 8 rows (as the small layout)
RC_LIMBS = 8
RC_LIMB_BITS = 16
# The numbers of range-check fill columns the on-chain verifier has an AIR for (one generated
# contract each): build_trace rounds the count a run needs up to the next of these.
SUPPORTED_RC_FILL = (1, 2, 4, 8, 16)

# cairo-lang's `small` layout (instances.py): its builtins in the order the runner lays out their
# pointers on main's stack and their segments in memory. A program uses a subsequence of them.
LAYOUT_NAME = "small"
LAYOUT_BUILTINS = ("output", "pedersen", "range_check", "ecdsa")
# The builtins this AIR implements. A builtin with cells in the trace (a lane) has one cell per
# `ratio` rows and so room for trace_length / ratio cells; the output builtin has none (its cells
# are public memory).
IMPLEMENTED_BUILTINS = ("output", "range_check")
BUILTIN_RATIOS = {"range_check": RC_BUILTIN_RATIO}

# CPU columns.
PC, AP, FP, INST, OFF_DST, OFF_OP0, OFF_OP1 = range(7)
FLAG_PREFIX = 7  # f~_0 at column 7, ..., f~_15 at column 22
DST_ADDR, DST, OP0_ADDR, OP0, OP1_ADDR, OP1, RES, T0, T1, MUL = range(23, 33)
MX_ADDR, MX_VAL, RC_LIMB = 33, 34, 35
SORTED_MEM = 36  # (addr, value) pairs: column SORTED_MEM + 2·slot (+1 for the value)
RC_FILL = SORTED_MEM + 2 * MEM_SLOTS  # 46

UNSORTED_MEM = ((PC, INST), (DST_ADDR, DST), (OP0_ADDR, OP0), (OP1_ADDR, OP1), (MX_ADDR, MX_VAL))


@dataclass(frozen=True)
class CairoLayout:
    """Column numbering for a given number of range-check fill columns."""

    n_rc_fill: int

    def __post_init__(self):
        if self.n_rc_fill < 1:
            raise ValueError("at least one range-check fill column")

    @property
    def rc_slots(self) -> int:
        return RC_FIXED_SLOTS + self.n_rc_fill

    def rc_fill(self, k: int) -> int:
        return RC_FILL + k

    @property
    def sorted_rc(self) -> int:
        return RC_FILL + self.n_rc_fill

    def sorted_mem_addr(self, slot: int) -> int:
        return SORTED_MEM + 2 * slot

    def sorted_mem_val(self, slot: int) -> int:
        return SORTED_MEM + 2 * slot + 1

    @cached_property
    def unsorted_rc(self) -> tuple[int, ...]:
        return (OFF_DST, OFF_OP0, OFF_OP1, RC_LIMB) + tuple(self.rc_fill(k) for k in range(self.n_rc_fill))

    @property
    def main_width(self) -> int:
        return self.sorted_rc + self.rc_slots

    # Aux columns, numbered after the main ones.
    def mem_prod(self, slot: int) -> int:
        return self.main_width + slot

    def rc_prod(self, slot: int) -> int:
        return self.main_width + MEM_SLOTS + slot

    @property
    def aux_width(self) -> int:
        return MEM_SLOTS + self.rc_slots

    def column_names(self) -> list[str]:
        names = ["pc", "ap", "fp", "inst", "off_dst", "off_op0", "off_op1"]
        names += [f"flag_prefix_{i}" for i in range(N_FLAG_PREFIXES)]
        names += ["dst_addr", "dst", "op0_addr", "op0", "op1_addr", "op1", "res", "t0", "t1", "mul"]
        names += ["mx_addr", "mx_val", "rc_limb"]
        for s in range(MEM_SLOTS):
            names += [f"sorted_addr_{s}", f"sorted_val_{s}"]
        names += [f"rc_fill_{k}" for k in range(self.n_rc_fill)]
        names += [f"sorted_rc_{s}" for s in range(self.rc_slots)]
        names += [f"mem_prod_{s}" for s in range(MEM_SLOTS)]
        names += [f"rc_prod_{s}" for s in range(self.rc_slots)]
        return names
