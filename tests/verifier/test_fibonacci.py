"""Fibonacci proofs from the Python prover verify on-chain and register their fact."""
import pytest
from eth_abi import encode
from eth_utils import keccak

from offchain.prover import ProofParams, verify
from offchain.prover.airs.fibonacci import FibonacciAir
from offchain.prover.params import TEST_PARAMS

from . import rpc
from .proofs import FOLD2_PARAMS, FOLD4_PARAMS, FOLD8_PARAMS, fibonacci_proof


def expected_fact(trace_length: int, public_inputs: list[int]) -> bytes:
    return keccak(encode(["bytes32", "uint256", "uint256", "uint256", "uint256"],
                         [keccak(b"stark.fibonacci.v1"), trace_length, *public_inputs]))


@pytest.mark.parametrize("trace_length,params", [
    (8, FOLD2_PARAMS), (64, FOLD2_PARAMS), (32, FOLD4_PARAMS), (64, FOLD8_PARAMS),
])
def test_each_fri_folding_verifies(fibonacci_verifier, trace_length, params):
    proof = fibonacci_proof(trace_length, params)
    verify(proof, FibonacciAir)
    n, public_inputs = rpc.verify(fibonacci_verifier, proof.to_bytes())
    assert n == trace_length
    assert list(public_inputs) == proof.public_inputs


def test_default_params_verify_against_96_bit_minimum(fibonacci_verifier):
    proof = fibonacci_proof(1024, ProofParams())
    assert proof.params.security_bits >= 96
    n, public_inputs = rpc.verify(fibonacci_verifier, proof.to_bytes())
    assert (n, list(public_inputs)) == (1024, proof.public_inputs)


def test_security_below_minimum_is_rejected(fibonacci_verifier):
    proof = fibonacci_proof(64, TEST_PARAMS)
    with pytest.raises(Exception):
        verify(proof, FibonacciAir)  # the Python verifier's default minimum is 96 too
    with pytest.raises(rpc.Reverted) as e:
        rpc.verify(fibonacci_verifier, proof.to_bytes())
    assert e.value.selector == rpc.selector("SecurityTooLow(uint256,uint256)")


def test_registry_registers_fact_after_verification(fibonacci_registry, deployer):
    # The smallest trace: the local node keeps a step trace of each transaction (~1 GB here).
    proof = fibonacci_proof(8, first=3, second=5)
    fact = expected_fact(8, proof.public_inputs)
    assert fibonacci_registry.factOf(8, proof.public_inputs) == fact
    assert not fibonacci_registry.isValid(fact)
    receipt = rpc.transact(fibonacci_registry, "verifyProofAndRegister", deployer, proof.to_bytes())
    assert receipt["status"] == 1
    assert fibonacci_registry.isValid(fact)
    assert [(log["topics"][0], log["topics"][1]) for log in receipt["logs"]] == [(keccak(text="FactRegistered(bytes32)"), fact)]
