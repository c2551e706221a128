"""Every constraint of the Cairo AIR (paper, section 9) and of its builtin lanes (layout.py), as
arithmetic on cell values.

The constraints come in components: `cpu` (one instance: the CPU, memory, the range-check
argument's fixed slots and the range_check builtin), `rc_fill` (one instance per range-check
fill slot), `pedersen` (one per pedersen lane) and `ecdsa` (one per ecdsa lane). Each instance
reads its own cells — a (column, row offset) list, the same names for every instance — and at
most the cells of the instance before it or of the first and last instances of another
component. The AIR's mask is the components' cells in this order, instance after instance
(air.py), so the verifiers can evaluate a component's instances with one piece of code each
(tools/stark_codegen emits the Solidity from these same functions).

The same code runs on ints (the verifier at the out-of-domain point), on numpy object arrays
(the reference prover over the LDE) and on symbols (the native program and the Solidity): only
+, -, * on values, no branching on values.

Notation: f_i = f~_i - 2·f~_(i+1) is flag i; size = f_OP1_IMM + 1 is the instruction size;
offsets in the trace are biased by 2^15.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from offchain.prover.air import Constraint, RowSet
from offchain.prover.cairo import curve
from offchain.prover.cairo import layout as L
from offchain.prover.cairo.decode import N_FLAGS, OFFSET_BIAS, Flag
from offchain.prover.cairo.layout import CairoLayout
from offchain.prover.cairo.statement import AirConstants

EVERY_ROW = RowSet()
ALL_BUT_LAST = RowSet.all_but_last()
FIRST = RowSet.single(0)
LAST = RowSet.single(-1)
RC_ROWS = RowSet(step=L.RC_BUILTIN_RATIO, offset=0)
# The lanes' row sets: a pedersen half adds on rows 0 .. 251 of 256, an ecdsa unit on 0 .. 250.
HASH_ADD_ROWS = RowSet(period=L.HASH_HALF, skip=tuple(range(L.HASH_BITS, L.HASH_HALF)))
HALF_START = RowSet(step=L.HASH_HALF)
HASH_START = RowSet(step=L.PEDERSEN_ROWS)
HASH_MIDDLE = RowSet(step=L.PEDERSEN_ROWS, offset=L.HASH_BITS)
EC_UNIT_ROWS = RowSet(period=L.EC_UNIT, skip=tuple(range(L.EC_BITS, L.EC_UNIT)))
SIGNATURE_START = RowSet(step=L.ECDSA_ROWS)


@dataclass(frozen=True)
class Context:
    """Constants the numerators need, computed with ordinary int code from the public input
    and the challenges (or symbols standing for them), and the periodic columns' values."""

    layout: CairoLayout
    constants: AirConstants
    memory_final: Any  # z^k / Π over public cells (z - (address + alpha·value))
    challenges: list  # z, alpha, z_rc
    periodic: list  # the pedersen points' x and y (PERIODIC_COLUMNS)


# A cell reader: read(name) is the instance's own cell; read(name, -1) the previous instance's;
# read(name, "first" | "last", component) another component's first or last instance's.
Read = Callable[..., Any]


def pedersen_periodic_columns() -> list[list[int]]:
    """The points a pedersen lane adds, x then y, one period of PEDERSEN_ROWS rows: row
    256k + i adds curve.HASH_POINTS[k][i] (rows 252 .. 255 of each half add nothing: 0)."""
    xs, ys = [0] * L.PEDERSEN_ROWS, [0] * L.PEDERSEN_ROWS
    for k in range(2):
        for i, (x, y) in enumerate(curve.HASH_POINTS[k]):
            xs[L.HASH_HALF * k + i], ys[L.HASH_HALF * k + i] = x, y
    return [xs, ys]


# --- the cpu component ---------------------------------------------------------------------

def cpu_cells(lay: CairoLayout, _: int) -> list[tuple[str, int, int]]:
    cells = [(f"c{c}", c, 0) for c in range(L.SORTED_MEM + 2 * L.MEM_SLOTS)]
    cells += [(f"rc_sorted{j}", lay.sorted_rc + lay.n_rc_fill + j, 0) for j in range(L.RC_FIXED_SLOTS)]
    cells += [(f"mem_prod{s}", lay.mem_prod(s), 0) for s in range(L.MEM_SLOTS)]
    cells += [(f"rc_prod{j}", lay.rc_prod(lay.n_rc_fill + j), 0) for j in range(L.RC_FIXED_SLOTS)]
    cells += [(f"next_c{c}", c, 1) for c in (L.PC, L.AP, L.FP, L.INST, L.OFF_DST,
                                              lay.sorted_mem_addr(0), lay.sorted_mem_val(0))]
    cells += [("next_fill0", lay.rc_fill(0), 1), ("next_sorted0", lay.sorted_rc, 1),
              ("next_mem_prod0", lay.mem_prod(0), 1), ("next_rc_prod0", lay.rc_prod(0), 1)]
    cells += [(f"limb{t}", L.RC_LIMB, t) for t in range(1, L.RC_LIMBS)]
    cells += [("mx_addr_next_cell", L.MX_ADDR, L.RC_BUILTIN_RATIO)]
    return cells


def cpu_constraints(lay: CairoLayout, n: int) -> list[Constraint]:
    rc_step_rows = RowSet(step=L.RC_BUILTIN_RATIO, offset=0, exclude=(n - L.RC_BUILTIN_RATIO,))
    out = [Constraint(f"flag_{i}_is_bit", 2, EVERY_ROW) for i in range(N_FLAGS)]
    out += [
        Constraint("flag_prefix_last_is_zero", 1, EVERY_ROW),
        Constraint("instruction_word", 1, EVERY_ROW),
        Constraint("dst_address", 2, EVERY_ROW),
        Constraint("op0_address", 2, EVERY_ROW),
        Constraint("op1_address", 2, EVERY_ROW),
        Constraint("mul", 2, EVERY_ROW),
        Constraint("res", 2, EVERY_ROW),
        Constraint("jnz_t0", 2, EVERY_ROW),
        Constraint("jnz_t1", 2, EVERY_ROW),
        Constraint("pc_update_jnz", 2, ALL_BUT_LAST),
        Constraint("pc_update", 2, ALL_BUT_LAST),
        Constraint("ap_update", 2, ALL_BUT_LAST),
        Constraint("fp_update", 2, ALL_BUT_LAST),
        Constraint("call_pushes_fp", 2, EVERY_ROW),
        Constraint("call_pushes_return_pc", 2, EVERY_ROW),
        Constraint("call_off_dst", 2, EVERY_ROW),
        Constraint("call_off_op0", 2, EVERY_ROW),
        Constraint("call_flags", 2, EVERY_ROW),
        Constraint("ret_off_dst", 2, EVERY_ROW),
        Constraint("ret_off_op1", 2, EVERY_ROW),
        Constraint("ret_flags", 2, EVERY_ROW),
        Constraint("assert_eq", 2, EVERY_ROW),
        Constraint("initial_pc", 1, FIRST),
        Constraint("initial_ap", 1, FIRST),
        Constraint("initial_fp", 1, FIRST),
        Constraint("final_pc", 1, LAST),
        Constraint("final_ap", 1, LAST),
        Constraint("final_fp", 1, LAST),
    ]
    for s in range(L.MEM_SLOTS - 1):
        out += [Constraint(f"memory_continuity_{s}", 2, EVERY_ROW), Constraint(f"memory_single_value_{s}", 2, EVERY_ROW)]
    out += [
        Constraint("memory_continuity_next_row", 2, ALL_BUT_LAST),
        Constraint("memory_single_value_next_row", 2, ALL_BUT_LAST),
        Constraint("memory_product_first", 2, FIRST),
    ]
    out += [Constraint(f"memory_product_{s}", 2, EVERY_ROW) for s in range(1, L.MEM_SLOTS)]
    out += [
        Constraint("memory_product_next_row", 2, ALL_BUT_LAST),
        Constraint("memory_product_final", 1, LAST),
    ]
    # The range-check slots run fills first (rc_fill instances), then the fixed slots here.
    out += [Constraint(f"rc_step_fixed_{j}", 2, EVERY_ROW) for j in range(L.RC_FIXED_SLOTS)]
    out += [
        Constraint("rc_step_next_row", 2, ALL_BUT_LAST),
        Constraint("rc_min", 1, FIRST),
        Constraint("rc_max", 1, LAST),
        Constraint("rc_product_first", 2, FIRST),
    ]
    out += [Constraint(f"rc_product_fixed_{j}", 2, EVERY_ROW) for j in range(L.RC_FIXED_SLOTS)]
    out += [
        Constraint("rc_product_next_row", 2, ALL_BUT_LAST),
        Constraint("rc_product_final", 1, LAST),
        Constraint("rc_builtin_value", 1, RC_ROWS),
        Constraint("rc_builtin_first_address", 1, FIRST),
        Constraint("rc_builtin_next_address", 1, rc_step_rows),
    ]
    return out


def cpu_evaluate(read: Read, _: Any, ctx: Context) -> list:
    public = ctx.constants
    z, alpha, z_rc = ctx.challenges
    c = [read(f"c{k}") for k in range(L.SORTED_MEM + 2 * L.MEM_SLOTS)]
    pc, ap, fp = c[L.PC], c[L.AP], c[L.FP]
    ft = [c[L.FLAG_PREFIX + i] for i in range(L.N_FLAG_PREFIXES)]
    f = [ft[i] - 2 * ft[i + 1] for i in range(N_FLAGS)]
    off_dst, off_op0, off_op1 = c[L.OFF_DST], c[L.OFF_OP0], c[L.OFF_OP1]
    dst_addr, dst, op0_addr, op0 = c[L.DST_ADDR], c[L.DST], c[L.OP0_ADDR], c[L.OP0]
    op1_addr, op1, res, t0, t1, mul = c[L.OP1_ADDR], c[L.OP1], c[L.RES], c[L.T0], c[L.T1], c[L.MUL]

    dst_reg, op0_reg = f[Flag.DST_REG], f[Flag.OP0_REG]
    op1_imm, op1_fp, op1_ap = f[Flag.OP1_IMM], f[Flag.OP1_FP], f[Flag.OP1_AP]
    res_add, res_mul = f[Flag.RES_ADD], f[Flag.RES_MUL]
    jump_abs, jump_rel, jnz = f[Flag.PC_JUMP_ABS], f[Flag.PC_JUMP_REL], f[Flag.PC_JNZ]
    ap_add, ap_add1 = f[Flag.AP_ADD], f[Flag.AP_ADD1]
    call, ret, assert_eq = f[Flag.OPCODE_CALL], f[Flag.OPCODE_RET], f[Flag.OPCODE_ASSERT_EQ]
    size = op1_imm + 1
    next_pc, next_ap, next_fp = read(f"next_c{L.PC}"), read(f"next_c{L.AP}"), read(f"next_c{L.FP}")

    out = [fi * (fi - 1) for fi in f]
    out += [
        ft[N_FLAGS],
        c[L.INST] - (off_dst + off_op0 * 2**16 + off_op1 * 2**32 + ft[0] * 2**48),
        dst_addr - (dst_reg * fp + (1 - dst_reg) * ap + off_dst - OFFSET_BIAS),
        op0_addr - (op0_reg * fp + (1 - op0_reg) * ap + off_op0 - OFFSET_BIAS),
        op1_addr - (op1_imm * pc + op1_ap * ap + op1_fp * fp + (1 - op1_imm - op1_ap - op1_fp) * op0 + off_op1 - OFFSET_BIAS),
        mul - op0 * op1,
        (1 - jnz) * res - (res_add * (op0 + op1) + res_mul * mul + (1 - res_add - res_mul - jnz) * op1),
        t0 - jnz * dst,
        t1 - t0 * res,
        # jnz with dst != 0 (t1 = 1): jump by op1; with dst = 0 (t1 = 0): fall through.
        (t1 - jnz) * (next_pc - (pc + size)),
        t0 * (next_pc - (pc + op1)) + (1 - jnz) * next_pc
        - ((1 - jump_abs - jump_rel - jnz) * (pc + size) + jump_abs * res + jump_rel * (pc + res)),
        next_ap - (ap + ap_add * res + ap_add1 + 2 * call),
        next_fp - (ret * dst + call * (ap + 2) + (1 - ret - call) * fp),
        call * (dst - fp),
        call * (op0 - (pc + size)),
        # call is "[ap] = fp, [ap + 1] = return pc": dst = [ap + 0], op0 = [ap + 1].
        call * (off_dst - OFFSET_BIAS),
        call * (off_op0 - (OFFSET_BIAS + 1)),
        call * (dst_reg + op0_reg),
        # ret is "jmp abs [fp - 1]; fp = [fp - 2]".
        ret * (off_dst - (OFFSET_BIAS - 2)),
        ret * (off_op1 - (OFFSET_BIAS - 1)),
        ret * (jump_abs + dst_reg + op1_fp + (1 - res_add - res_mul - jnz) - 4),
        assert_eq * (dst - res),
        pc - public.initial_pc,
        ap - public.initial_ap,
        fp - public.initial_ap,
        # The run ends in the entry code's end loop after main returned: main's `ret` restored the
        # fp of its caller, the entry code, whose fp is the initial one.
        pc - public.final_pc,
        ap - public.final_ap,
        fp - public.initial_ap,
    ]

    # Memory: sorted addresses step by 0 or 1, one value per address, across slots then rows.
    sa = [c[L.SORTED_MEM + 2 * s] for s in range(L.MEM_SLOTS)]
    sv = [c[L.SORTED_MEM + 2 * s + 1] for s in range(L.MEM_SLOTS)]
    for s in range(L.MEM_SLOTS - 1):
        da = sa[s + 1] - sa[s]
        out += [da * (da - 1), (sv[s + 1] - sv[s]) * (da - 1)]
    next_sa, next_sv = read(f"next_c{L.SORTED_MEM}"), read(f"next_c{L.SORTED_MEM + 1}")
    da = next_sa - sa[-1]
    out += [da * (da - 1), (next_sv - sv[-1]) * (da - 1)]

    def mem_unsorted(s):
        a, v = L.UNSORTED_MEM[s]
        return z - (c[a] + alpha * c[v])

    mp = [read(f"mem_prod{s}") for s in range(L.MEM_SLOTS)]
    out.append(mp[0] * (z - (sa[0] + alpha * sv[0])) - mem_unsorted(0))
    out += [mp[s] * (z - (sa[s] + alpha * sv[s])) - mp[s - 1] * mem_unsorted(s) for s in range(1, L.MEM_SLOTS)]
    next_fetch = z - (read(f"next_c{L.PC}") + alpha * read(f"next_c{L.INST}"))
    out.append(read("next_mem_prod0") * (z - (next_sa + alpha * next_sv)) - mp[-1] * next_fetch)
    out.append(mp[-1] - ctx.memory_final)

    # Range checks: the sorted values step by 0 or 1 from rc_min to rc_max. The fill slots come
    # first in each row (the rc_fill component chains them); the fixed slots follow here.
    fixed_unsorted = [off_dst, off_op0, off_op1, c[L.RC_LIMB]]
    sr = [read("sorted", "last", "rc_fill")] + [read(f"rc_sorted{j}") for j in range(L.RC_FIXED_SLOTS)]
    rp = [read("prod", "last", "rc_fill")] + [read(f"rc_prod{j}") for j in range(L.RC_FIXED_SLOTS)]
    for j in range(L.RC_FIXED_SLOTS):
        d = sr[j + 1] - sr[j]
        out.append(d * (d - 1))
    next_sorted0 = read("next_sorted0")
    d = next_sorted0 - sr[-1]
    first_sorted, first_prod = read("sorted", "first", "rc_fill"), read("prod", "first", "rc_fill")
    out += [d * (d - 1), first_sorted - public.rc_min, sr[-1] - public.rc_max]
    out.append(first_prod * (z_rc - first_sorted) - (z_rc - read("fill", "first", "rc_fill")))
    out += [rp[j + 1] * (z_rc - sr[j + 1]) - rp[j] * (z_rc - fixed_unsorted[j]) for j in range(L.RC_FIXED_SLOTS)]
    out.append(read("next_rc_prod0") * (z_rc - next_sorted0) - rp[-1] * (z_rc - read("next_fill0")))
    out.append(rp[-1] - 1)

    # Range-check builtin: cell j = (rc_begin + j, Σ_t limb_t·2^(16t)) on row 8j, when the program
    # uses it (rc_used = 1); otherwise the lane has no memory cells and rows 8j are free slots.
    value = c[L.RC_LIMB]
    for t in range(1, L.RC_LIMBS):
        value = value + read(f"limb{t}") * 2 ** (L.RC_LIMB_BITS * t)
    out += [
        public.rc_used * (c[L.MX_VAL] - value),
        public.rc_used * (c[L.MX_ADDR] - public.rc_begin),
        public.rc_used * (read("mx_addr_next_cell") - c[L.MX_ADDR] - 1),
    ]
    return out


# --- rc_fill: one instance per fill slot ------------------------------------------------------

def rc_fill_cells(lay: CairoLayout, k: int) -> list[tuple[str, int, int]]:
    return [("fill", lay.rc_fill(k), 0), ("sorted", lay.sorted_rc + k, 0), ("prod", lay.rc_prod(k), 0)]


def rc_fill_constraints(lay: CairoLayout, n: int) -> list[Constraint]:
    return [Constraint("rc_step", 2, EVERY_ROW), Constraint("rc_product", 2, EVERY_ROW)]


def rc_fill_evaluate(read: Read, _: Any, ctx: Context) -> list:
    """Fill slot k >= 1 after slot k - 1 (slot 0 follows the previous row's last slot: cpu)."""
    z_rc = ctx.challenges[2]
    d = read("sorted") - read("sorted", -1)
    return [d * (d - 1), read("prod") * (z_rc - read("sorted")) - read("prod", -1) * (z_rc - read("fill"))]


# --- pedersen: one instance per lane ----------------------------------------------------------

# Rows of a hash block (relative to its first row) that the constraints read, per column.
PEDERSEN_CELLS = {
    L.PED_SUFFIX: (0, 1, 192, 193, 196, 197, 251, 252, L.HASH_HALF),
    L.PED_X: (0, 1, 4, L.HASH_HALF + L.HASH_BITS),
    L.PED_Y: (0, 1, 4),
    L.PED_SLOPE: (0, L.HASH_BITS, L.HASH_BITS + 1),
}
_PED_NAMES = {L.PED_SUFFIX: "s", L.PED_X: "x", L.PED_Y: "y", L.PED_SLOPE: "slope"}


def pedersen_cells(lay: CairoLayout, k: int) -> list[tuple[str, int, int]]:
    cells = [(f"{_PED_NAMES[c]}@{o}", lay.pedersen(k, c), o) for c, offsets in PEDERSEN_CELLS.items() for o in offsets]
    cells += [(f"addr{t}", L.BX_ADDR, lay.pedersen_slot_row(k, t)) for t in range(3)]
    cells += [("addr_next_block", L.BX_ADDR, L.PEDERSEN_ROWS + lay.pedersen_slot_row(k, 0))]
    cells += [(f"val{t}", L.BX_VAL, lay.pedersen_slot_row(k, t)) for t in range(3)]
    return cells


def pedersen_constraints(lay: CairoLayout, n: int) -> list[Constraint]:
    not_last_block = RowSet(step=L.PEDERSEN_ROWS, exclude=(n - L.PEDERSEN_ROWS,))
    return [
        Constraint("bit", 2, HASH_ADD_ROWS),
        Constraint("add_slope", 2, HASH_ADD_ROWS),
        Constraint("add_x", 2, HASH_ADD_ROWS),
        Constraint("add_y", 2, HASH_ADD_ROWS),
        Constraint("copy_x", 2, HASH_ADD_ROWS),
        Constraint("copy_y", 2, HASH_ADD_ROWS),
        Constraint("input_bits_end", 1, HALF_START),
        Constraint("start_x", 1, HASH_START),
        Constraint("start_y", 1, HASH_START),
        Constraint("second_input_x", 1, HASH_MIDDLE),
        Constraint("second_input_y", 1, HASH_MIDDLE),
        Constraint("canonical_bit196", 2, HALF_START),
        Constraint("canonical_bit192", 2, HALF_START),
        Constraint("canonical_zeros_197_250", 2, HALF_START),
        Constraint("canonical_zeros_193_195", 2, HALF_START),
        Constraint("canonical_zeros_1_191", 2, HALF_START),
        Constraint("canonical_zero_bit0", 2, HALF_START),
        Constraint("input_x_value", 1, HASH_START),
        Constraint("input_y_value", 1, HASH_START),
        Constraint("output_value", 1, HASH_START),
        Constraint("input_y_address", 1, HASH_START),
        Constraint("output_address", 1, HASH_START),
        Constraint("first_address", 1, FIRST),
        Constraint("next_block_address", 1, not_last_block),
    ]


def pedersen_evaluate(read: Read, k: Any, ctx: Context) -> list:
    qx, qy = ctx.periodic[0], ctx.periodic[1]
    s = {o: read(f"s@{o}") for o in PEDERSEN_CELLS[L.PED_SUFFIX]}
    x, x1, y, y1, slope = read("x@0"), read("x@1"), read("y@0"), read("y@1"), read("slope@0")
    bit = s[0] - 2 * s[1]
    sx, sy = curve.SHIFT_POINT

    def bit_at(i):
        return s[i] - 2 * s[i + 1]

    bit251, bit196, bit192 = bit_at(251), bit_at(196), bit_at(192)
    h196, h192 = read(f"slope@{L.HASH_BITS}"), read(f"slope@{L.HASH_BITS + 1}")
    public = ctx.constants
    return [
        bit * (bit - 1),
        bit * (y - qy) - slope * (x - qx),
        slope * slope - bit * (x + qx + x1),
        bit * (y + y1) - slope * (x - x1),
        (1 - bit) * (x1 - x),
        (1 - bit) * (y1 - y),
        s[L.HASH_BITS],
        x - sx,
        y - sy,
        read("x@4") - x,
        read("y@4") - y,
        # StarkWare's bit unpacking: the value is at most P - 1 (layout.py).
        h196 - bit251 * bit196,
        h192 - h196 * bit192,
        bit251 * (s[197] - 2**54 * s[251]),
        h196 * (s[193] - 8 * s[196]),
        h192 * (s[1] - 2**191 * s[192]),
        h192 * bit,
        read("val0") - s[0],
        read("val1") - s[L.HASH_HALF],
        read("val2") - read(f"x@{L.HASH_HALF + L.HASH_BITS}"),
        read("addr1") - read("addr0") - 1,
        read("addr2") - read("addr0") - 2,
        read("addr0") - (public.pedersen_begin + 3 * k),
        read("addr_next_block") - read("addr0") - 3 * public.n_pedersen_lanes,
    ]


# --- ecdsa: one instance per lane -------------------------------------------------------------

U = L.EC_UNIT
ECDSA_CELLS = {
    L.EC_SUFFIX: (0, 1, L.EC_BITS, U, U + L.EC_BITS, 2 * U, 2 * U + L.EC_BITS, L.EC_HELPER_ROW),
    L.EC_PX: (0, 1, L.EC_BITS, U, U + L.EC_BITS, 2 * U, 2 * U + L.EC_BITS, L.EC_HELPER_ROW),
    L.EC_PY: (0, 1, L.EC_BITS, U, U + L.EC_BITS, 2 * U, 2 * U + L.EC_BITS, L.EC_HELPER_ROW),
    L.EC_PS: (0, L.EC_HELPER_ROW),
    L.EC_XI: (0, L.EC_HELPER_ROW),
    L.EC_DX: (0, 1, U, 2 * U, L.EC_HELPER_ROW),
    L.EC_DY: (0, 1, U, 2 * U, L.EC_HELPER_ROW),
    L.EC_DS: (0, L.EC_HELPER_ROW),
}
_EC_NAMES = {L.EC_SUFFIX: "s", L.EC_PX: "px", L.EC_PY: "py", L.EC_PS: "ps", L.EC_XI: "xi", L.EC_DX: "dx",
             L.EC_DY: "dy", L.EC_DS: "ds"}


def ecdsa_cells(lay: CairoLayout, e: int) -> list[tuple[str, int, int]]:
    cells = [(f"{_EC_NAMES[c]}@{o}", lay.ecdsa(e, c), o) for c, offsets in ECDSA_CELLS.items() for o in offsets]
    cells += [(f"addr{t}", L.BX_ADDR, lay.ecdsa_slot_row(e, t)) for t in range(2)]
    cells += [("addr_next_block", L.BX_ADDR, L.ECDSA_ROWS + lay.ecdsa_slot_row(e, 0))]
    cells += [(f"val{t}", L.BX_VAL, lay.ecdsa_slot_row(e, t)) for t in range(2)]
    return cells


def ecdsa_constraints(lay: CairoLayout, n: int) -> list[Constraint]:
    not_last_block = RowSet(step=L.ECDSA_ROWS, exclude=(n - L.ECDSA_ROWS,))
    at_start = [
        "generator_x", "generator_y", "zg_start_x", "zg_start_y", "z_bound",
        "rq_start_x", "rq_start_y", "key_x_squared", "key_on_curve", "r_bound",
        "b_slope", "b_x_differ", "b_x", "b_y", "wb_start_x", "wb_start_y", "w_bound",
        "r_slope", "r_x_differ", "r_is_x", "z_nonzero", "r_nonzero", "w_nonzero",
        "key_value", "message_value", "message_address",
    ]
    return ([Constraint(name, 2, EC_UNIT_ROWS) for name in (
        "bit", "add_slope", "add_x", "add_y", "copy_x", "copy_y", "x_differ", "double_slope", "double_x", "double_y")]
        + [Constraint(name, 2, SIGNATURE_START) for name in at_start]
        + [Constraint("first_address", 1, FIRST), Constraint("next_block_address", 1, not_last_block)])


def ecdsa_evaluate(read: Read, e: Any, ctx: Context) -> list:
    """One signature per block: units 0, 1, 2 at rows 0, 256, 512 (layout.py)."""
    s, s1 = read("s@0"), read("s@1")
    px, py, px1, py1, ps, xi = read("px@0"), read("py@0"), read("px@1"), read("py@1"), read("ps@0"), read("xi@0")
    dx, dy, dx1, dy1, ds = read("dx@0"), read("dy@0"), read("dx@1"), read("dy@1"), read("ds@0")
    bit = s - 2 * s1
    sx, sy = curve.SHIFT_POINT
    gx, gy = curve.GENERATOR
    h = L.EC_HELPER_ROW

    def at(name, unit, row=0):
        return read(f"{name}@{U * unit + row}")

    x0, y0 = at("px", 0, L.EC_BITS), at("py", 0, L.EC_BITS)  # z·G - S
    x1, y1 = at("px", 1, L.EC_BITS), at("py", 1, L.EC_BITS)  # r·Q + S
    x2, y2 = at("px", 2, L.EC_BITS), at("py", 2, L.EC_BITS)  # w·B + S
    key_x, key_y = at("dx", 1), at("dy", 1)
    bx, by = at("dx", 2), at("dy", 2)
    z, r, w = at("s", 0), at("s", 1), at("s", 2)
    key_x2 = read(f"px@{h}")
    b_slope, b_xi, r_slope, r_xi = read(f"py@{h}"), read(f"ps@{h}"), read(f"s@{h}"), read(f"xi@{h}")
    z_inv, r_inv, w_inv = read(f"dx@{h}"), read(f"dy@{h}"), read(f"ds@{h}")
    public = ctx.constants
    return [
        bit * (bit - 1),
        bit * (py - dy) - ps * (px - dx),
        ps * ps - bit * (px + dx + px1),
        bit * (py + py1) - ps * (px - px1),
        (1 - bit) * (px1 - px),
        (1 - bit) * (py1 - py),
        xi * (px - dx) - 1,
        2 * dy * ds - (3 * dx * dx + curve.ALPHA),
        ds * ds - (2 * dx + dx1),
        dy + dy1 - ds * (dx - dx1),
        at("dx", 0) - gx,
        at("dy", 0) - gy,
        at("px", 0) - sx,
        at("py", 0) + sy,
        at("s", 0, L.EC_BITS),
        at("px", 1) - sx,
        at("py", 1) - sy,
        key_x2 - key_x * key_x,
        key_y * key_y - (key_x2 * key_x + curve.ALPHA * key_x + curve.BETA),
        at("s", 1, L.EC_BITS),
        b_slope * (x0 - x1) - (y0 - y1),
        b_xi * (x0 - x1) - 1,
        bx - (b_slope * b_slope - x0 - x1),
        by - (b_slope * (x0 - bx) - y0),
        at("px", 2) - sx,
        at("py", 2) - sy,
        at("s", 2, L.EC_BITS),
        # R = (w·B + S) - S: its x is r.
        r_slope * (x2 - sx) - (y2 + sy),
        r_xi * (x2 - sx) - 1,
        r_slope * r_slope - x2 - sx - r,
        z * z_inv - 1,
        r * r_inv - 1,
        w * w_inv - 1,
        read("val0") - key_x,
        read("val1") - z,
        read("addr1") - read("addr0") - 1,
        read("addr0") - (public.ecdsa_begin + 2 * e),
        read("addr_next_block") - read("addr0") - 2 * public.n_ecdsa_lanes,
    ]


@dataclass(frozen=True)
class Component:
    name: str
    cells: Callable[[CairoLayout, int], list[tuple[str, int, int]]]
    constraints: Callable[[CairoLayout, int], list[Constraint]]
    evaluate: Callable[[Read, Any, Context], list]
    first_constrained: int = 0  # the first instance with constraints (rc_fill: slot 0 chains in cpu)

    def instances(self, lay: CairoLayout) -> int:
        return {"cpu": 1, "rc_fill": lay.n_rc_fill, "pedersen": lay.n_pedersen_lanes,
                "ecdsa": lay.n_ecdsa_lanes}[self.name]


COMPONENTS = (
    Component("cpu", cpu_cells, cpu_constraints, cpu_evaluate),
    Component("rc_fill", rc_fill_cells, rc_fill_constraints, rc_fill_evaluate, first_constrained=1),
    Component("pedersen", pedersen_cells, pedersen_constraints, pedersen_evaluate),
    Component("ecdsa", ecdsa_cells, ecdsa_constraints, ecdsa_evaluate),
)
COMPONENT = {c.name: c for c in COMPONENTS}
