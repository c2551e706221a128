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

from offchain.core.batching import crash
from offchain.core.logs import stage
from offchain.core.storage import BatchRecord, BatchStatus, OperatorStore

log = logging.getLogger("offchain.pipeline")


class NotReady(Exception):
    """A step that cannot run yet (a validium batch waiting for its committee quorum): the batch
    stays at its step, durable, and the step is tried again on a later loop."""


class Executor(Protocol):
    """Runs the batch program over a batch on top of the state left by the previous batches."""

    def restore(self, executed: list[tuple[BatchRecord, list[dict]]]) -> None:
        """Rebuilds the state after the given batches (in order) from their transactions."""

    def execute(self, batch: BatchRecord, transactions: list[dict]) -> dict:
        """Returns JSON-able results: at least `output` (program output words) and `application_data`.
        Raises TransactionNotBatchable, before any effect, for a transaction it cannot execute."""


class TransactionNotBatchable(Exception):
    """The batch's transaction at `index` (of the transactions given to execute) can no longer
    be executed — expired while it waited, its tick out of L1's window, invalid after an earlier
    replacement — so it must be replaced (StarkEx's alternative transactions)."""

    def __init__(self, index: int, reason: Exception | str):
        super().__init__(f"transaction {index} of the batch: {reason}")
        self.index = index
        self.reason = reason


class Prover(Protocol):
    def prove(self, batch: BatchRecord) -> dict:
        """Makes the batch's fact valid on the verifier chain; returns at least `fact` (hex)."""


class StateUpdater(Protocol):
    def is_accepted(self, batch: BatchRecord) -> bool:
        """Whether L1 already holds this batch's state update."""

    def submit(self, batch: BatchRecord) -> dict:
        """Sends updateState and waits for it; returns at least `update_state_tx` and
        `update_state_block`. Raises NotReady when something the update needs is not there yet."""

    def depth(self, batch: BatchRecord) -> int | None:
        """Blocks on top of the batch's state update on L1; None if L1 does not hold it."""


@dataclass
class BatchPolicy:
    max_size: int = 100
    max_age_seconds: float = 5.0
    # Blocks on top of a state update before its batch counts as accepted: until then a
    # reorganisation that drops it (or its fact) makes the pipeline do those steps again. The
    # operator sets it from OperatorSettings.confirmations.
    confirmations: int = 0


class BatchPipeline:
    def __init__(self, store: OperatorStore, executor: Executor, prover: Prover, updater: StateUpdater,
                 policy: BatchPolicy | None = None, on_accepted: Callable[[BatchRecord], None] | None = None,
                 on_not_batchable: Callable[[int, str], None] | None = None):
        """on_not_batchable(tx_id, reason): a pending transaction can no longer be executed; it
        must be marked for replacement (the intake does, and re-derives its pending state)."""
        self.store = store
        self.on_accepted = on_accepted
        self.on_not_batchable = on_not_batchable or (lambda tx_id, reason: store.mark_for_replacement(tx_id, reason))
        self.executor = executor
        self.prover = prover
        self.updater = updater
        self.policy = policy or BatchPolicy()
        self._restored = False

    def restore(self) -> None:
        """Brings the executor's state up to the last executed batch, after a (re)start."""
        executed = [
            (batch, self.store.effective_transactions_in(batch.first_tx_id, batch.last_tx_id))
            for batch in self.store.iter_batches()
            if batch.status.rank >= BatchStatus.EXECUTED.rank
        ]
        self.executor.restore(executed)
        self._restored = True
        log.info("restored state after %d executed batches", len(executed))

    def should_close(self, now: float | None = None) -> bool:
        pending = self.store.pending_count()
        if not pending:
            return False
        if pending >= self.policy.max_size:
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
            numbered = [(t.tx_id, tx) for t in self.store.transactions_in(batch.first_tx_id, batch.last_tx_id)
                        for tx in t.effective]
            try:
                with stage(log, "execute", batch_id=batch.batch_id, n_transactions=len(numbered)):
                    result = self.executor.execute(batch, [tx for _, tx in numbered])
            except TransactionNotBatchable as error:
                return self._not_batchable(batch, numbered[error.index][0], str(error.reason))
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
                batch = self.store.advance_batch(batch.batch_id, BatchStatus.SUBMITTED)
            else:
                # The fact may have been dropped by a reorganisation since: proving again is a
                # no-op when it is still there.
                self.prover.prove(batch)
                sent = self.updater.submit(batch)
                crash.crash_point(crash.UPDATE_SENT)
                batch = self.store.advance_batch(batch.batch_id, BatchStatus.SUBMITTED, **sent)
        elif batch.status is BatchStatus.SUBMITTED:
            depth = self.updater.depth(batch)
            if depth is None:
                # A reorganisation dropped the state update (and maybe the fact): do both again.
                log.warning("batch %d: L1 no longer holds its state update (reorganised away); proving and "
                            "submitting it again", batch.batch_id, extra={"batch_id": batch.batch_id})
                return self.store.rewind_batch(batch.batch_id, BatchStatus.EXECUTED, rewound=batch.data.get("rewound", 0) + 1)
            if depth < self.policy.confirmations:
                raise NotReady(f"its state update has {depth} of {self.policy.confirmations} confirmations")
            batch = self.store.advance_batch(batch.batch_id, BatchStatus.ACCEPTED)
        log.info("batch %d %s in %.2fs", batch.batch_id, batch.status.value, time.perf_counter() - started,
                 extra={"batch_id": batch.batch_id, "status": batch.status.value})
        if batch.status is BatchStatus.ACCEPTED:
            crash.crash_point(crash.ACCEPTED)
            if self.on_accepted is not None:
                self.on_accepted(batch)
        return batch

    def _not_batchable(self, batch: BatchRecord, tx_id: int, reason: str) -> BatchRecord:
        """Gives the batch's transactions from tx_id on back to the queue and has tx_id marked
        for replacement; the batch keeps what comes before (or is gone). Nothing of it had left
        the operator."""
        log.warning("batch %d: tx %d can no longer be executed: %s", batch.batch_id, tx_id, reason,
                    extra={"batch_id": batch.batch_id, "tx_id": tx_id})
        remaining = self.store.reopen(batch.batch_id, tx_id)
        self.on_not_batchable(tx_id, reason)
        return remaining if remaining is not None else batch
