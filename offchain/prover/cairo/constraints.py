"""Every constraint of the Cairo AIR (paper, section 9), as arithmetic on row values.

`constraint_list` gives (name, degree, rows); `evaluate` the numerators in the same order. The
same code runs on ints (the verifier at the out-of-domain point, the direct checker) and on
numpy object arrays (the prover over the LDE): only +, -, * on values, no branching.

Notation: f_i = f~_i - 2·f~_(i+1) is flag i; size = f_OP1_IMM + 1 is the instruction size;
offsets in the trace are biased by 2^15.

The public values the constraints read are statement.AirConstants, derived from the statement
once its rules hold (statement.py): the boundary registers, the range-check bounds and the
range_check lane's selector and first address.
"""
from __future__ import annotations

from dataclasses import dataclass

from offchain.prover.air import Constraint, Frame, RowSet
from offchain.prover.cairo import layout as L
from offchain.prover.cairo.decode import N_FLAGS, OFFSET_BIAS, Flag
from offchain.prover.cairo.layout import CairoLayout
from offchain.prover.cairo.statement import AirConstants

EVERY_ROW = RowSet()
ALL_BUT_LAST = RowSet.all_but_last()
FIRST = RowSet.single(0)
LAST = RowSet.single(-1)
RC_ROWS = RowSet(step=L.RC_BUILTIN_RATIO, offset=0)


def column_offsets(layout: CairoLayout) -> dict[int, tuple[int, ...]]:
    """The row offsets at which each column is read (columns not listed: offset 0 only)."""
    mask = {c: (0, 1) for c in (L.PC, L.AP, L.FP, L.INST, L.OFF_DST)}
    mask[L.RC_LIMB] = tuple(range(L.RC_LIMBS))
    mask[L.MX_ADDR] = (0, L.RC_BUILTIN_RATIO)
    for c in (layout.sorted_mem_addr(0), layout.sorted_mem_val(0), layout.sorted_rc, layout.mem_prod(0), layout.rc_prod(0)):
        mask[c] = (0, 1)
    return mask


def constraint_list(layout: CairoLayout, trace_length: int) -> list[Constraint]:
    rc_step_rows = RowSet(step=L.RC_BUILTIN_RATIO, offset=0, exclude=(trace_length - L.RC_BUILTIN_RATIO,))
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
    out += [Constraint(f"rc_step_{s}", 2, EVERY_ROW) for s in range(layout.rc_slots - 1)]
    out += [
        Constraint("rc_step_next_row", 2, ALL_BUT_LAST),
        Constraint("rc_min", 1, FIRST),
        Constraint("rc_max", 1, LAST),
        Constraint("rc_product_first", 2, FIRST),
    ]
    out += [Constraint(f"rc_product_{s}", 2, EVERY_ROW) for s in range(1, layout.rc_slots)]
    out += [
        Constraint("rc_product_next_row", 2, ALL_BUT_LAST),
        Constraint("rc_product_final", 1, LAST),
        Constraint("rc_builtin_value", 1, RC_ROWS),
        Constraint("rc_builtin_first_address", 1, FIRST),
        Constraint("rc_builtin_next_address", 1, rc_step_rows),
    ]
    return out


@dataclass(frozen=True)
class Context:
    """Constants the numerators need, computed with ordinary int code from the public input
    and the challenges."""

    layout: CairoLayout
    constants: AirConstants
    memory_final: int  # z^k / Π over public cells (z - (address + alpha·value))


def evaluate(frame: Frame, challenges: list[int], ctx: Context) -> list:
    lay, public = ctx.layout, ctx.constants
    z, alpha, z_rc = challenges
    cur, nxt = frame.curr, frame.next
    pc, ap, fp = cur[L.PC], cur[L.AP], cur[L.FP]
    ft = [cur[L.FLAG_PREFIX + i] for i in range(L.N_FLAG_PREFIXES)]
    f = [ft[i] - 2 * ft[i + 1] for i in range(N_FLAGS)]
    off_dst, off_op0, off_op1 = cur[L.OFF_DST], cur[L.OFF_OP0], cur[L.OFF_OP1]
    dst_addr, dst, op0_addr, op0 = cur[L.DST_ADDR], cur[L.DST], cur[L.OP0_ADDR], cur[L.OP0]
    op1_addr, op1, res, t0, t1, mul = cur[L.OP1_ADDR], cur[L.OP1], cur[L.RES], cur[L.T0], cur[L.T1], cur[L.MUL]

    dst_reg, op0_reg = f[Flag.DST_REG], f[Flag.OP0_REG]
    op1_imm, op1_fp, op1_ap = f[Flag.OP1_IMM], f[Flag.OP1_FP], f[Flag.OP1_AP]
    res_add, res_mul = f[Flag.RES_ADD], f[Flag.RES_MUL]
    jump_abs, jump_rel, jnz = f[Flag.PC_JUMP_ABS], f[Flag.PC_JUMP_REL], f[Flag.PC_JNZ]
    ap_add, ap_add1 = f[Flag.AP_ADD], f[Flag.AP_ADD1]
    call, ret, assert_eq = f[Flag.OPCODE_CALL], f[Flag.OPCODE_RET], f[Flag.OPCODE_ASSERT_EQ]
    size = op1_imm + 1
    next_pc, next_ap, next_fp = nxt[L.PC], nxt[L.AP], nxt[L.FP]

    out = [fi * (fi - 1) for fi in f]
    out += [
        ft[N_FLAGS],
        cur[L.INST] - (off_dst + off_op0 * 2**16 + off_op1 * 2**32 + ft[0] * 2**48),
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
    sa = [cur[lay.sorted_mem_addr(s)] for s in range(L.MEM_SLOTS)]
    sv = [cur[lay.sorted_mem_val(s)] for s in range(L.MEM_SLOTS)]
    for s in range(L.MEM_SLOTS - 1):
        da = sa[s + 1] - sa[s]
        out += [da * (da - 1), (sv[s + 1] - sv[s]) * (da - 1)]
    da = nxt[lay.sorted_mem_addr(0)] - sa[-1]
    out += [da * (da - 1), (nxt[lay.sorted_mem_val(0)] - sv[-1]) * (da - 1)]

    def mem_unsorted(row, s):
        a, v = L.UNSORTED_MEM[s]
        return z - (row[a] + alpha * row[v])

    def mem_sorted(row, s):
        return z - (row[lay.sorted_mem_addr(s)] + alpha * row[lay.sorted_mem_val(s)])

    mp = [cur[lay.mem_prod(s)] for s in range(L.MEM_SLOTS)]
    out.append(mp[0] * mem_sorted(cur, 0) - mem_unsorted(cur, 0))
    out += [mp[s] * mem_sorted(cur, s) - mp[s - 1] * mem_unsorted(cur, s) for s in range(1, L.MEM_SLOTS)]
    out.append(nxt[lay.mem_prod(0)] * mem_sorted(nxt, 0) - mp[-1] * mem_unsorted(nxt, 0))
    out.append(mp[-1] - ctx.memory_final)

    # Range checks: sorted values step by 0 or 1 from rc_min to rc_max.
    sr = [cur[lay.sorted_rc + s] for s in range(lay.rc_slots)]
    for s in range(lay.rc_slots - 1):
        d = sr[s + 1] - sr[s]
        out.append(d * (d - 1))
    d = nxt[lay.sorted_rc] - sr[-1]
    out += [d * (d - 1), sr[0] - public.rc_min, sr[-1] - public.rc_max]
    rp = [cur[lay.rc_prod(s)] for s in range(lay.rc_slots)]
    ur = [cur[c] for c in lay.unsorted_rc]
    out.append(rp[0] * (z_rc - sr[0]) - (z_rc - ur[0]))
    out += [rp[s] * (z_rc - sr[s]) - rp[s - 1] * (z_rc - ur[s]) for s in range(1, lay.rc_slots)]
    out.append(nxt[lay.rc_prod(0)] * (z_rc - nxt[lay.sorted_rc]) - rp[-1] * (z_rc - nxt[lay.unsorted_rc[0]]))
    out.append(rp[-1] - 1)

    # Range-check builtin: cell j = (rc_begin + j, Σ_t limb_t·2^(16t)) on row 8j, when the program
    # uses it (rc_used = 1); otherwise the lane has no memory cells and rows 8j are free slots.
    value = 0
    for t in range(L.RC_LIMBS):
        value = value + frame.row(t)[L.RC_LIMB] * 2 ** (L.RC_LIMB_BITS * t)
    out += [
        public.rc_used * (cur[L.MX_VAL] - value),
        public.rc_used * (cur[L.MX_ADDR] - public.rc_begin),
        public.rc_used * (frame.row(L.RC_BUILTIN_RATIO)[L.MX_ADDR] - cur[L.MX_ADDR] - 1),
    ]
    return out
