"""Proofs made by the Python prover for the Solidity verifier tests (cached per session), and
helpers that tamper with one word of a proof."""
from __future__ import annotations

from functools import lru_cache

from offchain.prover import Proof, ProofParams, prove
from offchain.prover.airs.fibonacci import FibonacciAir, fibonacci_public_inputs, fibonacci_trace
from offchain.prover.field import P

WORD = 32
# Every verifier is deployed with the 96-bit floor, so every proof has at least 96 bits
# (n_queries * log2(blowup) + grinding_bits), in each FRI folding the verifier implements.
# Folding by 2, blowup 16 (20 queries fit a trace of 8 rows): 20 * 4 + 16 = 96.
FOLD2_PARAMS = ProofParams(blowup=16, n_queries=20, grinding_bits=16, folding_factor=2, last_layer_degree_bound=4)
# Folding by 4 with a last layer of 8 coefficients: 27 * 3 + 16 = 97.
FOLD4_PARAMS = ProofParams(blowup=8, n_queries=27, grinding_bits=16, folding_factor=4, last_layer_degree_bound=8)
# Folding by 8 down to one coefficient: 97.
FOLD8_PARAMS = ProofParams(blowup=8, n_queries=27, grinding_bits=16, folding_factor=8, last_layer_degree_bound=1)


@lru_cache(maxsize=None)
def fibonacci_proof(trace_length: int, params: ProofParams = FOLD2_PARAMS, first: int = 1, second: int = 1) -> Proof:
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
