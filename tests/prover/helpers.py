"""Proofs shared by the prover tests (built once per session: pure-Python proving is slow)."""
from functools import lru_cache

from offchain.prover import prove
from offchain.prover.airs.fibonacci import FibonacciAir, fibonacci_public_inputs, fibonacci_trace
from offchain.prover.airs.memory import MemoryAir, memory_trace
from offchain.prover.params import TEST_PARAMS, ProofParams

# Tests use fast, insecure parameters and say so to the verifier explicitly.
TEST_MIN_SECURITY = TEST_PARAMS.security_bits


@lru_cache(maxsize=None)
def fibonacci_proof(n: int, params: ProofParams = TEST_PARAMS) -> bytes:
    trace = fibonacci_trace(n)
    return prove(FibonacciAir(n, fibonacci_public_inputs(trace)), trace, params).to_bytes()


@lru_cache(maxsize=None)
def memory_proof(n: int, params: ProofParams = TEST_PARAMS) -> bytes:
    return prove(MemoryAir(n, [100]), memory_trace(n), params).to_bytes()


def cairo_air_class(files):
    """The Cairo AIR class of a verifier that knows the program of these runner files."""
    from offchain.prover.cairo.air import CairoAir
    from offchain.prover.cairo.statement import CairoStatement, Programs

    return CairoAir.knowing(Programs([CairoStatement.from_run(files).program()]))
