"""The Cairo AIR on real cairo-run output: decoding, runner files, honest traces of several
programs pass every constraint, and one end-to-end proof with the generic prover."""
import random
from dataclasses import replace

import pytest

from offchain.prover import prove, verify
from offchain.prover.errors import ProofError
from offchain.prover.field import P
from offchain.prover.params import TEST_PARAMS
from offchain.prover.cairo import layout as L
from offchain.prover.cairo.air import CairoAir
from offchain.prover.cairo.check import check_trace
from offchain.prover.cairo.decode import Flag, decode, flags_from_prefixes
from offchain.prover.cairo.examples import ATTACK_PROGRAMS, EXAMPLE_PROGRAMS, run_example
from offchain.prover.cairo.statement import RULE_CHECKS, CairoStatement, Programs, Rule, StatementError
from offchain.prover.cairo.trace import TraceBuildError, build_trace

PROGRAMS = EXAMPLE_PROGRAMS


def random_challenges(seed: int) -> list[int]:
    rng = random.Random(seed)
    return [rng.randrange(P) for _ in range(3)]


@pytest.fixture(scope="module", params=sorted(PROGRAMS))
def example(request):
    program_input, expected_output = PROGRAMS[request.param]
    files = run_example(request.param, program_input)
    return request.param, files, build_trace(files), expected_output


def test_honest_trace_passes_every_constraint(example):
    name, files, trace, expected_output = example
    assert trace.trace_length == files.public_input.n_steps
    assert trace.layout.n_pedersen_lanes == (name == "pedersen_chain")
    assert trace.layout.n_ecdsa_lanes == (name == "signatures")
    assert trace.statement.output() == expected_output
    for seed in range(2):
        check_trace(trace, random_challenges(seed))


def test_trace_rows_are_the_runner_registers(example):
    _, files, trace, _ = example
    for i, state in enumerate(files.trace[:trace.trace_length]):
        assert (trace.main[L.PC][i], trace.main[L.AP][i], trace.main[L.FP][i]) == (state.pc, state.ap, state.fp)
    # Sorted memory contains every public cell with its value.
    sorted_cells = {
        (trace.main[trace.layout.sorted_mem_addr(s)][i], trace.main[trace.layout.sorted_mem_val(s)][i])
        for i in range(trace.trace_length) for s in range(L.MEM_SLOTS)
    }
    assert set(trace.statement.public_cells()) <= sorted_cells


def test_range_check_builtin_cells_are_limbed():
    files = run_example("range_check", PROGRAMS["range_check"][0])
    trace = build_trace(files)
    seg = files.public_input.segments["range_check"]
    assert seg.size == 2 * len(PROGRAMS["range_check"][0]["values"])
    assert trace.layout.n_rc_fill > 1  # the limbs spread rc_min..rc_max over most of [0, 2^16)
    for j in range(seg.size):
        row = 8 * j
        assert trace.main[L.MX_ADDR][row] == seg.begin + j
        limbs = [trace.main[L.RC_LIMB][row + t] for t in range(8)]
        assert sum(limb << (16 * t) for t, limb in enumerate(limbs)) == files.memory[seg.begin + j]


def test_decode_matches_known_instructions():
    ret = decode(0x208B7FFF7FFF7FFE)
    assert ret.flag(Flag.OPCODE_RET) and ret.flag(Flag.PC_JUMP_ABS) and ret.flag(Flag.DST_REG)
    assert (ret.off_dst, ret.off_op0, ret.off_op1) == (2**15 - 2, 2**15 - 1, 2**15 - 1)
    call = decode(0x1104800180018000)
    assert call.flag(Flag.OPCODE_CALL) and call.flag(Flag.OP1_IMM) and call.size == 2
    for word in (0x208B7FFF7FFF7FFE, 0x1104800180018000, 0x480A7FFB7FFF8000):
        d = decode(word)
        assert d.encode() == word
        prefixes = d.flag_prefixes()
        assert prefixes[15] == 0 and flags_from_prefixes(prefixes) == list(d.flags)


def test_statement_round_trips_and_pins_the_output():
    files = run_example("output_many", PROGRAMS["output_many"][0])
    statement = build_trace(files).statement
    n = files.public_input.n_steps
    words = statement.to_field_elements()
    programs = Programs([statement.program()])
    assert CairoStatement.from_field_elements(words, programs) == statement
    assert CairoStatement.from_field_elements(words, programs).program() == statement.program()
    air_class = CairoAir.knowing(programs)
    assert air_class(n, words).statement.output() == [1, 3, 9, 27, 81, 243]
    (name, begin, stop), = statement.builtin_segments()
    assert (name, stop - begin) == ("output", 6)
    # Dropping an output cell from the public memory, or claiming a sub-range of the output (main's
    # output pointer one cell later), leaves the cells after main's return values other than the
    # output segment.
    dropped = replace(statement, public_memory=tuple(c for c in statement.public_memory if c[0] != begin))
    shifted = replace(statement, public_memory=tuple(
        (a, begin + 1 if a == statement.initial_ap else v) for a, v in statement.public_memory))
    for bad in (dropped, shifted):
        with pytest.raises(StatementError) as e:
            air_class(n, bad.to_field_elements())
        assert e.value.rule is Rule.OUTPUT_CELLS
    # A verifier that does not know the program refuses it by its rule.
    with pytest.raises(StatementError) as e:
        CairoAir(n, words)
    assert e.value.rule is Rule.PROGRAM_SEGMENT


def test_rules_are_checked_in_their_code_order():
    """CairoStatementChecks.sol checks in Rule order; ENCODING is the parser's, the rest RULE_CHECKS'."""
    assert [rule for rule, _ in RULE_CHECKS] == list(Rule)[1:]


def test_lanes_exactly_for_the_builtins_used():
    """A program's pedersen and ecdsa cells are constrained only through its lanes: a statement
    without lanes for a builtin the program uses (its cells would be free), or with lanes for one
    it does not use, is refused (LANES); so is a trace too short for a lane's two blocks."""
    files = run_example("pedersen_chain", PROGRAMS["pedersen_chain"][0])
    statement = build_trace(files).statement
    n = files.public_input.n_steps
    air_class = CairoAir.knowing(Programs([statement.program()]))
    for bad in (replace(statement, n_pedersen_lanes=0), replace(statement, n_ecdsa_lanes=1),
                replace(statement, n_pedersen_lanes=171)):
        with pytest.raises(StatementError) as e:
            air_class(n, bad.to_field_elements())
        assert e.value.rule is Rule.LANES
    with pytest.raises(StatementError) as e:
        air_class(512, statement.to_field_elements())
    assert e.value.rule is Rule.LANES
    short = run_example("pedersen_hash", ATTACK_PROGRAMS["pedersen_hash"][0])
    with pytest.raises(TraceBuildError, match="a pedersen lane needs 1024 rows; the trace has 512"):
        build_trace(short)


def test_prove_and_verify_a_cairo_run_end_to_end():
    files = run_example("fibonacci", PROGRAMS["fibonacci"][0])
    trace = build_trace(files)
    air = CairoAir.for_trace(trace)
    assert air.max_degree() == 2
    proof = prove(air, trace.main, TEST_PARAMS).to_bytes()
    air_class = CairoAir.knowing(Programs([trace.statement.program()]))
    verified = verify(proof, air_class, min_security_bits=TEST_PARAMS.security_bits)
    assert verified.statement.output() == PROGRAMS["fibonacci"][1]

    # The same trace claimed with another output: the prover's own check refuses, and a proof
    # forced through without that check does not verify.
    forged = dict(trace.statement.public_memory)
    forged[trace.statement.public_memory[-1][0]] += 1
    lie = replace(trace.statement, public_memory=tuple(forged.items()))
    lying_air = air_class(trace.trace_length, lie.to_field_elements())
    bad_proof = prove(lying_air, trace.main, TEST_PARAMS, check=False).to_bytes()
    with pytest.raises(ProofError):
        verify(bad_proof, air_class, min_security_bits=TEST_PARAMS.security_bits)
