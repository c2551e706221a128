"""Run the Spot Cairo program and the model on the same input (shared by the Spot tests)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from offchain.core.batch_program import SPOT_PROGRAM_DIR, BatchRejected, compiled_program, run_batch
from offchain.spot.batch import execute_batch
from offchain.spot.rules import SpotRuleError


def spot_program():
    return compiled_program(SPOT_PROGRAM_DIR)


def run_program(program_input: dict, program=None):
    """The program's output words, or the BatchRejected it fails with."""
    try:
        return run_batch(program_input, program=program or spot_program()).output
    except BatchRejected as rejected:
        return rejected


def program_rule(rejected: BatchRejected) -> str:
    """The outermost error scope: the rule's name (library scopes follow it)."""
    return rejected.rule.split(": ")[0]


def run_model(program_input: dict):
    try:
        return execute_batch(program_input).words
    except SpotRuleError as error:
        return error


def assert_agree(program_input: dict) -> list[int] | str:
    """Model and program give the same words, or fail with the same rule; returns either."""
    model = run_model(program_input)
    program = run_program(program_input)
    if isinstance(model, SpotRuleError):
        assert isinstance(program, BatchRejected), f"model refused ({model}), program accepted"
        assert program_rule(program) == model.rule, (program.rule, str(model))
        return model.rule
    assert not isinstance(program, BatchRejected), f"program refused ({program.rule}): {program}"
    assert program == model
    return model


def _load_malicious():
    """tests/cairo/malicious.py, the malicious-prover harness both programs' tests share."""
    path = Path(__file__).resolve().parents[1] / "cairo" / "malicious.py"
    spec = importlib.util.spec_from_file_location("spot_malicious", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


malicious = _load_malicious()
