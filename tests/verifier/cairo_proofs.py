"""Proofs of the cairo/examples programs made by the Python Cairo prover, for the Solidity
verifier tests (cached per session). The program inputs (offchain/prover/cairo/examples.py) are
the smallest that exercise each feature and the same as tests/prover's, so the runs (cached by
examples.py) are shared when both suites run in one session."""
from __future__ import annotations

from functools import lru_cache

from offchain.facts import program_bytecode
from offchain.prover import Proof, ProofParams
from offchain.prover.cairo.examples import EXAMPLE_PROGRAMS, compiled_example, run_example
from offchain.prover.cairo.prove import prove_run
from offchain.prover.params import TEST_PARAMS

EXAMPLE = "fibonacci"
PROGRAMS = EXAMPLE_PROGRAMS  # name -> (program input, expected output)
EXAMPLE_INPUT, EXPECTED_OUTPUT = PROGRAMS[EXAMPLE]


@lru_cache(maxsize=None)
def bytecode(name: str = EXAMPLE) -> tuple[int, ...]:
    return tuple(program_bytecode(compiled_example(name)))


@lru_cache(maxsize=None)
def cairo_proof(name: str = EXAMPLE, params: ProofParams = TEST_PARAMS) -> Proof:
    return prove_run(run_example(name, PROGRAMS[name][0]), params)
