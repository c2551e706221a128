"""Proofs of cairo/examples programs made by the Python Cairo prover, for the Solidity verifier
tests (cached per session)."""
from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

from offchain.cairo_runner import compile_program
from offchain.facts import program_bytecode
from offchain.prover import Proof, ProofParams
from offchain.prover.cairo.examples import EXAMPLES_DIR, run_example
from offchain.prover.cairo.prove import prove_run
from offchain.prover.params import TEST_PARAMS

EXAMPLE = "fibonacci"
EXAMPLE_INPUT = {"n": 9}
EXPECTED_OUTPUT = [9, 34]
_BUILD = Path(tempfile.mkdtemp(prefix="stark-verifier-tests-"))


@lru_cache(maxsize=None)
def bytecode(name: str = EXAMPLE) -> tuple[int, ...]:
    return tuple(program_bytecode(compile_program(EXAMPLES_DIR / f"{name}.cairo", _BUILD / f"{name}.json")))


@lru_cache(maxsize=None)
def cairo_proof(name: str = EXAMPLE, params: ProofParams = TEST_PARAMS) -> Proof:
    return prove_run(run_example(name, EXAMPLE_INPUT if name == EXAMPLE else {}), params)
