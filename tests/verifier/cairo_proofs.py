"""Proofs of the cairo/examples programs made by the Python Cairo prover, for the Solidity
verifier tests (cached per session). The program inputs (offchain/prover/cairo/examples.py) are
the smallest that exercise each feature and the same as tests/prover's, so the runs (cached by
examples.py) are shared when both suites run in one session."""
from __future__ import annotations

from functools import lru_cache

from offchain.facts import program_bytecode, program_hash as facts_program_hash
from offchain.prover import Proof, ProofParams
from offchain.prover.cairo.examples import ATTACK_PROGRAMS, EXAMPLE_PROGRAMS, compiled_example, run_example
from offchain.prover.cairo.prove import prove_run

EXAMPLE = "fibonacci"
PROGRAMS = EXAMPLE_PROGRAMS  # name -> (program input, expected output)
PROGRAM_INPUTS = {name: program_input for name, (program_input, _) in {**EXAMPLE_PROGRAMS, **ATTACK_PROGRAMS}.items()}
EXAMPLE_INPUT, EXPECTED_OUTPUT = PROGRAMS[EXAMPLE]


@lru_cache(maxsize=None)
def bytecode(name: str = EXAMPLE) -> tuple[int, ...]:
    return tuple(program_bytecode(compiled_example(name)))


def program_hash(name: str = EXAMPLE) -> bytes:
    """offchain/facts.py's hash of the compiled program (its builtins and bytecode)."""
    return facts_program_hash(compiled_example(name))


@lru_cache(maxsize=None)
def cairo_proof(name: str = EXAMPLE, params: ProofParams = ProofParams()) -> Proof:
    """The proof of cairo/examples/<name>.cairo on its input (EXAMPLE_PROGRAMS or ATTACK_PROGRAMS),
    with the default (97-bit) parameters."""
    return prove_run(run_example(name, PROGRAM_INPUTS[name]), params)
