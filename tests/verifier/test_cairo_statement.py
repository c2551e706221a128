"""The Cairo statement pins everything a forger could choose (offchain/prover/cairo/statement.py):
forgeries built with this project's own prover, and every field of an honest statement changed,
are refused by the Python and the Solidity verifier alike, with the same named rule; random
statements get the same verdict from both."""
import random
from dataclasses import replace

import pytest
from eth_abi import decode

from offchain.core.facts import fact as expected_fact, program_hash_of
from offchain.prover import ProofParams
from offchain.prover.cairo import statement as statement_rules
from offchain.prover.cairo.air import CairoAir
from offchain.prover.cairo.check import violations
from offchain.prover.cairo.examples import ATTACK_PROGRAMS, EXAMPLE_PROGRAMS, run_example
from offchain.prover.cairo.prove import verify_run
from offchain.prover.cairo.runner_files import PublicMemoryCell
from offchain.prover.cairo.statement import (
    CALLER_FRAME_CELLS, HEADER, N_PUBLIC_MEMORY, CairoStatement, Rule, program_code_hash,
)
from offchain.prover.cairo.trace import build_trace
from offchain.prover.channel import Channel
from offchain.prover.field import P
from offchain.prover.protocol import seed_words

from . import rpc
from .cairo_proofs import bytecode, cairo_proof, entry_mutants, known, program_hash
from .forgeries import (
    forge_proof, python_verdict, revert_verdict, rules_off, solidity_verdict, statement_verdict, truncated_run,
    with_words,
)

CHALLENGES = [random.Random(3).randrange(P) for _ in range(3)]
FORGED_OUTPUT = [666]


def refused(rule: Rule) -> tuple[str, str]:
    return ("StatementRejected", rule.name)


def air_violations(trace, statement=None) -> set[str]:
    """The constraints the trace breaks for the statement, its rules aside (the direct checker)."""
    statement = statement or trace.statement
    with rules_off():
        air = CairoAir.knowing(known())(trace.trace_length, statement.to_field_elements())
        aux = air.build_aux_trace(trace.main, CHALLENGES)
        return {v.constraint for v in violations(trace.main + aux, statement, CHALLENGES)}


def both_verdicts(verifier, proof) -> tuple[str, str | None]:
    verdict = python_verdict(proof)
    assert solidity_verdict(verifier, proof) == verdict
    return verdict


# --- the end of the run ----------------------------------------------------------------------

def test_truncated_run_with_a_forged_output_is_refused(cairo_verifier, cairo_registry):
    """The review's forgery: 64 steps of a 512-step run that loops, then writes 7; the final
    registers of row 63 (inside the loop) and 666 in an output cell those steps never touch."""
    files = run_example("loop_then_output", {})
    trace = truncated_run(files, 64, FORGED_OUTPUT)
    assert trace.statement.output() == FORGED_OUTPUT
    proof = forge_proof(trace.statement, trace.main, ProofParams())
    assert both_verdicts(cairo_verifier, proof) == refused(Rule.FINAL_PC)
    with pytest.raises(rpc.Reverted) as e:
        rpc.call(cairo_registry, "verifyProofAndRegister", proof.to_bytes())
    assert revert_verdict(e.value) == refused(Rule.FINAL_PC)
    assert not cairo_registry.isValid(expected_fact(program_hash("loop_then_output"), FORGED_OUTPUT))
    # The AIR refuses it too, apart from the rule: in the loop fp is main's, not the entry code's.
    assert air_violations(trace) == {"final_fp"}
    with rules_off(Rule.FINAL_PC):
        assert python_verdict(proof) == ("CompositionMismatch", None)


@pytest.mark.parametrize("claim_end", [False, True], ids=["own-registers", "claims-end-loop"])
@pytest.mark.parametrize("steps", [64, 128])
def test_a_run_stopped_before_the_end_loop_is_refused(cairo_verifier, steps, claim_end):
    # The loop runs until about step 245; the honest output is kept, only the end is missing.
    trace = truncated_run(run_example("loop_then_output", {}), steps, [7], claim_end)
    verdict = both_verdicts(cairo_verifier, forge_proof(trace.statement, trace.main))
    if claim_end:
        # Claiming the end loop's pc: the last row is not at it (final_pc), nor in its frame (final_fp).
        assert {"final_pc", "final_fp"} <= air_violations(trace)
        assert verdict[0] in ("StatementRejected", "CompositionMismatch")
    else:
        assert verdict == refused(Rule.FINAL_PC)


def registered_fact(registry, proof) -> bytes:
    """The fact verifyProofAndRegister registers (its return value, by a call)."""
    return rpc.call(registry, "verifyProofAndRegister", proof.to_bytes())


def test_the_whole_run_proves_its_output(cairo_verifier, cairo_registry):
    proof = cairo_proof("loop_then_output")
    assert verify_run(proof.to_bytes(), known()).output() == ATTACK_PROGRAMS["loop_then_output"][1] == [7]
    assert both_verdicts(cairo_verifier, proof) == ("accepted", None)
    fact = expected_fact(program_hash("loop_then_output"), [7])
    assert registered_fact(cairo_registry, proof) == fact


# --- every field of the statement ------------------------------------------------------------

def _header(field, change):
    return lambda st: replace(st, **{field: change(st)}).to_field_elements()


def _cell(index, address=None, value=None):
    """Cell `index(st)` of the public memory with its address and/or value changed."""
    def mutate(st):
        cells = list(st.public_memory)
        i = index(st)
        a, v = cells[i]
        cells[i] = (address(st, a) if address else a, value(st, v) if value else v)
        return replace(st, public_memory=tuple(cells)).to_field_elements()
    return mutate


def _cells(change):
    return lambda st: replace(st, public_memory=tuple(change(st, list(st.public_memory)))).to_field_elements()


def _count(delta):
    def mutate(st):
        words = st.to_field_elements()
        words[N_PUBLIC_MEMORY] += delta
        return words
    return mutate


def _argument(k):
    return lambda st: CALLER_FRAME_CELLS + k


def _return(k):
    return lambda st: CALLER_FRAME_CELLS + st.n_builtins + k


def _segment(name):
    return lambda st: next((b, s) for n, b, s in st.builtin_segments() if n == name)


def _program(code):
    """The statement naming another program (one the verifiers know, or not)."""
    h = int.from_bytes(program_code_hash(code), "big")
    return lambda st: replace(st, program_hash_high=h >> 128, program_hash_low=h % 2**128,
                              program_length=len(code)).to_field_elements()


def _mutant(label):
    return _program(entry_mutants("range_check")[label])


OUTPUT, RANGE_CHECK = _segment("output"), _segment("range_check")  # range_check.cairo: output, range_check
COMPOSITION = ("CompositionMismatch", None)

# (label, change of range_check.cairo's honest statement, the verdict of both verifiers)
FIELD_CHANGES = [
    ("layout", _header("layout", lambda st: st.layout + 1), refused(Rule.LAYOUT)),
    ("n_rc_fill zero", _header("n_rc_fill", lambda st: 0), refused(Rule.N_RC_FILL)),
    ("n_rc_fill beyond the bound", _header("n_rc_fill", lambda st: 65), refused(Rule.N_RC_FILL)),
    ("n_rc_fill another count", _header("n_rc_fill", lambda st: 16), ("WrongShape", None)),
    ("n_pedersen_lanes for a program without pedersen", _header("n_pedersen_lanes", lambda st: 1), refused(Rule.LANES)),
    ("n_ecdsa_lanes for a program without ecdsa", _header("n_ecdsa_lanes", lambda st: 1), refused(Rule.LANES)),
    ("rc_min lower", _header("rc_min", lambda st: st.rc_min - 1 if st.rc_min else 1), COMPOSITION),
    ("rc_max higher", _header("rc_max", lambda st: st.rc_max + 1), COMPOSITION),
    ("rc_max beyond 16 bits", _header("rc_max", lambda st: 2**16), refused(Rule.RC_BOUNDS)),
    ("rc bounds reversed", _header("rc_min", lambda st: st.rc_max + 1), refused(Rule.RC_BOUNDS)),
    ("initial_pc", _header("initial_pc", lambda st: st.initial_pc + 1), refused(Rule.PROGRAM_SEGMENT)),
    ("final_pc", _header("final_pc", lambda st: st.final_pc + 2), refused(Rule.FINAL_PC)),
    ("initial_ap", _header("initial_ap", lambda st: st.initial_ap + 1), refused(Rule.INITIAL_AP)),
    ("final_ap inside main's frame", _header("final_ap", lambda st: st.initial_ap + 3), refused(Rule.FINAL_AP)),
    ("final_ap beyond 2^64", _header("final_ap", lambda st: 2**64), refused(Rule.FINAL_AP)),
    ("final_ap moved", _header("final_ap", lambda st: st.final_ap + 1), refused(Rule.BUILTIN_RETURNS)),
    ("program_length shorter", _header("program_length", lambda st: st.program_length - 1),
     refused(Rule.PROGRAM_SEGMENT)),
    ("program_length longer", _header("program_length", lambda st: st.program_length + 1),
     refused(Rule.PROGRAM_SEGMENT)),
    ("program_length below the entry code", _header("program_length", lambda st: 5), refused(Rule.PROGRAM_LENGTH)),
    ("program_hash_high", _header("program_hash_high", lambda st: st.program_hash_high ^ 1),
     refused(Rule.PROGRAM_SEGMENT)),
    ("program_hash_low", _header("program_hash_low", lambda st: st.program_hash_low ^ 1),
     refused(Rule.PROGRAM_SEGMENT)),
    ("program hash halves beyond 128 bits", _header("program_hash_high", lambda st: st.program_hash_high + 2**128),
     refused(Rule.PROGRAM_SEGMENT)),
    ("program hash of an unknown program", _program([*bytecode("range_check"), 0]), refused(Rule.PROGRAM_SEGMENT)),
    ("builtins: range_check left out", _header("builtins", lambda st: 0b0001), refused(Rule.ENTRY_CODE)),
    ("builtins: pedersen claimed", _header("builtins", lambda st: 0b0111), refused(Rule.LANES)),
    ("builtins: beyond the layout", _header("builtins", lambda st: 0b10101), refused(Rule.BUILTINS)),
    ("public memory count", _count(1), refused(Rule.ENCODING)),
    ("entry code: ap += n", _mutant("ap += n"), refused(Rule.ENTRY_CODE)),
    ("entry code: n", _mutant("n"), refused(Rule.ENTRY_CODE)),
    ("entry code: call", _mutant("call"), refused(Rule.ENTRY_CODE)),
    ("entry code: jmp rel 0", _mutant("jmp rel 0"), refused(Rule.ENTRY_CODE)),
    ("entry code: main's offset", _mutant("main's offset"), COMPOSITION),
    ("program word", _mutant("last word"), COMPOSITION),
    ("listed cell at address 0", _cell(lambda st: 0, address=lambda st, a: 0), refused(Rule.MEMORY_ORDER)),
    ("listed cells swapped", _cells(lambda st, c: [c[1], c[0], *c[2:]]), refused(Rule.MEMORY_ORDER)),
    ("caller's fp", _cell(lambda st: 0, value=lambda st, v: v + 1), refused(Rule.CALLER_FRAME)),
    ("caller's pc", _cell(lambda st: 1, value=lambda st, v: 1), refused(Rule.CALLER_FRAME)),
    ("caller's frame dropped", _cells(lambda st, c: c[1:]), refused(Rule.CALLER_FRAME)),
    ("argument address", _cell(_argument(1), address=lambda st, a: a + 1), refused(Rule.BUILTIN_ARGUMENTS)),
    ("return value address", _cell(_return(0), address=lambda st, a: a - 1), refused(Rule.BUILTIN_RETURNS)),
    ("output begin", _cell(_argument(0), value=lambda st, v: v + 1), refused(Rule.OUTPUT_CELLS)),
    ("output stop", _cell(_return(0), value=lambda st, v: v + 1), refused(Rule.OUTPUT_CELLS)),
    ("range_check begin inside the output", _cell(_argument(1), value=lambda st, v: OUTPUT(st)[1] - 1),
     refused(Rule.SEGMENT_ORDER)),
    ("range_check begin near 2^64", _cell(_argument(1), value=lambda st, v: 2**64 - 8), refused(Rule.SEGMENT_ORDER)),
    ("range_check begin moved", _cell(_argument(1), value=lambda st, v: v - 1), COMPOSITION),
    ("range_check stop beyond its lane",
     _cell(_return(1), value=lambda st, v: RANGE_CHECK(st)[0] + cairo_proof("range_check").trace_length // 8 + 1),
     refused(Rule.BUILTIN_SEGMENT)),
    ("range_check stop before its begin", _cell(_return(1), value=lambda st, v: RANGE_CHECK(st)[0] - 1),
     refused(Rule.BUILTIN_SEGMENT)),
    ("range_check stop lower", _cell(_return(1), value=lambda st, v: v - 1), COMPOSITION),
    ("output value", _cell(lambda st: len(st.public_memory) - 1, value=lambda st, v: v + 1), COMPOSITION),
    ("output address", _cell(lambda st: len(st.public_memory) - 1, address=lambda st, a: a + 1),
     refused(Rule.OUTPUT_CELLS)),
    ("extra public cell", _cells(lambda st, c: [*c, (c[-1][0] + 1, 0)]), refused(Rule.OUTPUT_CELLS)),
]


def test_field_changes_cover_every_field_and_rule():
    labels = " ".join(label for label, _, _ in FIELD_CHANGES)
    for field in statement_rules.HEADER_FIELDS:
        assert field in labels, field
    assert {verdict[1] for _, _, verdict in FIELD_CHANGES} >= {rule.name for rule in Rule}


@pytest.mark.parametrize("label,change,verdict", FIELD_CHANGES, ids=[c[0] for c in FIELD_CHANGES])
def test_a_changed_field_is_refused_by_name(cairo_verifier, label, change, verdict):
    proof = cairo_proof("range_check")
    statement = CairoStatement.from_field_elements(proof.public_inputs, known())
    words = change(statement)
    assert words != proof.public_inputs
    assert both_verdicts(cairo_verifier, with_words(proof, words)) == verdict


def test_every_word_and_parameter_is_bound_before_the_first_challenge():
    """The channel's seed holds the parameters, n_steps (the trace length) and every statement
    word, so that a change to any of them changes every challenge (StarkVerifier._seedWords is
    the same list: tests/verifier/test_libraries.py checks the channels agree on any seed)."""
    proof = cairo_proof("range_check")
    params, n, words = proof.params.to_words(), proof.trace_length, list(proof.public_inputs)

    def first_challenges(params_words, trace_length, public_inputs):
        channel = Channel([*params_words, trace_length, len(public_inputs), *public_inputs])
        channel.absorb_root(proof.trace_roots[0])
        return channel.draw_felts(CairoAir.n_challenges)

    assert seed_words(proof.params, n, words) == [*params, n, len(words), *words]
    honest = first_challenges(params, n, words)
    for k in range(len(params)):
        changed = [*params[:k], params[k] + 1, *params[k + 1:]]
        assert set(first_challenges(changed, n, words)).isdisjoint(honest)
    assert set(first_challenges(params, 2 * n, words)).isdisjoint(honest)
    for k in range(len(words)):
        changed = [*words[:k], (words[k] + 1) % P, *words[k + 1:]]
        assert set(first_challenges(params, n, changed)).isdisjoint(honest), k


def test_public_memory_out_of_order_would_prove_an_output_never_written(cairo_verifier):
    """The public memory product does not see the order of the cells, but the output is read by
    index: two output cells swapped in the statement would prove, for the same run, an output
    with two words swapped. MEMORY_ORDER refuses it."""
    trace = build_trace(run_example("output_many", EXAMPLE_PROGRAMS["output_many"][0]))
    cells = list(trace.statement.public_memory)
    # Two inner output cells: OUTPUT_CELLS pins the output's first and last addresses only.
    swapped = replace(trace.statement, public_memory=tuple([*cells[:-3], cells[-2], cells[-3], cells[-1]]))
    honest = trace.statement.output()
    assert swapped.output() == [*honest[:-3], honest[-2], honest[-3], honest[-1]]
    assert air_violations(trace, swapped) == set()
    proof = forge_proof(swapped, trace.main)
    assert both_verdicts(cairo_verifier, proof) == refused(Rule.MEMORY_ORDER)
    with rules_off(Rule.MEMORY_ORDER):
        assert python_verdict(proof) == ("accepted", None)


# --- the builtins come from the program -------------------------------------------------------

def test_a_program_using_range_check_cannot_claim_not_to(cairo_verifier):
    """range_check.cairo (builtins: output, range_check) claimed with the output builtin alone: main's
    one return value is then its last, the range_check stop, read as the output's stop, so the
    output runs over the range_check segment and the unused cells below it, whose values the forger
    picks; and no range_check lane checks the cells the program range-checks. The entry code's
    builtin count refuses it; without that rule the proof verifies, for a program whose hash
    (its builtin list is hashed) is not range_check.cairo's."""
    files = run_example("range_check", EXAMPLE_PROGRAMS["range_check"][0])
    honest = CairoStatement.from_run(files, 1)
    (_, out_begin, _), (_, _, rc_stop) = honest.builtin_segments()
    output = [files.memory.get(a, 666) for a in range(out_begin, rc_stop)]
    program = [(honest.initial_pc + i, v) for i, v in enumerate(honest.program())]
    kept = honest.public_memory[:CALLER_FRAME_CELLS + 1]  # ... and [initial_ap] = out_begin
    cells = [*program, *kept, (honest.final_ap - 1, rc_stop), *zip(range(out_begin, rc_stop), output)]
    pi = files.public_input
    forged = replace(files, builtins=("output",), public_input=replace(
        pi, public_memory=tuple(PublicMemoryCell(a, v) for a, v in cells)))
    with rules_off():
        trace = build_trace(forged)
    assert 666 in trace.statement.output()
    proof = forge_proof(trace.statement, trace.main)
    assert both_verdicts(cairo_verifier, proof) == refused(Rule.ENTRY_CODE)
    with rules_off(Rule.ENTRY_CODE):
        assert python_verdict(proof) == ("accepted", None)
    assert program_hash_of(["output"], bytecode("range_check")) != program_hash("range_check")


def test_a_program_cannot_claim_a_builtin_it_does_not_use(cairo_verifier):
    """fibonacci.cairo (builtins: output) claimed with range_check too: main's second argument
    and return value are what the run left there."""
    files = run_example("fibonacci", {"n": 9})
    honest = CairoStatement.from_run(files, 1)
    ap, final_ap = honest.initial_ap, honest.final_ap
    cells = dict(honest.public_memory)
    # With two builtins main's arguments are [ap], [ap + 1] and its return values [final_ap - 2], [final_ap - 1].
    cells[ap + 1] = files.memory[ap + 1]
    cells[final_ap - 2] = files.memory[final_ap - 2]
    claimed = replace(honest, builtins=0b0101, public_memory=tuple(sorted(cells.items())))
    proof = forge_proof(claimed, build_trace(files).main)
    assert both_verdicts(cairo_verifier, proof) == refused(Rule.ENTRY_CODE)


def test_a_relabelled_builtin_is_another_program(cairo_verifier, cairo_registry):
    """range_check_only.cairo's builtin relabelled as output (the count in its entry code agrees):
    the proof holds for that other program, (output) + the same bytecode, whose range-checked cell
    becomes its output; the registry registers it under that program's hash, never the real one's."""
    files = run_example("range_check_only", {})
    (rc_begin, rc_stop), = [(b, s) for n, b, s in CairoStatement.from_run(files, 1).builtin_segments()]
    relabelled_cell = PublicMemoryCell(rc_begin, files.memory[rc_begin])
    pi = files.public_input
    relabelled = replace(files, builtins=("output",), public_input=replace(
        pi, public_memory=(*pi.public_memory, relabelled_cell)))
    trace = build_trace(relabelled)
    assert trace.statement.output() == [files.memory[rc_begin]] and rc_stop == rc_begin + 1
    proof = forge_proof(trace.statement, trace.main)
    assert both_verdicts(cairo_verifier, proof) == ("accepted", None)
    program = bytecode("range_check_only")
    relabelled_hash = program_hash_of(["output"], program)
    assert relabelled_hash != program_hash("range_check_only")
    assert registered_fact(cairo_registry, proof) == expected_fact(relabelled_hash, trace.statement.output())
    # The honest proof registers the real program's fact.
    honest = registered_fact(cairo_registry, cairo_proof("range_check_only"))
    assert honest == expected_fact(program_hash("range_check_only"), [])


def test_a_forged_hash_is_refused_by_the_pedersen_lane(cairo_verifier):
    """pedersen_chain.cairo writes each hash of its chain. A forger changes one hash, in the
    builtin's cell, every copy the program made of it and the output, to 666: the memory and the
    CPU stay consistent, but the pedersen lane computed H(x, y), which is not 666 (output_value),
    so the prover's own check refuses, and a proof forced through is refused by both verifiers."""
    files = run_example("pedersen_chain", EXAMPLE_PROGRAMS["pedersen_chain"][0])
    trace = build_trace(files)
    digest = trace.statement.output()[0]
    main = [[666 if v == digest else v for v in column] for column in trace.main]
    lanes = range(trace.layout.pedersen(0, 0), trace.layout.pedersen(trace.layout.n_pedersen_lanes, 0))
    for c in lanes:  # the lane's own values stay what it computed
        main[c] = trace.main[c]
    forged = replace(trace.statement, public_memory=tuple((a, 666 if v == digest else v)
                                                          for a, v in trace.statement.public_memory))
    assert forged.output()[0] == 666
    assert "pedersen_0/output_value" in air_violations(replace(trace, main=main), forged)
    proof = forge_proof(forged, main)
    assert both_verdicts(cairo_verifier, proof) == COMPOSITION


# --- both verifiers, one definition -----------------------------------------------------------

def _solidity_statement(harness, programs, words, trace_length):
    """The Solidity checks' verdict, and for an accepted statement its AIR constants and first output cell."""
    try:
        data = rpc.call(harness, "cairoStatement", trace_length, words, programs.address)
    except rpc.Reverted as e:
        return revert_verdict(e), None
    constants, output_index = decode(["uint256[]", "uint256"], data)
    return ("accepted", None), (list(constants), output_index)


def _mutate(rng: random.Random, words: list[int]) -> list[int]:
    """One to three random changes: a word set to a nearby or an arbitrary value, a public cell
    dropped, added, duplicated or swapped, or the count changed."""
    for _ in range(rng.randint(1, 3)):
        n_cells = (len(words) - HEADER) // 2
        kind = rng.randrange(6)
        if kind <= 1 or n_cells < 2:
            k = rng.randrange(len(words))
            words[k] = rng.choice([
                words[k] + 1, words[k] - 1, words[k] + 2, 0, 1, rng.randrange(2**64), rng.randrange(P),
                words[rng.randrange(len(words))], 2**64, 2**16, P - 1,
            ]) % P
        elif kind == 2:
            i = HEADER + 2 * rng.randrange(n_cells)
            del words[i:i + 2]
            words[N_PUBLIC_MEMORY] -= rng.random() < 0.9
        elif kind == 3:
            i = HEADER + 2 * rng.randrange(n_cells)
            words[i:i] = [(words[i] + rng.choice([-1, 1, 2])) % P, rng.randrange(P)]
            words[N_PUBLIC_MEMORY] += rng.random() < 0.9
        elif kind == 4:
            i, j = (HEADER + 2 * rng.randrange(n_cells) for _ in range(2))
            words[i:i + 2], words[j:j + 2] = words[j:j + 2], words[i:i + 2]
        else:
            i = HEADER + 2 * rng.randrange(n_cells)
            words[i + 1] = rng.randrange(2**64)
    return words


def test_random_statement_mutations_get_the_same_verdict(harness, cairo_programs, cairo_registry):
    rng = random.Random(2024)
    bases = [cairo_proof(name) for name in ("fibonacci", "range_check", "loop_then_output", "pedersen_chain",
                                            "signatures")]
    seen = set()
    for case in range(400):
        proof = rng.choice(bases)
        words = _mutate(rng, list(proof.public_inputs))
        expected = statement_verdict(words, proof.trace_length)
        verdict, derived = _solidity_statement(harness, cairo_programs, words, proof.trace_length)
        assert verdict == expected, (case, words)
        seen.add(verdict)
        if derived:
            statement = CairoStatement.from_field_elements(words, known())
            constants, output_index = derived
            assert constants == list(vars(statement.air_constants()).values())
            assert list(cairo_registry.outputOf(words)) == statement.output()
            assert output_index == len(statement.public_memory) - len(statement.output())
            program = statement.program()
            assert cairo_registry.programHashOf(words) == program_hash_of(statement.builtin_names(), program)
    # The mutations reach most rules, and some statements pass them.
    assert len(seen) >= 10 and ("accepted", None) in seen


def test_random_proof_statement_mutations_get_the_same_verdict(cairo_verifier):
    rng = random.Random(7)
    proof = cairo_proof("range_check")
    for _ in range(12):
        words = _mutate(rng, list(proof.public_inputs))
        if words != proof.public_inputs:
            assert both_verdicts(cairo_verifier, with_words(proof, words)) != ("accepted", None)
