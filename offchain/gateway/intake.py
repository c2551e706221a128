"""The one door into the operator: every transaction, from a client or from an L1 event.

A transaction is acknowledged only after it passed validation against the pending state (the
model after every earlier acknowledged transaction) and was committed to storage, in that
order and under one lock, so an acknowledged transaction is never lost and an invalid one never
reaches a batch.
"""
from __future__ import annotations

import threading
import time
from collections import defaultdict
from typing import Callable

from offchain.batching.expiration import check_admissible
from offchain.perpetual.errors import Reason, TransactionRejected
from offchain.perpetual.execute import apply_transaction
from offchain.perpetual.state import PerpetualState
from offchain.perpetual.transactions import Deposit, transaction_from_json
from offchain.storage import BatchStatus, OperatorStore, TxIdConflict


class IntakeRejected(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class DepositGuard:
    """A DEPOSIT must be backed by a pending deposit on L1 that no earlier DEPOSIT claimed.

    Otherwise the batch holding it would be refused by L1 (InsufficientPendingDeposit) and
    block every batch after it.
    """

    def __init__(self, l1_pending_deposit: Callable[[int, int], int]):
        self.l1_pending_deposit = l1_pending_deposit
        self.claimed: dict[tuple[int, int], int] = defaultdict(int)

    def check(self, tx: Deposit) -> None:
        key = (tx.public_key, tx.position_id)
        available = self.l1_pending_deposit(*key) - self.claimed[key]
        if tx.amount > available:
            raise TransactionRejected(Reason.DEPOSIT_NOT_ON_L1, f"deposit of {tx.amount} to position {tx.position_id} exceeds the unclaimed L1 pending deposit {available}")

    def claim(self, tx: Deposit) -> None:
        self.claimed[(tx.public_key, tx.position_id)] += tx.amount

    def consumed_on_l1(self, deposits: list[Deposit]) -> None:
        for tx in deposits:
            self.claimed[(tx.public_key, tx.position_id)] -= tx.amount


class TransactionIntake:
    def __init__(self, store: OperatorStore, genesis: PerpetualState, deposits: DepositGuard | None = None,
                 clock: Callable[[], float] = time.time):
        """clock: the time transactions must outlive (the operator passes L1's)."""
        self.store = store
        self.deposits = deposits
        self.clock = clock
        self.lock = threading.Lock()
        self.state = genesis.copy()
        self._replay()

    def _replay(self) -> None:
        """After a restart: the pending state is genesis plus every stored transaction."""
        accepted_through = -1
        for batch in self.store.iter_batches():
            if batch.status is BatchStatus.ACCEPTED:
                accepted_through = batch.last_tx_id
        for stored in self.store.transactions_in(0, self.store.first_unused_tx_id() - 1):
            tx = transaction_from_json(stored.tx)
            apply_transaction(self.state, tx)
            if self.deposits is not None and isinstance(tx, Deposit) and stored.tx_id > accepted_through:
                self.deposits.claim(tx)

    def _admit(self, tx_json: dict) -> None:
        """Validates and applies to the pending state, or refuses with the rule's name (HTTP 400)."""
        try:
            self._validate_and_apply(tx_json)
        except TransactionRejected as rejected:
            raise IntakeRejected(400, rejected.reason_code.name, rejected.message or str(rejected)) from rejected

    def _validate_and_apply(self, tx_json: dict) -> None:
        try:
            tx = transaction_from_json(tx_json)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise TransactionRejected(Reason.MALFORMED_TRANSACTION, f"{type(error).__name__}: {error}") from error
        check_admissible(tx, self.clock())
        if self.deposits is not None and isinstance(tx, Deposit):
            self.deposits.check(tx)
        apply_transaction(self.state, tx)
        if self.deposits is not None and isinstance(tx, Deposit):
            self.deposits.claim(tx)

    def submit(self, tx_id: int, tx: dict, origin: str | None = None) -> bool:
        """Acknowledges tx under tx_id; False for an identical resend (no effect)."""
        with self.lock:
            if self.store.get_transaction(tx_id) is not None:
                try:
                    return self.store.add_transaction(tx_id, tx)
                except TxIdConflict as conflict:
                    raise IntakeRejected(409, conflict.code, str(conflict)) from conflict
            expected = self.store.first_unused_tx_id()
            if tx_id != expected:
                raise IntakeRejected(400, "INVALID_TRANSACTION_ID", f"tx_id {tx_id} is out of sequence: the first unused tx_id is {expected}")
            self._admit(tx)
            self.store.add_transaction(tx_id, tx, origin)
            return True

    def submit_from_l1(self, tx: dict, origin: str) -> int | None:
        """An operator-made transaction (from an L1 event): numbered next, made at most once."""
        with self.lock:
            if self.store.has_origin(origin):
                return None
            tx_id = self.store.first_unused_tx_id()
            self._admit(tx)
            self.store.add_transaction(tx_id, tx, origin)
            return tx_id

    def batch_accepted(self, transactions: list[dict]) -> None:
        """L1 consumed a batch's deposits: they no longer count against L1's pending deposits."""
        if self.deposits is None:
            return
        with self.lock:
            self.deposits.consumed_on_l1([t for t in map(transaction_from_json, transactions) if isinstance(t, Deposit)])
