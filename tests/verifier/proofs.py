"""Proofs made by the Python prover for the Solidity verifier tests (cached per session), and
helpers that tamper with one word of a proof."""
from __future__ import annotations

from functools import lru_cache

from offchain.prover import Proof, ProofParams, prove
from offchain.prover.airs.fibonacci import FibonacciAir, fibonacci_public_inputs, fibonacci_trace
from offchain.prover.field import P
from offchain.prover.params import TEST_PARAMS

WORD = 32
# Folding by 4 with a last layer of 8 coefficients: exercises the k = 4 fold at test speed.
FOLD4_PARAMS = ProofParams(blowup=4, n_queries=6, grinding_bits=2, folding_factor=4, last_layer_degree_bound=8)
# Folding by 8, blowup 8.
FOLD8_PARAMS = ProofParams(blowup=8, n_queries=5, grinding_bits=1, folding_factor=8, last_layer_degree_bound=1)


@lru_cache(maxsize=None)
def fibonacci_proof(trace_length: int, params: ProofParams = TEST_PARAMS, first: int = 1, second: int = 1) -> Proof:
    trace = fibonacci_trace(trace_length, first, second)
    air = FibonacciAir(trace_length, fibonacci_public_inputs(trace, first, second))
    return prove(air, trace, params)


def replace_word(data: bytes, index: int, value: int) -> bytes:
    return data[:index * WORD] + value.to_bytes(WORD, "big") + data[(index + 1) * WORD:]


def word_at(data: bytes, index: int) -> int:
    return int.from_bytes(data[index * WORD:(index + 1) * WORD], "big")


def bump(value: int, is_felt: bool = True) -> int:
    """A different value of the same kind (a field element stays canonical)."""
    return (value + 1) % P if is_felt else value ^ 1


def section(proof: Proof, name: str) -> tuple[int, int]:
    """(first word, number of words) of the named section of proof.to_bytes()."""
    for sec_name, start, count in proof.layout():
        if sec_name == name:
            return start, count
    raise KeyError(name)
