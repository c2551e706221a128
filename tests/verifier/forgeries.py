"""Forged Cairo statements and proofs, made with this project's own prover: a forger runs our
prover with the statement's rules switched off and its constraint check skipped, on a trace and
a statement of their choosing. And the verdicts of both verifiers on a proof, named alike so that
tests compare them: ("accepted", None), ("StatementRejected", rule name) or (error name, None)."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace
from unittest import mock

from eth_abi import decode

from offchain.prover import Proof, ProofError, ProofParams, prove
from offchain.prover.cairo import statement as statement_rules
from offchain.prover.cairo.air import CairoAir
from offchain.prover.cairo.prove import verify_run
from offchain.prover.cairo.runner_files import PublicMemoryCell, RunnerFiles, Segment
from offchain.prover.cairo.statement import CairoStatement, Rule, StatementError
from offchain.prover.cairo.trace import CairoTrace, build_trace

from . import rpc
from .cairo_proofs import known

# The Solidity errors a Cairo proof can be refused with, by selector.
SOLIDITY_ERRORS = {rpc.selector(signature): signature.split("(")[0] for signature in (
    "StatementRejected(uint256)", "TraceTooShort(uint256)",
    "BadParams()", "SecurityTooLow(uint256,uint256)", "BadTraceLength(uint256)", "AirDoesNotFit()", "WrongShape()",
    "OodPointInDomain()", "CompositionMismatch()", "PowFailed()", "TracePathMismatch(uint256,uint256)",
    "CompositionPathMismatch(uint256)", "MalformedProof(uint256)", "FriValueMismatch(uint256,uint256)",
    "FriPathMismatch(uint256,uint256)", "FriRemainderMismatch(uint256)",
)}


@contextmanager
def rules_off(*rules: Rule):
    """CairoStatement.check without the given rules (without any if none is given)."""
    kept = tuple((rule, broken) for rule, broken in statement_rules.RULE_CHECKS if rules and rule not in rules)
    with mock.patch.object(statement_rules, "RULE_CHECKS", kept):
        yield


def forge_proof(statement: CairoStatement, main: list[list[int]], params: ProofParams = ProofParams()) -> Proof:
    """Our prover on the trace columns `main` claimed as `statement`, whatever its rules and the
    constraints say."""
    with rules_off():
        return prove(CairoAir.knowing(known())(len(main[0]), statement.to_field_elements()), main, params, check=False)


def truncated_run(files: RunnerFiles, steps: int, output: list[int], claim_end: bool = False) -> CairoTrace:
    """The first `steps` steps of a run of a program with the output builtin alone, laid out as a
    whole run whose output is `output`: the run's final registers are those of row steps - 1, or
    (claim_end) the end loop's pc. Its public memory is what a forger keeps consistent with the
    steps proven: main's return value (the output's stop) is the value the run left at
    final_ap - 1, if it wrote there, and the output cells lie just below it."""
    pi = files.public_input
    last = files.trace[steps - 1]
    final_pc = pi.final_pc if claim_end else last.pc
    stop = files.memory.get(last.ap - 1, last.ap + len(output))
    begin = stop - len(output)
    honest = CairoStatement.from_run(files, 1)
    program = [(pi.initial_pc + i, v) for i, v in enumerate(honest.program())]
    kept = honest.public_memory[:statement_rules.CALLER_FRAME_CELLS]
    cells = [*program, *kept, (pi.initial_ap, begin), (last.ap - 1, stop),
             *((begin + i, v) for i, v in enumerate(output))]
    forged_pi = replace(
        pi, n_steps=steps, public_memory=tuple(PublicMemoryCell(a, v) for a, v in cells),
        segments={**pi.segments, "program": Segment(pi.initial_pc, final_pc), "execution": Segment(pi.initial_ap, last.ap)},
    )
    with rules_off():
        return build_trace(replace(files, trace=files.trace[:steps], public_input=forged_pi))


def with_words(proof: Proof, words: list[int]) -> Proof:
    """The proof with its public inputs replaced (its commitments and openings unchanged)."""
    return replace(proof, public_inputs=list(words))


def python_verdict(proof: Proof | bytes) -> tuple[str, str | None]:
    try:
        verify_run(proof if isinstance(proof, (bytes, bytearray)) else proof.to_bytes(), known())
    except ProofError as e:
        cause = e.__cause__
        return (e.check or "other", cause.rule.name if isinstance(cause, StatementError) else None)
    return ("accepted", None)


def solidity_verdict(verifier, proof: Proof | bytes) -> tuple[str, str | None]:
    data = proof if isinstance(proof, (bytes, bytearray)) else proof.to_bytes()
    try:
        rpc.verify(verifier, data)
    except rpc.Reverted as e:
        return revert_verdict(e)
    return ("accepted", None)


def revert_verdict(e: rpc.Reverted) -> tuple[str, str | None]:
    name = SOLIDITY_ERRORS.get(e.selector, "other")
    if name == "StatementRejected":
        (rule,) = decode(["uint256"], bytes.fromhex(e.data[10:]))
        return (name, Rule(rule).name)
    return (name, None)


def statement_verdict(words: list[int], trace_length: int) -> tuple[str, str | None]:
    """CairoStatement's verdict on public input words alone."""
    try:
        CairoStatement.from_field_elements(words, known()).check(trace_length)
    except StatementError as e:
        return ("StatementRejected", e.rule.name)
    return ("accepted", None)
