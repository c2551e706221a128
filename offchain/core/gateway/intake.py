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

from offchain.perpetual.expiration import check_admissible
from offchain.perpetual.schemas import InvalidInput, canonical_tx
from offchain.perpetual.windows import check_tick
from offchain.perpetual.errors import Reason, TransactionRejected
from offchain.perpetual.execute import Scratch, apply_transaction, execute_limit_order
from offchain.perpetual.state import PerpetualState
from offchain.perpetual.transactions import (
    ConditionalTransfer, Deposit, ForcedTrade, ForcedWithdrawal, Order, Trade, Transaction, Transfer, Withdrawal,
    WithdrawalToAddress,
    transaction_from_json)
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
    block every batch after it.
    """

    def __init__(self):
        self.claimed: dict[tuple[int, int], int] = defaultdict(int)

    def check(self, tx: Deposit, l1_pending: int) -> None:
        key = (tx.public_key, tx.position_id)
        available = l1_pending - self.claimed[key]
        if tx.amount > available:
            raise TransactionRejected(Reason.DEPOSIT_NOT_ON_L1, f"deposit of {tx.amount} to position {tx.position_id} exceeds the unclaimed L1 pending deposit {available}")

    def claim(self, tx: Deposit) -> None:
        self.claimed[(tx.public_key, tx.position_id)] += tx.amount

    def consumed_on_l1(self, deposits: list[Deposit]) -> None:
        for tx in deposits:
            self.claimed[(tx.public_key, tx.position_id)] -= tx.amount


def _order_at_fault(tx: Trade, state: PerpetualState, now: float) -> Order | None:
    """The order of a refused trade that fails on its own (its admission window, then its side
    of the trade against the state), party A's checked first as the trade executes it."""
    for order, fee in ((tx.party_a_order, tx.actual_a_fee), (tx.party_b_order, tx.actual_b_fee)):
        try:
            check_admissible(order, now)
            execute_limit_order(Scratch(state), order, tx.actual_collateral, tx.actual_synthetic, fee, 0)
        except TransactionRejected:
            return order
    return None


def _explained(tx: Transaction, rejected: TransactionRejected, state: PerpetualState) -> str:
    """The model's message, with the numbers a client needs when a balance rule refused it."""
    message = rejected.message or rejected.reason_code.name
    if rejected.reason_code.name.startswith(("ILLEGAL_POSITION_TRANSITION", "OUT_OF_RANGE_BALANCE")):
        if isinstance(tx, (Withdrawal, WithdrawalToAddress)):
            position_id, amount = tx.position_id, tx.amount
        elif isinstance(tx, (Transfer, ConditionalTransfer)):
            position_id, amount = tx.sender_position_id, tx.amount
        else:
            return message
        balance = state.position(position_id).collateral_balance
        numbers = (f"position {position_id} holds {balance} collateral after the pending transactions, "
                   f"and the request takes {amount}")
        message = f"{rejected.message}: {numbers}" if rejected.message else numbers
    return message


class TransactionIntake:
    def __init__(self, store: OperatorStore, genesis: PerpetualState, deposits: DepositGuard | None = None,
                 clock: Callable[[], float] = time.time, max_pending: int = DEFAULT_MAX_PENDING):
        """clock: the time transactions must outlive (the operator passes L1's, never blocking);
        max_pending: how many transactions may wait for a batch before clients get 503."""
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

    def _replay(self, until_tx_id: int | None = None) -> PerpetualState:
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
            except TransactionRejected as rejected:
                if stored.batch_id is not None or until_tx_id is not None:
                    raise
                stored = self._mark(stored, f"no longer applies after an earlier replacement: {rejected}")
                if stored.awaiting_replacement:
                    continue
                applied = self._apply_all(state, stored.effective)
            if stored.tx_id > accepted_through:
                for tx in applied:
                    if isinstance(tx, Deposit):
                        guard.claim(tx)
        if self.deposits is not None:
            self.deposits.claimed = guard.claimed
        self.state = state
        return state

    @staticmethod
    def _apply_all(state: PerpetualState, txs: list[dict]) -> list[Transaction]:
        """Applies txs in order, all or none (a failure leaves state as it was)."""
        scratch = state.copy()
        parsed = [transaction_from_json(t) for t in txs]
        for tx in parsed:
            apply_transaction(scratch, tx)
        for tx in parsed:
            apply_transaction(state, tx)
        return parsed

    def _mark(self, stored: StoredTransaction, reason: str) -> StoredTransaction:
        """Marks stored for replacement; the operator's own transactions get their alternatives
        at once, so that an L1 request never waits on a client."""
        log.warning("tx %d marked for replacement: %s", stored.tx_id, reason, extra={"tx_id": stored.tx_id})
        stored = self.store.mark_for_replacement(stored.tx_id, reason)
        if stored.origin is not None and stored.awaiting_replacement:
            self.store.set_alternatives(stored.tx_id, self._operator_alternatives(stored))
            stored = self.store.get_transaction(stored.tx_id)
        return stored

    def _operator_alternatives(self, stored: StoredTransaction) -> list[dict]:
        tx = transaction_from_json(stored.tx)
        if isinstance(tx, (ForcedWithdrawal, ForcedTrade)):
            # A forced request is served either way: as the other validity now.
            return [{**stored.tx, "is_valid": 1 - int(stored.tx["is_valid"])}]
        return []  # a deposit: stays pending on L1 for its owner to cancel and reclaim

    # --- client transactions ----------------------------------------------------------------

    def _validate(self, state: PerpetualState, tx_json: dict, l1_made: bool = False,
                  l1_pending: int | None = None) -> Transaction:
        """Validates tx_json and applies it to state, or IntakeRejected (400) with the rule."""
        tx = None
        try:
            tx = transaction_from_json(tx_json)
            if not l1_made:
                now = self.clock()
                check_tick(tx, now, LANDING_SECONDS)
                check_admissible(tx, now)
            if self.deposits is not None and isinstance(tx, Deposit):
                self.deposits.check(tx, l1_pending or 0)
            apply_transaction(state, tx)
        except TransactionRejected as rejected:
            message = _explained(tx, rejected, state) if tx is not None else (rejected.message or str(rejected))
            at_fault = _order_at_fault(tx, state, self.clock()) if isinstance(tx, Trade) else None
            if at_fault is not None:
                message = f"the order of position {at_fault.position_id}: {message}"
            raise IntakeRejected(400, rejected.reason_code.name, message,
                                 position_id=None if at_fault is None else at_fault.position_id) from rejected
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise IntakeRejected(400, Reason.MALFORMED_TRANSACTION.name, f"{type(error).__name__}: {error}") from error
        if self.deposits is not None and isinstance(tx, Deposit):
            self.deposits.claim(tx)
        return tx

    @staticmethod
    def _canonical(tx_json: object) -> dict:
        try:
            return canonical_tx(tx_json)
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
            self.deposits.consumed_on_l1([t for t in map(transaction_from_json, transactions) if isinstance(t, Deposit)])
