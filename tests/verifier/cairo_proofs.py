"""Proofs of the cairo/examples programs made by the Python Cairo prover, for the Solidity
verifier tests (cached per session). The program inputs (offchain/prover/cairo/examples.py) are
the smallest that exercise each feature and the same as tests/prover's, so the runs (cached by
examples.py) are shared when both suites run in one session. KNOWN is what a verifier knows of
them: their bytecodes, by code hash (on-chain: the session's CairoProgramStore, see conftest)."""
from __future__ import annotations

from functools import lru_cache

from offchain.core.facts import program_bytecode, program_hash as facts_program_hash
from offchain.prover import Proof, ProofParams
from offchain.prover.cairo.examples import ATTACK_PROGRAMS, EXAMPLE_PROGRAMS, compiled_example, run_example
from offchain.prover.cairo.prove import prove_run
from offchain.prover.cairo.statement import Programs

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


def entry_mutants(name: str) -> dict[str, tuple[int, ...]]:
    """The program with one word of its proof-mode entry code (or another word) changed: programs a
    verifier may know, which the statement's rules or the AIR must still refuse for this run."""
    code = list(bytecode(name))

    def changed(i, value):
        return tuple(code[:i] + [value] + code[i + 1:])

    return {
        "ap += n": changed(0, code[0] + 1), "n": changed(1, code[1] + 1), "call": changed(2, code[2] + 1),
        "main's offset": changed(3, code[3] + 1), "jmp rel 0": changed(5, 1),
        "last word": changed(len(code) - 1, code[-1] + 1),
    }


@lru_cache(maxsize=1)
def known() -> Programs:
    """Every example program, and the mutants of range_check.cairo's entry code."""
    programs = Programs([bytecode(name) for name in PROGRAM_INPUTS])
    for code in entry_mutants("range_check").values():
        programs.add(code)
    return programs


def known_bytecodes() -> list[tuple[int, ...]]:
    return [*(bytecode(name) for name in PROGRAM_INPUTS), *entry_mutants("range_check").values()]


@lru_cache(maxsize=None)
def cairo_proof(name: str = EXAMPLE, params: ProofParams = ProofParams()) -> Proof:
    """The proof of cairo/examples/<name>.cairo on its input (EXAMPLE_PROGRAMS or ATTACK_PROGRAMS),
    with the default (97-bit) parameters."""
    return prove_run(run_example(name, PROGRAM_INPUTS[name]), params)
