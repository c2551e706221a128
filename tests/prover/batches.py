"""Runs of the Perpetual batch program for the prover tests (cached per session): the smallest
real batch, one transfer, with the bench's state and signed transfer (bench/cairo_steps.py)."""
from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

from bench.cairo_steps import make_state, transfer
from offchain.core.batch_program import run_batch
from offchain.perpetual.batch import execute_batch
from offchain.prover.cairo.runner_files import RunnerFiles

_WORKDIR = Path(tempfile.mkdtemp(prefix="prover-batches-"))


def transfer_batch_input(n: int = 1) -> dict:
    """The batch program's input for a batch of n transfers (a fresh copy: tests edit it)."""
    state = make_state(2 * n + 2)
    return execute_batch(state, [transfer(2 * i + 1, i) for i in range(n)], 0).program_input


@lru_cache(maxsize=None)
def transfer_batch(n: int = 1) -> RunnerFiles:
    """The runner's files of a batch of n transfers."""
    return RunnerFiles.from_run(run_batch(transfer_batch_input(n), _WORKDIR / f"transfers-{n}").run)
