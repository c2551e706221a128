"""End-to-end proofs: they verify, and wrong statements or wrong traces do not."""
import logging
import re

import pytest
from hypothesis import given, settings, strategies as st

from offchain.prover import Proof, ProofError, ProofParams, prove, verify
from offchain.prover.airs.fibonacci import FibonacciAir, fibonacci_public_inputs, fibonacci_trace
from offchain.prover.airs.memory import MemoryAir, memory_trace
from offchain.prover.field import P
from offchain.prover.params import TEST_PARAMS
from offchain.prover.prover import TraceError

from .helpers import TEST_MIN_SECURITY, fibonacci_proof, memory_proof


def fib(n: int) -> int:
    a, b = 1, 1
    for _ in range(2 * n - 1):
        a, b = b, (a + b) % P
    return a


@pytest.mark.parametrize("n", [8, 16, 64, 256, 1024])
def test_fibonacci_proofs_verify(n):
    data = fibonacci_proof(n)
    air = verify(data, FibonacciAir, min_security_bits=TEST_MIN_SECURITY)
    assert air.result == fib(n)
    assert Proof.from_bytes(data).to_bytes() == data


@pytest.mark.parametrize("params", [
    ProofParams(blowup=8, n_queries=6, grinding_bits=2, folding_factor=4, last_layer_degree_bound=1),
    ProofParams(blowup=2, n_queries=12, grinding_bits=0, folding_factor=8, last_layer_degree_bound=8),
    ProofParams(blowup=16, n_queries=3, grinding_bits=1, folding_factor=2, last_layer_degree_bound=64),
])
def test_other_parameters(params):
    data = fibonacci_proof(64, params)
    verify(data, FibonacciAir, min_security_bits=params.security_bits)


def test_default_parameters_are_secure_and_verify():
    default = ProofParams()
    assert default.security_bits >= 96
    data = fibonacci_proof(256, default)
    assert len(Proof.from_bytes(data).fri_roots) == 1  # degree bound 256 folds once to 64
    verify(data, FibonacciAir)  # default minimum: 96 bits


@pytest.mark.parametrize("text", ["8:27:16", "4:40:17", "2:80:16"])
def test_the_operators_parameter_sets_parse_and_verify(text):
    """The sets `ape run operator --proof-params` offers: each >= 96 bits, accepted by the verifier
    at its default minimum (blowup 2 included: its composition takes both cosets)."""
    params = ProofParams.parse(text)
    assert params.security_bits >= 96 and params.to_words()[:3] == [int(x) for x in text.split(":")]
    verify(fibonacci_proof(256, params), FibonacciAir)


@pytest.mark.parametrize("text, says", [
    ("2:40:16", "56 bits of conjectured security is below the verifiers' floor of 96"),
    ("3:80:16", "blowup 3 is not a power of two"),
    ("8:27", "not BLOWUP:QUERIES:GRINDING_BITS"),
    ("8:x:16", "not BLOWUP:QUERIES:GRINDING_BITS"),
    ("8:27:99", "grinding_bits 99 is not in [0, 40]"),
])
def test_malformed_or_weak_parameter_sets_are_refused(text, says):
    with pytest.raises(ValueError, match=re.escape(says)):
        ProofParams.parse(text)


def test_insecure_parameters_are_rejected_by_default():
    with pytest.raises(ProofError, match="security"):
        verify(fibonacci_proof(16), FibonacciAir)


def test_memory_air_with_interaction_verifies():
    for n in (8, 64, 256):
        air = verify(memory_proof(n), MemoryAir, min_security_bits=TEST_MIN_SECURITY)
        assert air.base == 100


def test_wrong_public_result_is_rejected():
    n = 64
    trace = fibonacci_trace(n)
    public = fibonacci_public_inputs(trace)
    public[2] = (public[2] + 1) % P
    air = FibonacciAir(n, public)
    with pytest.raises(TraceError, match="result"):
        prove(air, trace, TEST_PARAMS)
    data = prove(air, trace, TEST_PARAMS, check=False).to_bytes()
    with pytest.raises(ProofError):
        verify(data, FibonacciAir, min_security_bits=TEST_MIN_SECURITY)


@pytest.mark.parametrize("row", [0, 17, 63])
def test_trace_violating_a_transition_cannot_verify(row):
    n = 64
    trace = fibonacci_trace(n)
    air = FibonacciAir(n, fibonacci_public_inputs(trace))
    trace[0][row] = (trace[0][row] + 1) % P
    with pytest.raises(TraceError):
        prove(air, trace, TEST_PARAMS)
    data = prove(air, trace, TEST_PARAMS, check=False).to_bytes()
    with pytest.raises(ProofError):
        verify(data, FibonacciAir, min_security_bits=TEST_MIN_SECURITY)


def test_memory_that_is_not_a_permutation_cannot_verify():
    n = 64
    trace = memory_trace(n)
    trace[1][5] = (trace[1][5] + 1) % P  # one access reads a value the sorted copy does not hold
    air = MemoryAir(n, [100])
    with pytest.raises(TraceError, match="product"):
        prove(air, trace, TEST_PARAMS)
    with pytest.raises(ProofError):
        verify(prove(air, trace, TEST_PARAMS, check=False).to_bytes(), MemoryAir, min_security_bits=TEST_MIN_SECURITY)


def test_inconsistent_sorted_memory_cannot_verify():
    n = 64
    trace = memory_trace(n)
    # the same change in both copies keeps the permutation but gives address trace[0][1] two values
    addr, old = trace[0][1], trace[1][1]
    trace[1][1] = (old + 1) % P
    k = next(i for i in range(n) if trace[2][i] == addr and trace[3][i] == old)
    trace[3][k] = (old + 1) % P
    accesses = sorted(zip(trace[2], trace[3]))
    trace[2], trace[3] = [a for a, _ in accesses], [v for _, v in accesses]
    air = MemoryAir(n, [100])
    with pytest.raises(TraceError, match="single value"):
        prove(air, trace, TEST_PARAMS)
    with pytest.raises(ProofError):
        verify(prove(air, trace, TEST_PARAMS, check=False).to_bytes(), MemoryAir, min_security_bits=TEST_MIN_SECURITY)


def test_proof_for_one_air_does_not_verify_for_another():
    with pytest.raises(ProofError):
        verify(fibonacci_proof(64), MemoryAir, min_security_bits=TEST_MIN_SECURITY)


def test_declared_degree_too_low_is_caught_by_the_prover():
    class LyingAir(MemoryAir):
        def constraints(self):
            return [type(c)(c.name, 1, c.rows) for c in super().constraints()]  # some are degree 2

    with pytest.raises(TraceError, match="degree"):
        prove(LyingAir(64, [100]), memory_trace(64), TEST_PARAMS)


def test_bad_parameters_and_shapes_are_refused():
    trace = fibonacci_trace(16)
    air = FibonacciAir(16, fibonacci_public_inputs(trace))
    with pytest.raises(ValueError):
        prove(air, trace, ProofParams(blowup=3))
    with pytest.raises(ValueError):
        prove(air, trace[:1], TEST_PARAMS)
    with pytest.raises(ValueError):
        prove(air, trace, ProofParams(blowup=2, n_queries=20))  # 20 distinct queries among 32 points
    with pytest.raises(ValueError):
        FibonacciAir(12, [1, 1, 2])


@settings(max_examples=6, deadline=None)
@given(column=st.integers(0, 3), row=st.integers(0, 31), delta=st.integers(1, P - 1))
def test_any_changed_memory_cell_cannot_verify(column, row, delta):
    trace = memory_trace(32)
    trace[column][row] = (trace[column][row] + delta) % P
    air = MemoryAir(32, [100])
    with pytest.raises(TraceError):
        prove(air, trace, TEST_PARAMS)
    with pytest.raises(ProofError):
        verify(prove(air, trace, TEST_PARAMS, check=False).to_bytes(), MemoryAir, min_security_bits=TEST_MIN_SECURITY)


def test_proving_reports_each_phase_with_its_time(caplog):
    # The memory AIR has an interaction (aux) phase, so every phase shows.
    with caplog.at_level(logging.INFO, logger="offchain.prover"):
        prove(MemoryAir(16, [100]), memory_trace(16), TEST_PARAMS)
    phases = [r.stage for r in caplog.records if getattr(r, "stage", "").startswith("prove.")]
    assert phases == ["prove.main_trace_commit", "prove.aux_trace_commit", "prove.trace_check", "prove.composition",
                      "prove.out_of_domain", "prove.deep", "prove.fri", "prove.grinding", "prove.queries"]
    assert all(r.elapsed_s >= 0 and r.trace_length == 16 for r in caplog.records if getattr(r, "stage", None))
