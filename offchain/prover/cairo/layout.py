"""Our Cairo trace layout: ONE table of T rows (a power of two), one row per Cairo step, with the
builtins' components in extra columns ("lanes") beside the CPU.

The CPU (one row per step: each CPU constraint reads only "this row" and "the next row"), the
memory and the range-check sub-traces (more cells than steps: several columns per row) are as
in the Cairo paper; every constraint has degree <= 2. GEOMETRY (below) says why the builtins
are laid out as they are and how T and the lane counts are chosen, with the numbers.

Main columns, per row i:
- CPU: pc, ap, fp, inst; the biased offsets off~dst, off~op0, off~op1 (each in [0, 2^16));
  the flag prefixes f~_0 .. f~_15 (decode.py); dst_addr, dst, op0_addr, op0, op1_addr, op1,
  res, t0 = f_PC_JNZ·dst, t1 = t0·res, mul = op0·op1.
- mx (mx_addr, mx_val), one extra memory access. When the program uses the range_check
  builtin, on rows 8j it is range_check builtin cell j: (rc_begin + j, value_j).
- rc_limb: on rows 8j .. 8j+7, the 16-bit limbs of range_check cell j, little-endian.
- bx (bx_addr, bx_val), the builtin memory slot: the cells of the pedersen and ecdsa lanes
  (BUILTIN SLOT below).
- The rows of mx and bx that carry no builtin cell carry, in order: one (0, 0) dummy per
  public memory cell (the paper's public memory trick), the memory holes (address, 0), and
  padding: a repeat of the row's own instruction fetch (pc, inst).
- sorted memory: MEM_SLOTS (address, value) pairs; element index row·MEM_SLOTS + slot.
- the pedersen lanes (PEDERSEN_WIDTH columns each), then the ecdsa lanes (ECDSA_WIDTH each).
- rc_fill_0 .. rc_fill_(E-1): fill values, so that the sorted range-check values step by 0 or 1
  from rc_min to rc_max; E (n_rc_fill) is a public parameter of the statement.
- sorted range-check values: RC_SLOTS = E + 4 per row, element index row·RC_SLOTS + slot.

Unsorted memory slots per row: (pc, inst), (dst_addr, dst), (op0_addr, op0), (op1_addr, op1),
(mx_addr, mx_val), (bx_addr, bx_val). Unsorted range-check slots: the fills, off~dst, off~op0,
off~op1, rc_limb. Aux columns (after the challenges z, alpha for memory and z_rc for range
checks): one running product per memory slot and per range-check slot.

PEDERSEN LANE (StarkWare's hash: H(a, b) = x of S + low248(a)·P0 + high4(a)·P1 + low248(b)·P2 +
high4(b)·P3, cairo-lang's fast_pedersen_hash; S, P0..P3 are its constant points). A lane holds
one hash per PEDERSEN_ROWS = 512 rows, in two halves of 256 rows, one per input. Columns:
suffix s, partial sum (x, y), slope. In half h (rows 256h .. 256h+255 of the hash's block):
s_i = input >> i for i = 0 .. 252 (s_252 = 0), bit_i = s_i - 2·s_(i+1); on rows 0 .. 251 the
partial sum adds the constant point Q_i = 2^i·P0 (i < 248), 2^(i-248)·P1 (248 <= i < 252) — P2,
P3 in the second half — when bit_i = 1 (slope: the chord's), else is copied; rows 252 .. 255 of
each half are left out of those constraints (a skipped residue): the half's end point is on
row 252, the next half starts from it, the hash starts at S, and H is x on row 508. The
constant points are two periodic columns of period 512. The canonical decomposition (an input
a < P has one 252-bit decomposition, but a + P may fit 252 bits too and hash differently) is
pinned as StarkWare's bit-unpacking does: with bit 251 set, bits 197..250 are zero; with bits
251 and 196 set, bits 193..195 are zero; with bits 251, 196 and 192 set, bits 0..191 are zero;
so the value is at most 2^251 + 17·2^192 = P - 1. Its two products of bits live in the slope
column on rows 252 and 253 of each half.

ECDSA LANE (StarkWare's ecdsa builtin: the cells are the public key's x and the message z; the
signature (r, w = s^-1 mod n) is the prover's; cairo-lang's signature.verify, which mirrors the
AIR: zG = z·G - S, rQ = r·Q + S, B = zG + rQ, wB = w·B + S, and r = x(wB - S), every scalar in
[1, 2^251), Q on the curve with its y free). One signature per ECDSA_ROWS = 1024 rows, in four
units of 256 rows: unit u computes partial sum + bits·(doublings of a base): unit 0 z·G from
-S, unit 1 r·Q from S, unit 2 w·B from S (B = the ends of units 0 and 1 added), unit 3 is a
valid idle multiplication (scalar 0) so that the unit constraints hold on every unit. Columns:
suffix s, partial sum (px, py), its slope ps, xi = 1/(px - dx) (cairo-lang's "partial sum and
point differ in x" on each of the 251 steps), doubled base (dx, dy), its slope ds. Rows 251 ..
255 of each unit are left out of the unit constraints; s_251 = 0 bounds the scalar below
2^251; the signature's helpers (Q.x^2, the slopes and x-difference inverses of B = zG + rQ and
of wB - S, and the inverses of z, r, w that make them nonzero) sit on unit 0's row 252.

BUILTIN SLOT: the lanes' memory cells join the memory argument through one shared slot (bx),
not a column pair per lane: on each 512-row block, rows 1 + 3k + t (t < 3) carry pedersen lane
k's cells (x, y, H) of its hash in that block, instance b·K_p + k at address pedersen_begin +
3·(b·K_p + k) + t; on each 1024-row block, rows 1 + 3·K_p + 2e + t carry ecdsa lane e's cells
(public key, message), instance b·K_e + e. Row 0 of each block is left to the other memory
uses so that no lane's slot rows are at offset 0 (every lane reads only its own mask cells).
So 1 + 3·K_p + 2·K_e <= 512.

Lane counts K_p (n_pedersen_lanes) and K_e (n_ecdsa_lanes) are public parameters of the
statement, as E: a builtin's capacity is all its lanes' instances (K_p·T/512 hashes, K_e·T/1024
signatures, T/8 range checks), and its segment takes all those cells (statement.py).

GEOMETRY (why the builtins are lanes of one table, and how T and the counts are chosen; the
numbers are `python -m bench.batch_prover`'s). T is the runner's n_steps, the power of two the
run is padded to (the runner allocates the builtin segments for exactly that many steps), and
K_p, K_e are the fewest lanes that hold the run's instances (trace.choose_geometry). A hash costs
its lane 4 columns x 512 rows = 2,048 cells, a signature 8 x 1,024 = 8,192, whatever T is: a run
pays for the hashes it does, plus the last lane's idle blocks. The alternatives, by numbers:
- a fixed ratio, StarkWare's small layout (one hash per 8 steps): 256 pedersen cells on every
  step. The batch program hashes far less often: a one-transfer batch is 5,704 steps with 304
  hashes (one per 19 steps), so in its 8,192 rows a 1/8 ratio lays out 1,024 hashes to use
  304: 2.1 M pedersen cells where the lanes take 19 x 4 x 8,192 = 0.62 M.
- separate tables of their own heights (CPU, hashes, signatures): pay-per-use too, but several
  heights, domains and commitments; the agreed design is one table of one height, and lanes
  give the same pay-per-use within it.
- taller and narrower: the same instances in 2T or 4T rows need half or a quarter of the lanes,
  so fewer columns (each of the proof's queries opens one row of every column: proof size and
  verification gas go with the columns), but every extra row costs all the CPU, memory and
  range-check columns. For the one-transfer batch: T = 8,192: 19 + 1 lanes, 172 columns, 1.41 M
  cells; 16,384: 10 + 1 lanes, 136 columns, 2.23 M cells; 32,768: 5 + 1 lanes, 116 columns,
  3.80 M cells. Ten transfers (35,683 steps, 1,564 hashes, 10 signatures): T = 65,536: 13 + 1
  lanes, 127 columns, 8.3 M cells; 131,072: 7 + 1 lanes, 103 columns, 13.5 M cells; 262,144:
  4 + 1 lanes, 91 columns, 23.9 M cells. A hundred (331,973 steps, 13,664 hashes): 524,288
  rows, 14 + 1 lanes, 131 columns, 68.7 M cells (0.69 M per transfer); twice as tall: 103
  columns, 108 M cells. The prover's time goes with the cells
  (its two commitments, NTT and keccak per column-row, are ~85% of its CPU) and its memory too;
  a proof too large for one transaction is split into statement transactions
  (offchain/prover/statements.py), so the columns' cost is gas, not feasibility: 58% (one
  transfer) or 62% (ten) more cells for 21% or 19% fewer columns is a bad trade (measured: 172
  columns at 8,192 rows and 127 at 65,536 give proofs of 276 and 272 KiB, registered for 24.0 M
  and 21.4 M gas). T stays the run's own height and the lanes as few as hold its instances.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

N_FLAG_PREFIXES = 16
MEM_SLOTS = 6
RC_FIXED_SLOTS = 4  # the three offsets and the range_check builtin limb
RC_BUILTIN_RATIO = 8  # one range_check builtin cell per 8 rows (as the small layout)
RC_LIMBS = 8
RC_LIMB_BITS = 16
# Bounds of the statement's counts, so that the verifier's work stays bounded: the fill columns
# of a trace of T rows hold T·E missing range-check values (2^16 at most, so 64 suffice from
# T = 1024); 1 + 3·K_p + 2·K_e slot rows fit a 512-row block.
MAX_RC_FILL = 64

# cairo-lang's `small` layout (instances.py): its builtins in the order the runner lays out their
# pointers on main's stack and their segments in memory. A program uses a subsequence of them.
LAYOUT_NAME = "small"
LAYOUT_BUILTINS = ("output", "pedersen", "range_check", "ecdsa")
# The builtins with lanes in the trace and the memory cells of one instance.
CELLS_PER_INSTANCE = {"pedersen": 3, "range_check": 1, "ecdsa": 2}

# CPU columns.
PC, AP, FP, INST, OFF_DST, OFF_OP0, OFF_OP1 = range(7)
FLAG_PREFIX = 7  # f~_0 at column 7, ..., f~_15 at column 22
DST_ADDR, DST, OP0_ADDR, OP0, OP1_ADDR, OP1, RES, T0, T1, MUL = range(23, 33)
MX_ADDR, MX_VAL, RC_LIMB, BX_ADDR, BX_VAL = 33, 34, 35, 36, 37
SORTED_MEM = 38  # (addr, value) pairs: column SORTED_MEM + 2·slot (+1 for the value)
LANES = SORTED_MEM + 2 * MEM_SLOTS  # 50: the first pedersen lane's first column

UNSORTED_MEM = ((PC, INST), (DST_ADDR, DST), (OP0_ADDR, OP0), (OP1_ADDR, OP1), (MX_ADDR, MX_VAL), (BX_ADDR, BX_VAL))

# The pedersen lane: columns, rows.
PED_SUFFIX, PED_X, PED_Y, PED_SLOPE = range(4)
PEDERSEN_WIDTH = 4
PEDERSEN_ROWS = 512
HASH_HALF = 256
HASH_BITS = 252  # the bits of a field element: rows 0 .. 251 of a half add points
HASH_LOW_BITS = 248  # bits with the first point of a half (P0 or P2); the next 4 with P1 or P3

# The ecdsa lane: columns, rows.
EC_SUFFIX, EC_PX, EC_PY, EC_PS, EC_XI, EC_DX, EC_DY, EC_DS = range(8)
ECDSA_WIDTH = 8
ECDSA_ROWS = 1024
EC_UNIT = 256
EC_BITS = 251  # scalars below 2^251: rows 0 .. 250 of a unit add
# unit 0's row 252 holds the signature's helpers, one per column.
EC_HELPER_ROW = 252
EC_Q_X_SQUARED, EC_B_SLOPE, EC_B_XI, EC_R_SLOPE, EC_R_XI, EC_Z_INV, EC_R_INV, EC_W_INV = (
    EC_PX, EC_PY, EC_PS, EC_SUFFIX, EC_XI, EC_DX, EC_DY, EC_DS)

SLOT_BLOCK = PEDERSEN_ROWS  # the builtin slot's rows repeat per 512 rows (ecdsa: the even blocks)
SLOT_FIRST_ROW = 1


@dataclass(frozen=True)
class CairoLayout:
    """Column numbering and lane geometry for a statement's counts: E range-check fill columns,
    K_p pedersen lanes, K_e ecdsa lanes."""

    n_rc_fill: int
    n_pedersen_lanes: int = 0
    n_ecdsa_lanes: int = 0

    def __post_init__(self):
        if not 1 <= self.n_rc_fill <= MAX_RC_FILL:
            raise ValueError(f"n_rc_fill {self.n_rc_fill} is not in [1, {MAX_RC_FILL}]")
        if self.n_pedersen_lanes < 0 or self.n_ecdsa_lanes < 0 or not slot_rows_fit(self.n_pedersen_lanes,
                                                                                   self.n_ecdsa_lanes):
            raise ValueError(f"{self.n_pedersen_lanes} pedersen and {self.n_ecdsa_lanes} ecdsa lanes do not fit "
                             f"the builtin slot's {SLOT_BLOCK} rows")

    @property
    def rc_slots(self) -> int:
        return RC_FIXED_SLOTS + self.n_rc_fill

    def pedersen(self, lane: int, column: int) -> int:
        return LANES + PEDERSEN_WIDTH * lane + column

    def ecdsa(self, lane: int, column: int) -> int:
        return LANES + PEDERSEN_WIDTH * self.n_pedersen_lanes + ECDSA_WIDTH * lane + column

    @property
    def rc_fill_first(self) -> int:
        return LANES + PEDERSEN_WIDTH * self.n_pedersen_lanes + ECDSA_WIDTH * self.n_ecdsa_lanes

    def rc_fill(self, k: int) -> int:
        return self.rc_fill_first + k

    @property
    def sorted_rc(self) -> int:
        return self.rc_fill_first + self.n_rc_fill

    def sorted_mem_addr(self, slot: int) -> int:
        return SORTED_MEM + 2 * slot

    def sorted_mem_val(self, slot: int) -> int:
        return SORTED_MEM + 2 * slot + 1

    @cached_property
    def unsorted_rc(self) -> tuple[int, ...]:
        """The range-check slots of a row, in the running product's order: the fills, then the
        three offsets and the range_check limb."""
        return tuple(self.rc_fill(k) for k in range(self.n_rc_fill)) + (OFF_DST, OFF_OP0, OFF_OP1, RC_LIMB)

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

    # The builtin slot's rows, relative to their block.
    @staticmethod
    def pedersen_slot_row(lane: int, cell: int) -> int:
        return SLOT_FIRST_ROW + 3 * lane + cell

    def ecdsa_slot_row(self, lane: int, cell: int) -> int:
        return SLOT_FIRST_ROW + 3 * self.n_pedersen_lanes + 2 * lane + cell

    def capacity(self, builtin: str, trace_length: int) -> int:
        """The instances a builtin's lanes hold in a trace of trace_length rows (0: no lane)."""
        if builtin == "range_check":
            return trace_length // RC_BUILTIN_RATIO
        if builtin == "pedersen":
            return self.n_pedersen_lanes * (trace_length // PEDERSEN_ROWS)
        if builtin == "ecdsa":
            return self.n_ecdsa_lanes * (trace_length // ECDSA_ROWS)
        return 0

    def column_names(self) -> list[str]:
        names = ["pc", "ap", "fp", "inst", "off_dst", "off_op0", "off_op1"]
        names += [f"flag_prefix_{i}" for i in range(N_FLAG_PREFIXES)]
        names += ["dst_addr", "dst", "op0_addr", "op0", "op1_addr", "op1", "res", "t0", "t1", "mul"]
        names += ["mx_addr", "mx_val", "rc_limb", "bx_addr", "bx_val"]
        for s in range(MEM_SLOTS):
            names += [f"sorted_addr_{s}", f"sorted_val_{s}"]
        for k in range(self.n_pedersen_lanes):
            names += [f"pedersen_{k}_{c}" for c in ("suffix", "x", "y", "slope")]
        for e in range(self.n_ecdsa_lanes):
            names += [f"ecdsa_{e}_{c}" for c in ("suffix", "px", "py", "ps", "xi", "dx", "dy", "ds")]
        names += [f"rc_fill_{k}" for k in range(self.n_rc_fill)]
        names += [f"sorted_rc_{s}" for s in range(self.rc_slots)]
        names += [f"mem_prod_{s}" for s in range(MEM_SLOTS)]
        names += [f"rc_prod_{s}" for s in range(self.rc_slots)]
        return names


def slot_rows_fit(n_pedersen_lanes: int, n_ecdsa_lanes: int) -> bool:
    """Whether the lanes' cells fit the builtin slot's rows of a block."""
    return SLOT_FIRST_ROW + 3 * n_pedersen_lanes + 2 * n_ecdsa_lanes <= SLOT_BLOCK


MAX_PEDERSEN_LANES = (SLOT_BLOCK - SLOT_FIRST_ROW) // 3
