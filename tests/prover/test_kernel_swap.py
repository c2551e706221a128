"""Another kernel implementation can be installed and the prover uses it."""
import types

from offchain.prover import kernels, prove, verify
from offchain.prover.airs.fibonacci import FibonacciAir, fibonacci_public_inputs, fibonacci_trace
from offchain.prover.params import TEST_PARAMS

from .helpers import TEST_MIN_SECURITY, fibonacci_proof


def test_installed_kernels_are_used_and_give_the_same_proof():
    calls = {name: 0 for name in kernels.KERNEL_NAMES}
    python = {name: getattr(kernels, name) for name in kernels.KERNEL_NAMES}

    def counting(name):
        def wrapper(*args):
            calls[name] += 1
            return python[name](*args)
        return wrapper

    kernels.install(types.SimpleNamespace(**{name: counting(name) for name in kernels.KERNEL_NAMES}))
    try:
        trace = fibonacci_trace(32)
        data = prove(FibonacciAir(32, fibonacci_public_inputs(trace)), trace, TEST_PARAMS).to_bytes()
    finally:
        kernels.install(None)
    assert all(calls[name] > 0 for name in ("intt", "coset_lde", "coset_intt", "batch_inverse", "hash_rows",
                                             "merkle_layers"))
    assert kernels.ntt is python["ntt"]
    assert data == fibonacci_proof(32)
    verify(data, FibonacciAir, min_security_bits=TEST_MIN_SECURITY)
