"""Executes a batch twice, independently: the Python model and the Cairo program must agree.

The model gives the new state and the expected program output; the Cairo program (run by
cairo-lang in proof mode) gives the output that will be proven. A disagreement is a bug in
one of them and stops the pipeline before anything reaches L1.
"""
from __future__ import annotations

import logging
import os
import shutil
import time
import uuid
from pathlib import Path
from typing import Callable

from offchain.core import batch_program
from offchain.core.application import Application, BatchRefused, Refused
from offchain.core.batching.pipeline import TransactionNotBatchable
from offchain.core.logs import stage
from offchain.core.storage import BatchRecord

log = logging.getLogger("offchain.executor")


class ModelProgramMismatch(RuntimeError):
    pass


RUN_PREFIX = "batch-"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class BatchExecutor:
    """An application's batches, by its model and by its Cairo program (application.program_dir).

    Each Cairo run writes into a folder of its own (`batch-<id>.run-<pid>-<nonce>`), renamed to
    `batch-<id>` once it succeeded: a cairo-run child that outlived a killed operator can only
    write into its own folder, never into its successor's. keep_runs: how many accepted batches'
    folders (trace and memory, tens of MB each) are kept; older ones are removed."""

    def __init__(self, genesis, workdir: Path, run_cairo: bool = True,
                 clock: Callable[[], float] = time.time, keep_runs: int = 0, application: Application | None = None):
        if application is None:
            from offchain.perpetual.application import PERPETUAL as application
        self.app = application
        self.genesis = genesis
        self.state = genesis.copy()
        self.workdir = Path(workdir)
        self.run_cairo = run_cairo
        self.clock = clock
        self.keep_runs = keep_runs
        self._sweep_abandoned_runs()

    def run_dir(self, batch_id: int) -> Path:
        return self.workdir / f"{RUN_PREFIX}{batch_id}"

    def _sweep_abandoned_runs(self) -> None:
        """Removes the run folders of processes that died mid-run (kill -9 leaves them)."""
        for path in self.workdir.glob(f"{RUN_PREFIX}*.run-*"):
            pid = path.name.rsplit(".run-", 1)[1].split("-", 1)[0]
            if pid.isdigit() and int(pid) != os.getpid() and not _pid_alive(int(pid)):
                shutil.rmtree(path, ignore_errors=True)

    def accepted(self, batch_id: int) -> None:
        """L1 took the batch: its run folder is no longer needed beyond the retention."""
        old = batch_id - self.keep_runs
        if old >= 0:
            shutil.rmtree(self.run_dir(old), ignore_errors=True)

    def _run_cairo(self, batch_id: int, program_input: dict):
        target = self.run_dir(batch_id)
        scratch = self.workdir / f"{target.name}.run-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            run = batch_program.run_batch(program_input, scratch,
                                          program=batch_program.compiled_program(self.app.program_dir))
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            raise
        shutil.rmtree(target, ignore_errors=True)
        os.replace(scratch, target)
        return run

    def restore(self, executed: list[tuple[BatchRecord, list[dict]]]) -> None:
        state = self.genesis.copy()
        for batch, txs in executed:
            parsed = [self.app.parse(t) for t in txs]
            state = self.app.execute_batch(state, parsed, self.clock(), batch.data).state
        self.state = state

    def execute(self, batch: BatchRecord, transactions: list[dict]) -> dict:
        """Raises TransactionNotBatchable, before any effect, for a transaction that can no
        longer be executed now (by L1's clock)."""
        now = self.clock()
        parsed = []
        for index, tx_json in enumerate(transactions):
            try:
                tx = self.app.parse(tx_json)
                self.app.check_executable(tx, now)
            except Refused as refused:
                raise TransactionNotBatchable(index, refused.__cause__ or refused) from refused
            parsed.append(tx)
        try:
            expected = self.app.execute_batch(self.state, parsed, now, None)
        except BatchRefused as refused:
            reason = refused.refused
            raise TransactionNotBatchable(refused.index, reason.__cause__ or reason) from refused
        n_steps = None
        if self.run_cairo:
            with stage(log, "cairo_run", batch_id=batch.batch_id):
                run = self._run_cairo(batch.batch_id, expected.program_input)
            if run.output != expected.words:
                raise ModelProgramMismatch(f"batch {batch.batch_id}: Cairo output differs from the model's")
            n_steps = run.n_steps
        self.state = expected.state
        return {
            "output": expected.words,
            "application_data": self.app.application_data(batch.batch_id, parsed),
            **expected.record,
            "cairo_steps": n_steps,
        }
