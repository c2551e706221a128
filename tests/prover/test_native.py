"""The native core (native/, `stark_native`) against the Python reference: each phase of the
backends, the constraint programs against the AIRs' own `evaluate` on random rows, the native
Cairo trace against the reference trace, and the inputs an attacker or a bug could hand it."""
import random
from dataclasses import replace

import pytest
import stark_native

from offchain.prover import fri, kernels
from offchain.prover.air import Frame
from offchain.prover.airs.fibonacci import FibonacciAir, fibonacci_public_inputs, fibonacci_trace
from offchain.prover.airs.memory import MemoryAir, memory_trace
from offchain.prover.cairo.air import CairoAir
from offchain.prover.cairo.examples import EXAMPLE_PROGRAMS, run_example
from offchain.prover.cairo.trace import TraceBuildError, build_aux_columns, build_trace
from offchain.prover.channel import Channel
from offchain.prover.errors import TraceError
from offchain.prover.field import GENERATOR, P, root_of_unity
from offchain.prover.native import NativeBackend, from_ints, ints, to_ints, words
from offchain.prover.native import cairo as native_cairo
from offchain.prover.native.program import constraint_program
from offchain.prover.params import ProofParams
from offchain.prover.reference import ReferenceBackend

from .test_air import CubeAir, cube_trace

NATIVE, REFERENCE = NativeBackend(), ReferenceBackend()
rng = random.Random(13)


def random_columns(width: int, n: int) -> list[list[int]]:
    return [[rng.randrange(P) for _ in range(n)] for _ in range(width)]


def test_field_element_words_are_checked():
    assert to_ints(from_ints([[0, 1, P - 1]])) == [[0, 1, P - 1]]
    with pytest.raises(ValueError, match="not a field element"):
        stark_native.Columns.from_words([P.to_bytes(32, "big")])
    with pytest.raises(ValueError, match="32-byte"):
        stark_native.Columns.from_words([b"\x01" * 31])
    with pytest.raises(ValueError, match="differ in length"):
        stark_native.Columns.from_words([words([1, 2]), words([1])])


@pytest.mark.parametrize("blowup", [2, 4, 8])
def test_commitment_rows_and_values_match_the_reference(blowup):
    n = 32
    columns = random_columns(5, n)
    ref, nat = REFERENCE.commit(columns, blowup), NATIVE.commit(from_ints(columns), blowup)
    assert nat.root == ref.root
    positions = [0, 1, 7, n * blowup - 1]
    assert nat.rows(positions) == ref.rows(positions)
    assert [nat.path(q) for q in positions] == [ref.path(q) for q in positions]
    at = [(c, rng.randrange(P)) for c in range(5)]
    assert NATIVE.evaluate([nat], at) == REFERENCE.evaluate([ref], at)
    # Committing coefficients directly (the composition parts' way).
    coeffs = random_columns(2, n)
    assert NATIVE.commit(from_ints(coeffs), blowup, interpolated=True).root == \
        REFERENCE.commit(coeffs, blowup, interpolated=True).root


def test_shapes_are_refused():
    with pytest.raises(ValueError, match="power-of-two"):
        stark_native.Segment.from_evaluations(from_ints([[1, 2, 3]]), 4)
    with pytest.raises(ValueError, match="blowup"):
        stark_native.Segment.from_evaluations(from_ints([[1, 2, 3, 4]]), 3)
    with pytest.raises(ValueError, match="columns of"):
        NATIVE.columns([[1, 2, 3, 4]], 2, 4)
    segment = NATIVE.commit(from_ints([[1, 2, 3, 4]]), 2)
    with pytest.raises(ValueError, match="out of range"):
        NATIVE.evaluate([segment], [(1, 5)])
    with pytest.raises(ValueError, match="outside the LDE domain of 8 points"):
        segment.rows([8])
    with pytest.raises(ValueError, match="outside the LDE domain"):
        segment.path(9)
    layer = NATIVE.fri_layer(from_ints([list(range(8))]), 2)
    with pytest.raises(ValueError, match="outside the layer's 4 leaves"):
        layer.decommit(4)


@pytest.mark.parametrize("k,last", [(2, 1), (4, 2), (8, 8)])
def test_fri_layers_match_the_reference(k, last):
    n, blowup = 64, 4
    params = ProofParams(blowup=blowup, n_queries=10, folding_factor=k, last_layer_degree_bound=last)
    evals = kernels.coset_lde([rng.randrange(P) for _ in range(n)], blowup, GENERATOR)
    ref = fri.commit(Channel([5]), evals, GENERATOR, n, params)
    nat = fri.commit(Channel([5]), from_ints([evals]), GENERATOR, n, params, backend=NATIVE, size=len(evals))
    assert nat.roots == ref.roots and nat.remainder == ref.remainder
    for q in (0, 5, len(evals) - 1):
        assert nat.decommit(q) == ref.decommit(q)


def test_fri_refuses_a_high_degree_input_natively():
    n, blowup = 64, 4
    params = ProofParams(blowup=blowup, n_queries=10, folding_factor=2, last_layer_degree_bound=4)
    evals = kernels.coset_lde([rng.randrange(P) for _ in range(2 * n)], blowup // 2, GENERATOR)
    with pytest.raises(ValueError, match="degree above its bound"):
        fri.commit(Channel([5]), from_ints([evals]), GENERATOR, n, params, backend=NATIVE, size=len(evals))


def test_grinding_finds_the_reference_nonce():
    state = bytes(range(32))
    for bits in (0, 1, 8, 12):
        assert NATIVE.grind(state, bits) == REFERENCE.grind(state, bits)
    with pytest.raises(ValueError):
        stark_native.grind(state, 64)


def test_deep_matches_the_pointwise_reference():
    n, blowup = 16, 4
    columns = random_columns(3, n)
    ref, nat = REFERENCE.commit(columns, blowup), NATIVE.commit(from_ints(columns), blowup)
    g = root_of_unity(4)
    z = rng.randrange(P)
    groups = []
    for o, cols in ((0, [0, 1, 2]), (1, [0, 2])):
        point = z * pow(g, o, P) % P
        values = REFERENCE.evaluate([ref], [(c, point) for c in cols])
        groups.append((point, [(c, rng.randrange(P), v) for c, v in zip(cols, values)]))
    assert to_ints(NATIVE.deep([nat], groups, blowup))[0] == REFERENCE.deep([ref], groups, blowup).tolist()


def reference_numerators(air, columns: list[list[int]], challenges: list[int]) -> list[list[int]]:
    """The AIR's Python evaluate on ints, row by row (rows wrap around)."""
    n = len(columns[0])
    periodic_columns = air.periodic_columns()
    out = [[0] * n for _ in air.constraints()]
    for i in range(n):
        rows = {o: [columns[c][(i + o) % n] if o in air.column_offsets(c) else None for c in range(air.width)]
                for o in air.offsets}
        periodic = [col[i % len(col)] for col in periodic_columns]
        for k, v in enumerate(air.evaluate(Frame(rows), periodic, challenges)):
            out[k][i] = v % P
    return out


def cairo_air(name: str = "recursion", trace_length: int = 16) -> CairoAir:
    """The AIR of an example's statement at another trace length (random rows need no run)."""
    air = CairoAir.for_trace(build_trace(run_example(name, EXAMPLE_PROGRAMS[name][0])))
    return type(air)(trace_length, air.public_inputs)


@pytest.mark.parametrize("make", [
    lambda: FibonacciAir(16, [1, 1, 5]),
    lambda: MemoryAir(16, [100]),
    lambda: CubeAir(16, [5]),
    lambda: cairo_air(),
    lambda: cairo_air("pedersen_chain", 2048),
    lambda: cairo_air("signatures", 2048),
], ids=["fibonacci", "memory", "cube", "cairo", "cairo_pedersen", "cairo_ecdsa"])
def test_program_agrees_with_evaluate_on_random_rows(make):
    """Random rows satisfy no constraint: every numerator is exercised with arbitrary values."""
    air = make()
    n = air.trace_length
    challenges = [rng.randrange(P) for _ in range(air.n_challenges)]
    columns = random_columns(air.width, n)
    program, degrees = constraint_program(air, challenges)
    native = to_ints(stark_native.evaluate_program(program, [from_ints(columns)],
                                                   [words(p) for p in air.periodic_columns()]))
    assert native == reference_numerators(air, columns, challenges)
    assert all(d <= c.degree for d, c in zip(degrees, air.constraints()))


def test_declared_degree_below_the_program_degree_is_refused():
    class Understated(CubeAir):
        def constraints(self):
            return [c.__class__(c.name, 2 if c.name == "cube" else c.degree, c.rows) for c in super().constraints()]

    air = Understated(32, [5])
    main = NATIVE.columns(cube_trace(32), 1, 32)
    with pytest.raises(TraceError, match="'cube' has degree 3, declared 2"):
        NATIVE.check(air, [main], [])


def test_check_names_the_reference_violation():
    air = MemoryAir(32, [100])
    main = memory_trace(32)
    main[3][11] = (main[3][11] + 1) % P  # a sorted value no longer matches its address
    challenges = [rng.randrange(P) for _ in range(2)]
    aux = air.build_aux_trace(main, challenges)
    messages = []
    for backend in (REFERENCE, NATIVE):
        with pytest.raises(TraceError) as e:
            backend.check(air, [backend.columns(main, 4, 32), backend.columns(aux, 1, 32)], challenges)
        messages.append(str(e.value))
    assert messages[0] == messages[1] and "fails at row" in messages[0]


def test_program_refuses_malformed_tapes():
    with pytest.raises(ValueError, match="not computed before"):
        stark_native.Program([(0, 0, 1, 1, 0)], [(0, 0, 0)], b"", [(0, 0)])
    with pytest.raises(ValueError, match="input 3 out of range"):
        stark_native.Program([(0, 1, 3, 1, 0)], [(0, 0, 0)], b"", [(0, 0)])
    with pytest.raises(ValueError, match="unknown op"):
        stark_native.Program([(7, 1, 0, 1, 0)], [(0, 0, 0)], b"", [(0, 0)])
    program = stark_native.Program([(0, 1, 0, 1, 0)], [(0, 4, 0)], b"", [(0, 0)])
    with pytest.raises(ValueError, match="reads column 4 of 1"):
        stark_native.evaluate_program(program, [from_ints([[1, 2, 3, 4]])], [])


@pytest.mark.parametrize("name", sorted(EXAMPLE_PROGRAMS))
def test_native_cairo_trace_is_the_reference_trace(name):
    files = run_example(name, EXAMPLE_PROGRAMS[name][0])
    ref, nat = build_trace(files), native_cairo.build_trace(files)
    assert nat.statement == ref.statement and nat.layout == ref.layout
    assert to_ints(nat.main) == ref.main
    challenges = [rng.randrange(P) for _ in range(3)]
    assert to_ints(native_cairo.aux_trace(nat.layout, nat.main, challenges)) == \
        build_aux_columns(ref.layout, ref.main, challenges)


def test_native_cairo_trace_from_parsed_files_and_forced_fill_count():
    files = run_example("fibonacci", EXAMPLE_PROGRAMS["fibonacci"][0])
    parsed_only = replace(files, raw=None)
    assert to_ints(native_cairo.build_trace(parsed_only, n_rc_fill=4).main) == build_trace(files, n_rc_fill=4).main


def test_native_cairo_trace_refuses_what_the_reference_refuses():
    files = run_example("fibonacci", EXAMPLE_PROGRAMS["fibonacci"][0])
    trace_bytes, memory_bytes = files.raw
    cases = {
        "not a multiple of 40": (trace_bytes, memory_bytes[:-1]),
        "not a multiple of 24": (trace_bytes[:-1], memory_bytes),
        "expected n_steps": (trace_bytes[:24 * 8], memory_bytes),
    }
    for message, raw in cases.items():
        tampered = replace(files, raw=raw)
        with pytest.raises(TraceBuildError, match=message):
            native_cairo.build_trace(tampered)
    # A step that reads memory the run never wrote: drop the cell the first instruction reads.
    first_pc = files.trace[0].pc
    entries = [memory_bytes[i:i + 40] for i in range(0, len(memory_bytes), 40)]
    kept = b"".join(e for e in entries if int.from_bytes(e[:8], "little") != first_pc)
    tampered = replace(files, raw=(trace_bytes, kept))
    with pytest.raises(TraceBuildError, match=f"reads address {first_pc}, which has no value"):
        native_cairo.build_trace(tampered)
    # A memory cell written twice with different values.
    twice = memory_bytes + entries[0][:8] + ((int.from_bytes(entries[0][8:], "little") + 1) % P).to_bytes(32, "little")
    tampered = replace(files, raw=(trace_bytes, twice))
    with pytest.raises(TraceBuildError, match="written twice"):
        native_cairo.build_trace(tampered)


def test_fibonacci_air_values_round_trip():
    trace = fibonacci_trace(16)
    air = FibonacciAir(16, fibonacci_public_inputs(trace))
    NATIVE.check(air, [NATIVE.columns(trace, 2, 16)], [])
    assert ints(words([5, P - 1])) == [5, P - 1]
