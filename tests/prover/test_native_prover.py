"""The native backend gives the same proof bytes as the Python reference, run after run, and the
verifier accepts them; a dishonest trace proven natively (prover checks off) is still rejected.
The backend is the caller's choice per proof: nothing global is switched."""
import pytest

from offchain.prover import ProofError, prove, verify
from offchain.prover.airs.fibonacci import FibonacciAir, fibonacci_public_inputs, fibonacci_trace
from offchain.prover.airs.memory import MemoryAir, memory_trace
from offchain.prover.backend import default_backend
from offchain.prover.cairo.air import CairoAir
from offchain.prover.cairo.examples import EXAMPLE_PROGRAMS, run_example
from offchain.prover.cairo.prove import prove_run, verify_run
from offchain.prover.cairo.trace import build_trace
from offchain.prover.native import NativeBackend
from offchain.prover.field import P
from offchain.prover.params import TEST_PARAMS, ProofParams
from offchain.prover.reference import ReferenceBackend

from .helpers import TEST_MIN_SECURITY, cairo_air_class
from .test_air import BlockCounterAir, CubeAir, block_counter_trace, cube_trace

NATIVE, REFERENCE = NativeBackend(), ReferenceBackend()
CUBE_PARAMS = ProofParams(blowup=4, n_queries=8, grinding_bits=2, last_layer_degree_bound=2)


def test_the_native_core_is_the_default():
    assert default_backend().name == "native"


@pytest.mark.parametrize("case", ["fibonacci", "memory", "cube", "blocks"])
def test_generic_airs_prove_the_same_bytes(case):
    n = 64
    if case == "fibonacci":
        trace = fibonacci_trace(n)
        air, params, cls = FibonacciAir(n, fibonacci_public_inputs(trace)), TEST_PARAMS, FibonacciAir
    elif case == "memory":
        trace, air, params, cls = memory_trace(n), MemoryAir(n, [100]), TEST_PARAMS, MemoryAir
    elif case == "cube":
        trace, air, params, cls = cube_trace(n), CubeAir(n, [5]), CUBE_PARAMS, CubeAir
    else:
        trace, air, params, cls = block_counter_trace(n), BlockCounterAir(n, []), CUBE_PARAMS, BlockCounterAir
    native = prove(air, trace, params, backend=NATIVE).to_bytes()
    assert native == prove(air, trace, params, backend=REFERENCE).to_bytes()
    assert native == prove(air, trace, params, backend=NATIVE).to_bytes()
    verify(native, cls, min_security_bits=params.security_bits)


@pytest.mark.parametrize("name", sorted(EXAMPLE_PROGRAMS))
def test_cairo_examples_prove_the_same_bytes(name):
    files = run_example(name, EXAMPLE_PROGRAMS[name][0])
    native = prove_run(files, TEST_PARAMS, backend=NATIVE).to_bytes()
    if name != "range_check":  # 2^13 steps: the reference takes half a minute; the others cover it
        assert native == prove_run(files, TEST_PARAMS, backend=REFERENCE).to_bytes()
    assert native == prove_run(files, TEST_PARAMS, backend=NATIVE).to_bytes()
    statement = verify(native, cairo_air_class(files), min_security_bits=TEST_MIN_SECURITY).statement
    assert statement.output() == EXAMPLE_PROGRAMS[name][1]


def test_default_parameters_prove_the_same_bytes():
    """The >= 96-bit parameters: blowup 8, folding by 4 to 64 coefficients, 16 grinding bits."""
    files = run_example("recursion", EXAMPLE_PROGRAMS["recursion"][0])
    native = prove_run(files, ProofParams(), backend=NATIVE).to_bytes()
    assert native == prove_run(files, ProofParams(), backend=REFERENCE).to_bytes()
    assert verify_run(native, cairo_air_class(files).programs).output() == EXAMPLE_PROGRAMS["recursion"][1]


def test_a_false_trace_proven_natively_is_rejected():
    """The prover's checks off: a forger's trace still has to get past the verifier."""
    bad = cube_trace(32)
    bad[0][9] = (bad[0][9] + 1) % P
    with pytest.raises(ProofError):
        verify(prove(CubeAir(32, [5]), bad, CUBE_PARAMS, check=False, backend=NATIVE).to_bytes(), CubeAir,
               min_security_bits=CUBE_PARAMS.security_bits)
    files = run_example("loop_jnz", EXAMPLE_PROGRAMS["loop_jnz"][0])
    trace = build_trace(files)
    main = [list(c) for c in trace.main]
    main[1][5] += 1  # ap of one step
    air = CairoAir.for_trace(trace)
    data = prove(air, main, TEST_PARAMS, check=False, backend=NATIVE).to_bytes()
    with pytest.raises(ProofError):
        verify(data, cairo_air_class(files), min_security_bits=TEST_MIN_SECURITY)
