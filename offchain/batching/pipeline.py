"""The batch pipeline: close → execute → prove → submit → accepted, resumable at every step.

Each step's result is committed to storage before the next step starts, and each step is
safe to repeat: execution is deterministic given the previous batches, registering a fact
twice changes nothing, and L1 itself refuses a second updateState for the same batch (the
batch id chain). So a restarted operator re-runs at most the step it was killed in, and never
loses or double-applies a transaction.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Callable, Protocol

from offchain.batching import crash
from offchain.logs import stage
from offchain.storage import BatchRecord, BatchStatus, OperatorStore

log = logging.getLogger("offchain.pipeline")


class NotReady(Exception):
    """A step that cannot run yet (a validium batch waiting for its committee quorum): the batch
    stays at its step, durable, and the step is tried again on a later loop."""


class Executor(Protocol):
    """Runs the batch program over a batch on top of the state left by the previous batches."""

    def restore(self, executed: list[tuple[BatchRecord, list[dict]]]) -> None:
        """Rebuilds the state after the given batches (in order) from their transactions."""

    def execute(self, batch: BatchRecord, transactions: list[dict]) -> dict:
        """Returns JSON-able results: at least `output` (program output words) and `application_data`."""


class Prover(Protocol):
    def prove(self, batch: BatchRecord) -> dict:
        """Makes the batch's fact valid on the verifier chain; returns at least `fact` (hex)."""


class StateUpdater(Protocol):
    def is_accepted(self, batch: BatchRecord) -> bool:
        """Whether L1 already holds this batch's state update."""

    def submit(self, batch: BatchRecord) -> dict:
        """Sends updateState and waits for it; returns at least `update_state_tx`.
        Raises NotReady when something the update needs is not there yet."""


@dataclass
class BatchPolicy:
    max_size: int = 100
    max_age_seconds: float = 5.0


class BatchPipeline:
    def __init__(self, store: OperatorStore, executor: Executor, prover: Prover, updater: StateUpdater,
                 policy: BatchPolicy | None = None, on_accepted: Callable[[BatchRecord], None] | None = None):
        self.store = store
        self.on_accepted = on_accepted
        self.executor = executor
        self.prover = prover
        self.updater = updater
        self.policy = policy or BatchPolicy()
        self._restored = False

    def restore(self) -> None:
        """Brings the executor's state up to the last executed batch, after a (re)start."""
        executed = [
            (batch, [t.tx for t in self.store.transactions_in(batch.first_tx_id, batch.last_tx_id)])
            for batch in self.store.iter_batches()
            if batch.status.rank >= BatchStatus.EXECUTED.rank
        ]
        self.executor.restore(executed)
        self._restored = True
        log.info("restored state after %d executed batches", len(executed))

    def should_close(self, now: float | None = None) -> bool:
        pending = self.store.pending_transactions()
        if not pending:
            return False
        if len(pending) >= self.policy.max_size:
            return True
        age = self.store.oldest_pending_age(now)
        return age is not None and age >= self.policy.max_age_seconds

    def step(self, force_close: bool = False) -> BatchRecord | None:
        """Does one unit of work; returns the batch it advanced, or None when idle."""
        if not self._restored:
            self.restore()
        unfinished = self.store.batches_not_accepted()
        if unfinished:
            try:
                return self._advance(unfinished[0])
            except NotReady as waiting:
                log.info("batch %d waits: %s", unfinished[0].batch_id, waiting,
                         extra={"batch_id": unfinished[0].batch_id, "waiting_for": str(waiting)})
                return None
        if force_close or self.should_close():
            batch = self.store.close_batch(self.policy.max_size)
            if batch is not None:
                log.info("batch %d closed with transactions %d..%d", batch.batch_id, batch.first_tx_id, batch.last_tx_id)
            return batch
        return None

    def run_until_idle(self, force_close: bool = True) -> list[BatchRecord]:
        """Drives every pending transaction to an accepted batch; returns the accepted batches."""
        accepted = []
        while True:
            batch = self.step(force_close=force_close)
            if batch is None:
                return accepted
            if batch.status is BatchStatus.ACCEPTED:
                accepted.append(batch)

    def _advance(self, batch: BatchRecord) -> BatchRecord:
        started = time.perf_counter()
        if batch.status is BatchStatus.CREATED:
            txs = [t.tx for t in self.store.transactions_in(batch.first_tx_id, batch.last_tx_id)]
            with stage(log, "execute", batch_id=batch.batch_id, n_transactions=len(txs)):
                result = self.executor.execute(batch, txs)
            batch = self.store.advance_batch(batch.batch_id, BatchStatus.EXECUTED, **result)
            crash.crash_point(crash.EXECUTED)
        elif batch.status is BatchStatus.EXECUTED:
            with stage(log, "prove", batch_id=batch.batch_id):
                proof = self.prover.prove(batch)
            crash.crash_point(crash.FACT_REGISTERED)
            batch = self.store.advance_batch(batch.batch_id, BatchStatus.PROVED, **proof)
        elif batch.status is BatchStatus.PROVED:
            # The only step with an effect outside our storage that is not idempotent by itself:
            # ask L1 first, so that a crash after sending but before recording is not resent.
            if self.updater.is_accepted(batch):
                batch = self.store.advance_batch(batch.batch_id, BatchStatus.ACCEPTED)
            else:
                sent = self.updater.submit(batch)
                crash.crash_point(crash.UPDATE_SENT)
                batch = self.store.advance_batch(batch.batch_id, BatchStatus.SUBMITTED, **sent)
        elif batch.status is BatchStatus.SUBMITTED:
            if not self.updater.is_accepted(batch):
                raise RuntimeError(f"batch {batch.batch_id}: updateState was sent but L1 does not hold it")
            batch = self.store.advance_batch(batch.batch_id, BatchStatus.ACCEPTED)
        log.info("batch %d %s in %.2fs", batch.batch_id, batch.status.value, time.perf_counter() - started,
                 extra={"batch_id": batch.batch_id, "status": batch.status.value})
        if batch.status is BatchStatus.ACCEPTED:
            crash.crash_point(crash.ACCEPTED)
            if self.on_accepted is not None:
                self.on_accepted(batch)
        return batch
