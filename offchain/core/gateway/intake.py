"""The one door into the operator: every transaction, from a client or from an L1 event.

A transaction is acknowledged only after it passed validation against the pending state (the
model after every earlier acknowledged transaction) and against what L1 will take, and was
committed to storage, in that order and under one lock, so an acknowledged transaction is never
lost and an invalid one never reaches a batch. Acknowledged means batchable.

Nothing here waits for L1 while holding the lock: the clock is the service loop's last reading
of L1 time carried forward (offchain.core.l1.watcher.L1Clock), and an L1 deposit's pending amount is
read by the watcher before it comes in.

Replacement (StarkEx's mark_transaction_for_replacement and alternative transactions): an
acknowledged transaction that can no longer be executed — it expired while the operator was
down, or an earlier replacement invalidated it — is marked; batching stops before it until its
alternatives (zero or more transactions) are given, and then executes them in its place. The
application gives alternatives for what it sent; the operator replaces what it made itself (a
forced request flips to the other validity, a deposit is dropped and stays pending on L1, where
its owner can cancel and reclaim it).
"""
from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from typing import Callable

from offchain.core.application import MALFORMED, Application, DepositClaim, InvalidInput, Refused
from offchain.core.storage import BatchStatus, OperatorStore, StoredTransaction, TxIdConflict

log = logging.getLogger("offchain.intake")
DEFAULT_MAX_PENDING = 10_000
# The time from acknowledging to L1 taking the batch that the L1 windows must cover.
LANDING_SECONDS = 2 * 3600


class IntakeRejected(Exception):
    """position_id: for a refused TRADE, the position whose order broke the rule (when one
    order alone does), so that the application can drop that order and keep the other."""

    def __init__(self, status: int, code: str, message: str, retry_after: int | None = None,
                 position_id: int | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after
        self.position_id = position_id


class DepositGuard:
    """A DEPOSIT must be backed by a pending deposit on L1 that no earlier DEPOSIT claimed.

    Otherwise the batch holding it would be refused by L1 (InsufficientPendingDeposit) and
    block every batch after it. Keys are the application's (Perpetual: stark key and position;
    Spot: stark key, asset id and vault).
    """

    def __init__(self):
        self.claimed: dict[tuple, int] = defaultdict(int)

    def check(self, claim: DepositClaim, l1_pending: int) -> None:
        available = l1_pending - self.claimed[claim.key]
        if claim.amount > available:
            raise Refused("DEPOSIT_NOT_ON_L1", f"deposit of {claim.amount} to {claim.account} exceeds the unclaimed "
                                               f"L1 pending deposit {available}")

    def claim(self, claim: DepositClaim) -> None:
        self.claimed[claim.key] += claim.amount

    def consumed_on_l1(self, claims: list[DepositClaim]) -> None:
        for claim in claims:
            self.claimed[claim.key] -= claim.amount


class TransactionIntake:
    def __init__(self, store: OperatorStore, genesis, deposits: DepositGuard | None = None,
                 clock: Callable[[], float] = time.time, max_pending: int = DEFAULT_MAX_PENDING,
                 application: Application | None = None):
        """genesis: the application's state; clock: the time transactions must outlive (the
        operator passes L1's, never blocking); max_pending: how many transactions may wait for a
        batch before clients get 503; application: Perpetual unless given."""
        if application is None:
            from offchain.perpetual.application import PERPETUAL as application
        self.app = application
        self.store = store
        self.genesis = genesis
        self.deposits = deposits
        self.clock = clock
        self.max_pending = max_pending
        self.lock = threading.Lock()
        self.state = genesis.copy()
        with self.lock:
            self._replay()

    # --- the pending state ------------------------------------------------------------------

    def _replay(self, until_tx_id: int | None = None):
        """Genesis plus every stored transaction (as executed: alternatives in place of the
        replaced, nothing for those awaiting alternatives). A pending one that no longer applies
        is marked for replacement (the operator's own are replaced at once). With until_tx_id,
        returns the state before that tx and changes nothing."""
        state = self.genesis.copy()
        accepted_through = -1
        for batch in self.store.iter_batches():
            if batch.status is BatchStatus.ACCEPTED:
                accepted_through = batch.last_tx_id
        guard = DepositGuard()
        for stored in self.store.transactions_in(0, self.store.first_unused_tx_id() - 1):
            if until_tx_id is not None and stored.tx_id >= until_tx_id:
                return state
            if stored.awaiting_replacement:
                continue
            try:
                applied = self._apply_all(state, stored.effective)
            except Refused as rejected:
                if stored.batch_id is not None or until_tx_id is not None:
                    raise
                stored = self._mark(stored, f"no longer applies after an earlier replacement: {rejected}")
                if stored.awaiting_replacement:
                    continue
                applied = self._apply_all(state, stored.effective)
            if stored.tx_id > accepted_through:
                for tx in applied:
                    claim = self.app.deposit_claim(tx)
                    if claim is not None:
                        guard.claim(claim)
        if self.deposits is not None:
            self.deposits.claimed = guard.claimed
        self.state = state
        return state

    def _apply_all(self, state, txs: list[dict]) -> list:
        """Applies txs in order, all or none (a failure leaves state as it was)."""
        scratch = state.copy()
        parsed = [self.app.parse(t) for t in txs]
        for tx in parsed:
            self.app.apply(scratch, tx)
        for tx in parsed:
            self.app.apply(state, tx)
        return parsed

    def _mark(self, stored: StoredTransaction, reason: str) -> StoredTransaction:
        """Marks stored for replacement; the operator's own transactions get their alternatives
        at once, so that an L1 request never waits on a client."""
        log.warning("tx %d marked for replacement: %s", stored.tx_id, reason, extra={"tx_id": stored.tx_id})
        stored = self.store.mark_for_replacement(stored.tx_id, reason)
        if stored.origin is not None and stored.awaiting_replacement:
            self.store.set_alternatives(stored.tx_id, self.app.operator_alternatives(stored.tx))
            stored = self.store.get_transaction(stored.tx_id)
        return stored

    # --- client transactions ----------------------------------------------------------------

    def _validate(self, state, tx_json: dict, l1_made: bool = False, l1_pending: int | None = None):
        """Validates tx_json and applies it to state, or IntakeRejected (400) with the rule."""
        try:
            tx = self.app.parse(tx_json)
            claim = self.app.deposit_claim(tx) if self.deposits is not None else None
            if claim is not None:
                self.deposits.check(claim, l1_pending or 0)
            self.app.validate(state, tx, None if l1_made else self.clock(), LANDING_SECONDS)
        except Refused as refused:
            raise IntakeRejected(400, refused.code, refused.message, position_id=refused.party) from refused
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise IntakeRejected(400, MALFORMED, f"{type(error).__name__}: {error}") from error
        if claim is not None:
            self.deposits.claim(claim)
        return tx

    def _canonical(self, tx_json: object) -> dict:
        try:
            return self.app.canonical_tx(tx_json)
        except InvalidInput as invalid:
            raise IntakeRejected(400, invalid.code, invalid.message) from invalid

    def submit(self, tx_id: int, tx_json: object) -> bool:
        """Acknowledges a client's transaction under tx_id; False for an identical resend (no
        effect). Refuses with IntakeRejected: 400 (the rule), 409 (tx_id reused), 503 (queue full)."""
        tx = self._canonical(tx_json)
        with self.lock:
            if self.store.get_transaction(tx_id) is not None:
                try:
                    return self.store.add_transaction(tx_id, tx)
                except TxIdConflict as conflict:
                    raise IntakeRejected(409, conflict.code, str(conflict)) from conflict
            expected = self.store.first_unused_tx_id()
            if tx_id != expected:
                raise IntakeRejected(400, "INVALID_TRANSACTION_ID", f"tx_id {tx_id} is out of sequence: the first unused tx_id is {expected}")
            pending = self.store.pending_count()
            if pending >= self.max_pending:
                raise IntakeRejected(503, "TOO_MANY_PENDING_TRANSACTIONS",
                                     f"{pending} transactions wait for a batch (the limit is {self.max_pending}); retry later",
                                     retry_after=5)
            self._validate(self.state, tx)
            self.store.add_transaction(tx_id, tx)
            return True

    def submit_from_l1(self, tx: dict, origin: str, l1_pending: int | None = None) -> int | None:
        """An operator-made transaction (from an L1 event): numbered next, made at most once.
        l1_pending: for a DEPOSIT, the amount L1 holds pending for its key and position."""
        with self.lock:
            if self.store.has_origin(origin):
                return None
            tx_id = self.store.first_unused_tx_id()
            self._validate(self.state, tx, l1_made=True, l1_pending=l1_pending)
            self.store.add_transaction(tx_id, tx, origin)
            return tx_id

    # --- replacement ------------------------------------------------------------------------

    def mark_for_replacement(self, tx_id: int, reason: str, by_application: bool = True) -> StoredTransaction:
        """Marks an acknowledged transaction not yet in a batch; later ones that then no longer
        apply are marked too. by_application: the operator's own transactions are refused."""
        with self.lock:
            stored = self.store.get_transaction(tx_id)
            if stored is None:
                raise IntakeRejected(404, "TRANSACTION_NOT_FOUND", f"no transaction {tx_id}")
            if by_application and stored.origin is not None:
                raise IntakeRejected(403, "FORBIDDEN", f"tx {tx_id} was made by the operator from L1 ({stored.origin}): "
                                                       "the operator replaces it itself")
            try:
                stored = self._mark(stored, reason)
            except TxIdConflict as conflict:
                raise IntakeRejected(409, conflict.code, str(conflict)) from conflict
            self._replay()
            return stored

    def add_alternatives(self, tx_id: int, alternatives_json: list) -> bool:
        """The alternatives of a marked transaction, validated in its place (each against the
        state the ones before it leave); False for the same list again."""
        alternatives = [self._canonical(t) for t in alternatives_json]
        with self.lock:
            stored = self.store.get_transaction(tx_id)
            if stored is None:
                raise IntakeRejected(404, "TRANSACTION_NOT_FOUND", f"no transaction {tx_id}")
            if stored.alternatives is None and stored.replacement_reason is not None:
                state = self._replay(until_tx_id=tx_id)
                for index, alternative in enumerate(alternatives):
                    try:
                        self._validate(state, alternative)
                    except IntakeRejected as rejected:
                        rejected.message = f"alternative {index}: {rejected.message}"
                        raise
            try:
                changed = self.store.set_alternatives(tx_id, alternatives)
            except TxIdConflict as conflict:
                raise IntakeRejected(409, conflict.code, str(conflict)) from conflict
            self._replay()
            return changed

    def batch_accepted(self, transactions: list[dict]) -> None:
        """L1 consumed a batch's deposits: they no longer count against L1's pending deposits."""
        if self.deposits is None:
            return
        with self.lock:
            claims = (self.app.deposit_claim(self.app.parse(t)) for t in transactions)
            self.deposits.consumed_on_l1([c for c in claims if c is not None])
