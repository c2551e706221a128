"""Turns L1 events into L2 transactions: deposits, and forced withdrawals and forced trades
(served before the freeze grace period ends, since the watcher runs every loop of the operator).

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

from offchain.core.gateway.intake import IntakeRejected, TransactionIntake
from offchain.perpetual.signing import FORCED_TRADE_FIELDS

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


def _origin(event) -> str:
    return f"{event.transaction_hash}:{event.log_index}"


def forced_trade_tx(event_trade) -> dict:
    """The FORCED_TRADE transaction (as valid) of a LogForcedTradeRequest's trade."""
    # Ape decodes the event's struct as a list, in the struct's field order.
    t = dict(zip(FORCED_TRADE_FIELDS, event_trade))
    return {"type": "FORCED_TRADE", "public_key_party_a": int(t["starkKeyA"]),
            "public_key_party_b": int(t["starkKeyB"]), "position_id_party_a": int(t["positionIdA"]),
            "position_id_party_b": int(t["positionIdB"]), "synthetic_asset_id": int(t["syntheticAssetId"]),
            "amount_collateral": int(t["amountCollateral"]), "amount_synthetic": int(t["amountSynthetic"]),
            "is_party_a_buying_synthetic": int(bool(t["aIsBuyingSynthetic"])), "nonce": int(t["nonce"]),
            "is_valid": 1}


class L1Watcher:
    def __init__(self, exchange, intake: TransactionIntake, chain_manager, collateral_asset_type: int,
                 confirmations: int = 0, start_block: int = 0, clock: L1Clock | None = None):
        self.exchange = exchange
        self.intake = intake
        self.chain = chain_manager
        self.collateral = collateral_asset_type
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
        for event in self.exchange.LogDeposit.range(first, last + 1):
            if int(event.assetType) != self.collateral:
                continue
            made += self._deposit(event)
        for event in self.exchange.LogForcedWithdrawalRequest.range(first, last + 1):
            tx = {"type": "FORCED_WITHDRAWAL", "position_id": int(event.positionId), "public_key": int(event.starkKey),
                  "amount": int(event.quantizedAmount), "is_valid": 1}
            made += self._submit_forced(tx, _origin(event))
        for event in self.exchange.LogForcedTradeRequest.range(first, last + 1):
            made += self._submit_forced(forced_trade_tx(event.trade), _origin(event))
        store.set_setting(CURSOR, last + 1)
        return made

    def _deposit(self, event) -> list[int]:
        tx = {"type": "DEPOSIT", "position_id": int(event.positionId), "public_key": int(event.starkKey),
              "amount": int(event.quantizedAmount)}
        # Read before the intake's lock: L1 is never waited on while a client waits for it.
        pending = int(self.exchange.getPendingDeposit(tx["public_key"], self.collateral, tx["position_id"]))
        try:
            return self._submit(tx, _origin(event), pending)
        except IntakeRejected as refused:
            # Not creditable (the position belongs to another key, ...): it stays pending on L1,
            # where its owner can cancel and reclaim it; it must not stop the watcher.
            log.warning("L1 deposit %s not credited: %s: %s", _origin(event), refused.code, refused.message,
                        extra={"origin": _origin(event), "code": refused.code})
            return []

    def _submit(self, tx: dict, origin: str, l1_pending: int | None = None) -> list[int]:
        tx_id = self.intake.submit_from_l1(tx, origin, l1_pending)
        if tx_id is None:
            return []
        log.info("L1 event %s became tx %d (%s)", origin, tx_id, tx["type"])
        return [tx_id]

    def _submit_forced(self, tx: dict, origin: str) -> list[int]:
        # A forced request must be served either way: as valid if the position allows it,
        # otherwise recorded as invalid (the program checks which one is true).
        try:
            return self._submit(tx, origin)
        except IntakeRejected as as_valid:
            try:
                return self._submit({**tx, "is_valid": 0}, origin)
            except IntakeRejected:
                raise as_valid from None  # neither: the first reason is the informative one
