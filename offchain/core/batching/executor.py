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
from offchain.perpetual import expiration
from offchain.core.batching.pipeline import TransactionNotBatchable
from offchain.perpetual.windows import check_tick
from offchain.core.logs import stage
from offchain.perpetual.batch import BatchRejected, execute_batch
from offchain.perpetual.errors import TransactionRejected
from offchain.perpetual.state import PerpetualState
from offchain.perpetual.transactions import ConditionalTransfer, transaction_from_json
from offchain.core.storage import BatchRecord

NO_BATCH = 2**256 - 1  # L1's lastBatchId before the first batch
log = logging.getLogger("offchain.executor")


class ModelProgramMismatch(RuntimeError):
    pass


def application_data(batch_id: int, transactions: list) -> list[int]:
    """[batch_id, previous_batch_id, (registry, fact) per condition] — docs/program-output.md."""
    previous = NO_BATCH if batch_id == 0 else batch_id - 1
    data = [batch_id, previous]
    for tx in transactions:
        if isinstance(tx, ConditionalTransfer):
            data += [tx.fact_registry_address, tx.fact]
    return data


RUN_PREFIX = "batch-"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class PerpetualExecutor:
    """Each Cairo run writes into a folder of its own (`batch-<id>.run-<pid>-<nonce>`), renamed to
    `batch-<id>` once it succeeded: a cairo-run child that outlived a killed operator can only
    write into its own folder, never into its successor's. keep_runs: how many accepted batches'
    folders (trace and memory, tens of MB each) are kept; older ones are removed."""

    def __init__(self, genesis: PerpetualState, workdir: Path, run_cairo: bool = True,
                 clock: Callable[[], float] = time.time, keep_runs: int = 0):
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
            run = batch_program.run_batch(program_input, scratch)
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            raise
        shutil.rmtree(target, ignore_errors=True)
        os.replace(scratch, target)
        return run

    def restore(self, executed: list[tuple[BatchRecord, list[dict]]]) -> None:
        state = self.genesis.copy()
        for batch, txs in executed:
            parsed = [transaction_from_json(t) for t in txs]
            state = execute_batch(state, parsed, batch.data["minimum_expiration_timestamp"]).state
        self.state = state

    def execute(self, batch: BatchRecord, transactions: list[dict]) -> dict:
        """Raises TransactionNotBatchable, before any effect, for a transaction that can no
        longer be executed now (by L1's clock)."""
        parsed = [transaction_from_json(t) for t in transactions]
        now = self.clock()
        for index, tx in enumerate(parsed):
            try:
                expiration.check_admissible(tx, now, expiration.EXECUTION_MARGIN_HOURS)
                check_tick(tx, now, expiration.EXECUTION_MARGIN_HOURS * expiration.SECONDS_PER_HOUR)
            except TransactionRejected as rejected:
                raise TransactionNotBatchable(index, rejected) from rejected
        minimum_expiration = expiration.minimum_expiration(parsed, now)
        try:
            expected = execute_batch(self.state, parsed, minimum_expiration)
        except BatchRejected as rejected:
            raise TransactionNotBatchable(rejected.index, rejected.rejected) from rejected
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
            "application_data": application_data(batch.batch_id, parsed),
            "minimum_expiration_timestamp": minimum_expiration,
            "new_positions_root": hex(expected.state.positions_root),
            "new_orders_root": hex(expected.state.orders_root),
            # With the roots, what a validium committee signs (offchain/l1/committee.py).
            "positions_height": expected.state.config.positions_tree_height,
            "orders_height": expected.state.config.orders_tree_height,
            "cairo_steps": n_steps,
        }
