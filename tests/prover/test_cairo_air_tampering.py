"""One changed cell of an honest Cairo trace (or of its statement) violates a named constraint."""
import copy
import random
from dataclasses import replace

import pytest

from offchain.prover.field import P
from offchain.prover.cairo import layout as L
from offchain.prover.cairo.air import CairoAir
from offchain.prover.cairo.check import ConstraintViolation, check_trace, violations
from offchain.prover.cairo.decode import Flag
from offchain.prover.cairo.examples import run_example
from offchain.prover.cairo.trace import build_trace

# The same runs as test_cairo_air.py, so that each program runs once per session.
TAMPERED_PROGRAM = ("loop_jnz", {"n": 7})
RANGE_CHECK_PROGRAM = ("range_check", {"values": [0, 5, 300, 70000, 2**20], "bound": 2**21})
CHALLENGES = [random.Random(7).randrange(P) for _ in range(3)]


@pytest.fixture(scope="module")
def honest():
    # A 512-step run (a jnz loop with assert_eq, call/ret): small enough to re-check often.
    program, program_input = TAMPERED_PROGRAM
    trace = build_trace(run_example(program, program_input))
    check_trace(trace, CHALLENGES)
    return trace


@pytest.fixture(scope="module")
def with_range_check():
    program, program_input = RANGE_CHECK_PROGRAM
    return build_trace(run_example(program, program_input))


def failing(trace, main=None, statement=None):
    """Names of violated constraints with the aux columns rebuilt as an honest prover would."""
    main = main or trace.main
    statement = statement or trace.statement
    aux = CairoAir.for_trace(trace).build_aux_trace(main, CHALLENGES)
    return {v.constraint for v in violations(main + aux, statement, CHALLENGES)}


def tampered(trace, column, row, value):
    main = copy.deepcopy(trace.main)
    main[column][row] = value % P
    return main


def row_where(trace, predicate):
    return next(i for i in range(1, trace.trace_length - 1) if predicate(i))


def flag(trace, row, which):
    ft = [trace.main[L.FLAG_PREFIX + i][row] for i in range(16)]
    return ft[which] - 2 * ft[which + 1]


def test_check_trace_raises_with_the_first_violation(honest):
    main = tampered(honest, L.AP, 10, honest.main[L.AP][10] + 1)
    with pytest.raises(ConstraintViolation, match="row 9|row 10"):
        check_trace(type(honest)(honest.statement, honest.layout, main), CHALLENGES)


def test_register_tampering(honest):
    i = row_where(honest, lambda r: honest.main[L.PC][r] != honest.main[L.PC][r + 1])
    names = failing(honest, tampered(honest, L.PC, i + 1, honest.main[L.PC][i + 1] + 1))
    assert names & {"pc_update", "pc_update_jnz"}
    assert "ap_update" in failing(honest, tampered(honest, L.AP, 20, honest.main[L.AP][20] + 1))
    assert "fp_update" in failing(honest, tampered(honest, L.FP, 20, honest.main[L.FP][20] + 5))
    assert "initial_pc" in failing(honest, tampered(honest, L.PC, 0, 2))


def test_flag_tampering(honest):
    # A prefix that no longer halves: flag 4 becomes 2 or -1.
    assert "flag_4_is_bit" in failing(honest, tampered(honest, L.FLAG_PREFIX + 5, 30, honest.main[L.FLAG_PREFIX + 5][30] + 1))
    # The last prefix must stay zero.
    assert "flag_prefix_last_is_zero" in failing(honest, tampered(honest, L.FLAG_PREFIX + 15, 30, 1))
    # Flip RES_ADD consistently in every prefix and in the instruction word: the decoding holds,
    # but the fetched instruction no longer matches the program in memory.
    i = row_where(honest, lambda r: flag(honest, r, Flag.RES_ADD) == 1)
    main = copy.deepcopy(honest.main)
    for k in range(Flag.RES_ADD + 1):
        main[L.FLAG_PREFIX + k][i] -= 2 ** (Flag.RES_ADD - k)
    main[L.INST][i] -= 2 ** (48 + Flag.RES_ADD)
    names = failing(honest, main)
    assert "instruction_word" not in names
    assert {"memory_product_final", "res"} & names


def test_opcode_assertion_tampering(honest):
    call = row_where(honest, lambda r: flag(honest, r, Flag.OPCODE_CALL) == 1)
    assert "call_pushes_fp" in failing(honest, tampered(honest, L.DST, call, honest.main[L.DST][call] + 1))
    assert "call_pushes_return_pc" in failing(honest, tampered(honest, L.OP0, call, honest.main[L.OP0][call] + 1))
    ret = row_where(honest, lambda r: flag(honest, r, Flag.OPCODE_RET) == 1)
    assert "fp_update" in failing(honest, tampered(honest, L.FP, ret + 1, honest.main[L.FP][ret + 1] + 1))


def test_memory_value_tampering(honest):
    i = row_where(honest, lambda r: flag(honest, r, Flag.OPCODE_ASSERT_EQ) == 1)
    names = failing(honest, tampered(honest, L.DST, i, honest.main[L.DST][i] + 1))
    assert {"assert_eq", "memory_product_final"} <= names


def test_two_values_for_one_address(honest):
    # Change an accessed cell's value both in the access list and in one sorted copy: the
    # permutation still holds, but the address now has two values.
    lay = honest.layout
    i = row_where(honest, lambda r: flag(honest, r, Flag.OPCODE_ASSERT_EQ) == 1)
    address, value = honest.main[L.DST_ADDR][i], honest.main[L.DST][i]
    row, slot = next(
        (r, s) for r in range(honest.trace_length) for s in range(L.MEM_SLOTS)
        if honest.main[lay.sorted_mem_addr(s)][r] == address
    )
    main = copy.deepcopy(honest.main)
    main[L.DST][i] = value + 1
    main[lay.sorted_mem_val(slot)][row] = value + 1
    names = failing(honest, main)
    assert "memory_product_final" not in names
    assert any(n.startswith("memory_single_value") for n in names)


def test_sorted_memory_order_tampering(honest):
    lay = honest.layout
    main = copy.deepcopy(honest.main)
    r = row_where(honest, lambda k: honest.main[lay.sorted_mem_addr(1)][k] != honest.main[lay.sorted_mem_addr(1)][k + 7])
    for c in (lay.sorted_mem_addr(1), lay.sorted_mem_val(1)):
        main[c][r], main[c][r + 7] = main[c][r + 7], main[c][r]
    assert any(n.startswith("memory_continuity") for n in failing(honest, main))


def test_range_check_tampering(honest):
    lay = honest.layout
    # An offset outside 16 bits (with the instruction word kept consistent) is not in the
    # sorted range-check values.
    main = copy.deepcopy(honest.main)
    main[L.OFF_OP1][50] += 2**16
    main[L.INST][50] += 2**48
    main[L.FLAG_PREFIX][50] -= 1
    names = failing(honest, main)
    assert "rc_product_final" in names
    # A sorted value that skips (slot 2: the second fixed slot after the one fill).
    names = failing(honest, tampered(honest, lay.sorted_rc + 2, 5, honest.main[lay.sorted_rc + 2][5] + 3))
    assert {"rc_step_fixed_0", "rc_step_fixed_1"} & names
    # A fill value out of range.
    assert "rc_product_final" in failing(honest, tampered(honest, lay.rc_fill(0), 9, 2**16 + 9))


def test_range_check_builtin_tampering(with_range_check):
    trace = with_range_check
    # A limb that no longer adds up to the cell's value.
    assert "rc_builtin_value" in failing(trace, tampered(trace, L.RC_LIMB, 8 + 3, trace.main[L.RC_LIMB][11] + 1))
    # The memory cell claims 2^128 + v while its limbs still spell v.
    main = tampered(trace, L.MX_VAL, 8, trace.main[L.MX_VAL][8] + 2**128)
    assert "rc_builtin_value" in failing(trace, main)
    # The builtin cell moved to another address.
    assert "rc_builtin_next_address" in failing(trace, tampered(trace, L.MX_ADDR, 16, trace.main[L.MX_ADDR][16] + 1))


def test_public_output_tampering(honest):
    st = honest.statement
    cells = dict(st.public_memory)
    cells[st.public_memory[-1][0]] += 1  # the output cell
    lie = replace(st, public_memory=tuple(cells.items()))
    assert failing(honest, statement=lie) == {"memory_product_final"}
    # A claimed end of the run other than the entry code's end loop, or another final ap (which
    # locates main's return values), breaks the statement's rules before any constraint.
    assert violations(honest.main, replace(st, final_pc=st.final_pc + 1), CHALLENGES)[0].constraint.startswith(
        "statement: FINAL_PC")
    assert violations(honest.main, replace(st, final_ap=st.final_ap + 1), CHALLENGES)[0].constraint.startswith(
        "statement: BUILTIN_RETURNS")


def test_run_must_end_in_the_caller_frame(honest):
    # The last row at __end__ with another fp: main has not returned to the entry code's frame.
    last = honest.trace_length - 1
    assert "final_fp" in failing(honest, tampered(honest, L.FP, last, honest.main[L.FP][last] + 1))
    assert "final_pc" in failing(honest, tampered(honest, L.PC, last, honest.main[L.PC][last] + 2))


def test_tampered_running_product(honest):
    aux = CairoAir.for_trace(honest).build_aux_trace(honest.main, CHALLENGES)
    aux[2][100] = (aux[2][100] + 1) % P
    names = {v.constraint for v in violations(honest.main + aux, honest.statement, CHALLENGES)}
    assert {"memory_product_2", "memory_product_3"} <= names
