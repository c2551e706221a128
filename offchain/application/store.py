"""The application's durable state (SQLite): its orders and its outbox to the gateway.

The outbox makes sending at-most-once across crashes: before a transaction is sent, it is
written with the first tx_id it may have taken (`from_tx_id`); once the gateway acknowledged it,
its tx_id. An entry still without tx_id after a crash was sent or not: the gateway's
transactions from `from_tx_id` on tell which (offchain.application.service.Application.recover).
"""
from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    order_id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    body TEXT NOT NULL,            -- the order, docs/batch-input.md form
    remaining TEXT NOT NULL,       -- synthetic units still to fill
    status TEXT NOT NULL,          -- OPEN, FILLED, REJECTED, EXPIRED
    code TEXT, message TEXT        -- why it left the book, when it did not fill
);
CREATE TABLE IF NOT EXISTS fills (
    outbox_key TEXT NOT NULL,
    order_id TEXT NOT NULL,
    quantity TEXT NOT NULL,
    collateral TEXT NOT NULL,
    fee TEXT NOT NULL,
    PRIMARY KEY (outbox_key, order_id)
);
CREATE TABLE IF NOT EXISTS outbox (
    key TEXT PRIMARY KEY,          -- trade:<maker>:<taker>:<n> or tx:<hash>
    body TEXT NOT NULL,            -- the canonical transaction (what the gateway stores)
    from_tx_id INTEGER NOT NULL,   -- the first tx_id it may have been stored under
    tx_id INTEGER                  -- once acknowledged
);
"""


@dataclass(frozen=True)
class OrderRow:
    order_id: str
    seq: int
    body: dict
    remaining: int
    status: str
    code: str | None
    message: str | None


@dataclass(frozen=True)
class OutboxRow:
    key: str
    body: dict
    from_tx_id: int
    tx_id: int | None


class ApplicationStore:
    def __init__(self, path: Path | str):
        self.db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)
        self.lock = threading.Lock()

    def _run(self, sql: str, *args) -> sqlite3.Cursor:
        with self.lock:
            return self.db.execute(sql, args)

    def transaction(self):
        """One atomic write of several statements: `with store.transaction() as db: ...`."""
        store = self

        class _Tx:
            def __enter__(self):
                store.lock.acquire()
                store.db.execute("BEGIN IMMEDIATE")
                return store.db

            def __exit__(self, kind, *_):
                try:
                    store.db.execute("COMMIT" if kind is None else "ROLLBACK")
                finally:
                    store.lock.release()

        return _Tx()

    # --- orders -----------------------------------------------------------------------------

    def next_seq(self) -> int:
        return int(self._run("SELECT COALESCE(MAX(seq), -1) + 1 FROM orders").fetchone()[0])

    def add_order(self, order_id: str, seq: int, body: dict, remaining: int) -> None:
        self._run("INSERT INTO orders (order_id, seq, body, remaining, status) VALUES (?, ?, ?, ?, 'OPEN')",
                  order_id, seq, json.dumps(body, sort_keys=True), str(remaining))

    def get_order(self, order_id: str) -> OrderRow | None:
        row = self._run("SELECT order_id, seq, body, remaining, status, code, message FROM orders WHERE order_id = ?",
                        order_id).fetchone()
        return None if row is None else _order(row)

    def open_orders(self) -> list[OrderRow]:
        rows = self._run("SELECT order_id, seq, body, remaining, status, code, message FROM orders "
                         "WHERE status = 'OPEN' ORDER BY seq").fetchall()
        return [_order(r) for r in rows]

    def open_orders_of(self, position_id: int) -> int:
        return int(self._run("SELECT COUNT(*) FROM orders WHERE status = 'OPEN' AND json_extract(body, '$.position_id') = ?",
                             position_id).fetchone()[0])

    def close_order(self, order_id: str, status: str, code: str | None = None, message: str | None = None) -> None:
        self._run("UPDATE orders SET status = ?, code = ?, message = ? WHERE order_id = ?", status, code, message, order_id)

    def fills_of(self, order_id: str) -> list[dict]:
        rows = self._run("SELECT f.quantity, f.collateral, f.fee, o.tx_id FROM fills f JOIN outbox o ON o.key = f.outbox_key "
                         "WHERE f.order_id = ? ORDER BY o.tx_id", order_id).fetchall()
        return [{"quantity": q, "collateral": c, "fee": fee, "tx_id": tx_id} for q, c, fee, tx_id in rows]

    # --- outbox -----------------------------------------------------------------------------

    def outbox_get(self, key: str) -> OutboxRow | None:
        row = self._run("SELECT key, body, from_tx_id, tx_id FROM outbox WHERE key = ?", key).fetchone()
        return None if row is None else OutboxRow(row[0], json.loads(row[1]), int(row[2]), row[3])

    def outbox_unsent(self) -> list[OutboxRow]:
        rows = self._run("SELECT key, body, from_tx_id, tx_id FROM outbox WHERE tx_id IS NULL ORDER BY from_tx_id").fetchall()
        return [OutboxRow(r[0], json.loads(r[1]), int(r[2]), None) for r in rows]

    def outbox_put(self, key: str, body: dict, from_tx_id: int) -> None:
        """Records the intent to send body (the earliest tx_id it may take is kept)."""
        self._run("INSERT INTO outbox (key, body, from_tx_id) VALUES (?, ?, ?) "
                  "ON CONFLICT(key) DO UPDATE SET from_tx_id = MIN(from_tx_id, excluded.from_tx_id)",
                  key, json.dumps(body, sort_keys=True), from_tx_id)

    def outbox_drop(self, key: str) -> None:
        """The gateway refused it: nothing was stored."""
        self._run("DELETE FROM outbox WHERE key = ? AND tx_id IS NULL", key)

    def trade_sent(self, key: str, tx_id: int, fills: list[tuple[str, int, int, int, int]]) -> None:
        """The trade's tx_id and, at once, its fills: (order_id, quantity, collateral, fee, remaining after)."""
        with self.transaction() as db:
            db.execute("UPDATE outbox SET tx_id = ? WHERE key = ?", (tx_id, key))
            for order_id, quantity, collateral, fee, remaining in fills:
                db.execute("INSERT OR IGNORE INTO fills (outbox_key, order_id, quantity, collateral, fee) VALUES (?, ?, ?, ?, ?)",
                           (key, order_id, str(quantity), str(collateral), str(fee)))
                db.execute("UPDATE orders SET remaining = ?, status = CASE WHEN ? = 0 THEN 'FILLED' ELSE status END "
                           "WHERE order_id = ?", (str(remaining), remaining, order_id))

    def sent(self, key: str, tx_id: int) -> None:
        self._run("UPDATE outbox SET tx_id = ? WHERE key = ?", tx_id, key)


def _order(row) -> OrderRow:
    return OrderRow(row[0], int(row[1]), json.loads(row[2]), int(row[3]), row[4], row[5], row[6])
