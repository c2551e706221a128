"""Turns L1 events into L2 transactions: deposits, and forced requests (served before the freeze
grace period ends, since the watcher runs every loop of the operator). Which events make which
transactions is the application's (Application.l1_requests).

Events are read only once they have `confirmations` blocks on top (a deposit in a block that a
reorganisation removes must never become a DEPOSIT: its batch would be refused by L1 forever),
each becomes at most one transaction (its origin, tx hash and log index, is stored with it), and
the block cursor is stored after the transactions, so a restart re-reads at most one range and
creates nothing twice. Everything L1 is read here, in the service loop, never under the intake's
lock: the intake's clock is this watcher's last reading of L1 time (L1Clock).
"""
from __future__ import annotations

import logging
import threading
import time

from offchain.core.application import L1Request
from offchain.core.gateway.intake import IntakeRejected, TransactionIntake

log = logging.getLogger("offchain.core.l1.watcher")
CURSOR = "l1_watcher_next_block"
# Confirmation depth on a network other than the local node, unless configured: a reorganisation
# deeper than this is beyond what Ethereum's finality makes likely within a few minutes.
DEFAULT_CONFIRMATIONS = 12


class L1Clock:
    """L1's time without asking L1: the last block time read, carried forward by this machine's
    monotonic clock. Reading it never blocks; `refresh` (one RPC) is for the service loop."""

    def __init__(self, chain_manager):
        self.chain = chain_manager
        self._lock = threading.Lock()
        self._l1_time = 0.0
        self._read_at = time.monotonic()

    def refresh(self) -> float:
        l1_time = float(self.chain.pending_timestamp)
        with self._lock:
            self._l1_time, self._read_at = l1_time, time.monotonic()
        return l1_time

    def __call__(self) -> float:
        with self._lock:
            return self._l1_time + (time.monotonic() - self._read_at)


class L1Watcher:
    def __init__(self, exchange, intake: TransactionIntake, chain_manager,
                 confirmations: int = 0, start_block: int = 0, clock: L1Clock | None = None):
        """The application is the intake's."""
        self.exchange = exchange
        self.intake = intake
        self.chain = chain_manager
        self.confirmations = confirmations
        self.start_block = start_block
        self.clock = clock

    def poll(self) -> list[int]:
        """Reads newly confirmed events; returns the tx_ids of the transactions they made."""
        if self.clock is not None:
            self.clock.refresh()
        store = self.intake.store
        first = store.get_setting(CURSOR, self.start_block)
        last = self.chain.blocks.height - self.confirmations
        if last < first:
            return []
        made: list[int] = []
        for request in self.intake.app.l1_requests(self.exchange, first, last):
            made += self._submit_forced(request) if request.forced else self._deposit(request)
        store.set_setting(CURSOR, last + 1)
        return made

    def _deposit(self, request: L1Request) -> list[int]:
        try:
            return self._submit(request.tx, request.origin, request.pending)
        except IntakeRejected as refused:
            # Not creditable (the account belongs to another key, ...): it stays pending on L1,
            # where its owner can cancel and reclaim it; it must not stop the watcher.
            log.warning("L1 deposit %s not credited: %s: %s", request.origin, refused.code, refused.message,
                        extra={"origin": request.origin, "code": refused.code})
            return []

    def _submit(self, tx: dict, origin: str, l1_pending: int | None = None) -> list[int]:
        tx_id = self.intake.submit_from_l1(tx, origin, l1_pending)
        if tx_id is None:
            return []
        log.info("L1 event %s became tx %d (%s)", origin, tx_id, tx["type"])
        return [tx_id]

    def _submit_forced(self, request: L1Request) -> list[int]:
        # A forced request must be served either way: as valid if the account allows it,
        # otherwise as its invalid form (the program checks which one is true).
        try:
            return self._submit(request.tx, request.origin)
        except IntakeRejected as as_valid:
            try:
                return self._submit(self.intake.app.operator_alternatives(request.tx)[0], request.origin)
            except IntakeRejected:
                raise as_valid from None  # neither: the first reason is the informative one
