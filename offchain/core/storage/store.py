"""The operator's durable state, behind one small API.

Transactions are numbered by the client (StarkEx's tx_id): ids are consecutive, so "what is
pending" is always the contiguous range after the last batched id, and a batch is a range.
Every write is one database transaction, committed before the caller answers anyone, so a
crash (kill -9) loses nothing that was acknowledged; a batch records how far it got through
the pipeline so that a restarted operator resumes it instead of re-running applied steps.

SQLAlchemy Core keeps one schema for SQLite (default, a file) and PostgreSQL (given a URL).
"""
from __future__ import annotations

import enum
import json
import time
from dataclasses import dataclass
from typing import Any, Iterator

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine

metadata = MetaData()

transactions = Table(
    "transactions",
    metadata,
    Column("tx_id", BigInteger, primary_key=True, autoincrement=False),
    Column("body", Text, nullable=False),
    Column("batch_id", BigInteger, nullable=True, index=True),
    Column("received_at", Float, nullable=False),
    # Where an operator-made transaction came from (an L1 event), so that it is made only once.
    Column("origin", String(96), nullable=True, unique=True),
    # StarkEx's replacement: why this acknowledged transaction can no longer be executed, and
    # then (JSON list, possibly empty) the alternative transactions that take its place.
    Column("replacement_reason", Text, nullable=True),
    Column("alternatives", Text, nullable=True),
)

batches = Table(
    "batches",
    metadata,
    Column("batch_id", BigInteger, primary_key=True, autoincrement=False),
    Column("first_tx_id", BigInteger, nullable=False),
    Column("last_tx_id", BigInteger, nullable=False),
    Column("status", String(16), nullable=False),
    Column("data", Text, nullable=False, default="{}"),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)


class BatchStatus(str, enum.Enum):
    """Pipeline steps, in order; a batch's status is the last step that completed durably."""

    CREATED = "CREATED"
    EXECUTED = "EXECUTED"  # Cairo program run, output known
    PROVED = "PROVED"  # fact registered on the verifier
    SUBMITTED = "SUBMITTED"  # updateState sent
    ACCEPTED = "ACCEPTED"  # updateState mined and succeeded

    @property
    def rank(self) -> int:
        return list(BatchStatus).index(self)


class TxIdConflict(ValueError):
    """A tx_id that is out of sequence, or reused with a different body."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class StoredTransaction:
    tx_id: int
    tx: dict
    batch_id: int | None
    origin: str | None = None
    replacement_reason: str | None = None
    alternatives: list[dict] | None = None

    @property
    def awaiting_replacement(self) -> bool:
        """Marked for replacement, its alternatives not given yet: batching stops before it."""
        return self.replacement_reason is not None and self.alternatives is None

    @property
    def effective(self) -> list[dict]:
        """What the batch executes for this tx_id: the transaction, or its alternatives."""
        if self.awaiting_replacement:
            raise ValueError(f"tx {self.tx_id} awaits its alternative transactions")
        return self.alternatives if self.alternatives is not None else [self.tx]

    @property
    def status(self) -> str | None:
        if self.alternatives is not None:
            return "REPLACED"
        if self.replacement_reason is not None:
            return "REPLACEMENT_REQUESTED"
        return None


def _stored(row) -> StoredTransaction:
    return StoredTransaction(int(row.tx_id), json.loads(row.body), None if row.batch_id is None else int(row.batch_id),
                             row.origin, row.replacement_reason,
                             None if row.alternatives is None else json.loads(row.alternatives))


@dataclass(frozen=True)
class BatchRecord:
    batch_id: int
    first_tx_id: int
    last_tx_id: int
    status: BatchStatus
    data: dict

    @property
    def tx_ids(self) -> range:
        return range(self.first_tx_id, self.last_tx_id + 1)


def _canonical(tx: dict) -> str:
    return json.dumps(tx, sort_keys=True, separators=(",", ":"))


class OperatorStore:
    def __init__(self, url: str = "sqlite:///operator.sqlite"):
        self.engine: Engine = create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_durable)
        metadata.create_all(self.engine)
        self._add_missing_columns()

    def _add_missing_columns(self) -> None:
        """A store written before a column existed gets it (nullable), so an upgraded operator
        resumes over its old database."""
        present = {c["name"] for c in inspect(self.engine).get_columns("transactions")}
        with self.engine.begin() as conn:
            for column in transactions.columns:
                if column.name not in present:
                    conn.execute(text(f"ALTER TABLE transactions ADD COLUMN {column.name} TEXT"))

    # --- transactions -------------------------------------------------------------------

    def first_unused_tx_id(self) -> int:
        with self.engine.connect() as conn:
            last = conn.execute(select(func.max(transactions.c.tx_id))).scalar()
        return 0 if last is None else int(last) + 1

    def has_origin(self, origin: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(transactions.c.tx_id).where(transactions.c.origin == origin)).first() is not None

    def add_transaction(self, tx_id: int, tx: dict, origin: str | None = None) -> bool:
        """Stores tx under tx_id; returns False if the very same transaction was already stored.

        Re-sending an acknowledged transaction is how clients recover from a lost answer, so an
        identical resend is accepted without effect; anything else out of sequence is refused.
        """
        body = _canonical(tx)
        with self.engine.begin() as conn:
            existing = conn.execute(select(transactions.c.body).where(transactions.c.tx_id == tx_id)).scalar()
            if existing is not None:
                if existing == body:
                    return False
                raise TxIdConflict("TRANSACTION_ID_ALREADY_USED", f"tx_id {tx_id} is already used by another transaction")
            last = conn.execute(select(func.max(transactions.c.tx_id))).scalar()
            expected = 0 if last is None else int(last) + 1
            if tx_id != expected:
                raise TxIdConflict("INVALID_TRANSACTION_ID", f"tx_id {tx_id} is out of sequence: the first unused tx_id is {expected}")
            conn.execute(transactions.insert().values(tx_id=tx_id, body=body, batch_id=None, received_at=time.time(), origin=origin))
        return True

    def get_transaction(self, tx_id: int) -> StoredTransaction | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(transactions).where(transactions.c.tx_id == tx_id)).first()
        return None if row is None else _stored(row)

    def transactions_in(self, first: int, last: int) -> list[StoredTransaction]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(transactions)
                .where(transactions.c.tx_id >= first, transactions.c.tx_id <= last)
                .order_by(transactions.c.tx_id)
            ).all()
        return [_stored(r) for r in rows]

    def effective_transactions_in(self, first: int, last: int) -> list[dict]:
        """A batch's transactions as executed: replaced ones give way to their alternatives."""
        return [tx for stored in self.transactions_in(first, last) for tx in stored.effective]

    def pending_transactions(self) -> list[StoredTransaction]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(transactions).where(transactions.c.batch_id.is_(None)).order_by(transactions.c.tx_id)).all()
        return [_stored(r) for r in rows]

    def pending_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(transactions).where(transactions.c.batch_id.is_(None))).scalar())

    def mark_for_replacement(self, tx_id: int, reason: str) -> StoredTransaction:
        """Records that tx_id can no longer be executed; batching stops before it until its
        alternatives are given. Only a transaction not yet in a batch can be marked."""
        with self.engine.begin() as conn:
            row = conn.execute(select(transactions).where(transactions.c.tx_id == tx_id).with_for_update()).first()
            if row is None:
                raise KeyError(f"no transaction {tx_id}")
            if row.batch_id is not None:
                raise TxIdConflict("TRANSACTION_ALREADY_BATCHED", f"tx {tx_id} is in batch {row.batch_id}: it can no longer be replaced")
            if row.replacement_reason is None:
                conn.execute(update(transactions).where(transactions.c.tx_id == tx_id).values(replacement_reason=reason))
        return self.get_transaction(tx_id)

    def set_alternatives(self, tx_id: int, alternatives: list[dict]) -> bool:
        """Gives a marked transaction its alternatives; False for the same list again (no effect)."""
        body = json.dumps([json.loads(_canonical(tx)) for tx in alternatives], sort_keys=True, separators=(",", ":"))
        with self.engine.begin() as conn:
            row = conn.execute(select(transactions).where(transactions.c.tx_id == tx_id).with_for_update()).first()
            if row is None:
                raise KeyError(f"no transaction {tx_id}")
            if row.replacement_reason is None:
                raise TxIdConflict("NOT_MARKED_FOR_REPLACEMENT", f"tx {tx_id} was not marked for replacement")
            if row.alternatives is not None:
                if row.alternatives == body:
                    return False
                raise TxIdConflict("REPLACED_BEFORE", f"tx {tx_id} was already replaced by other alternatives")
            if row.batch_id is not None:
                raise TxIdConflict("TRANSACTION_ALREADY_BATCHED", f"tx {tx_id} is in batch {row.batch_id}")
            conn.execute(update(transactions).where(transactions.c.tx_id == tx_id).values(alternatives=body))
        return True

    def oldest_pending_age(self, now: float | None = None) -> float | None:
        with self.engine.connect() as conn:
            oldest = conn.execute(select(func.min(transactions.c.received_at)).where(transactions.c.batch_id.is_(None))).scalar()
        return None if oldest is None else (now or time.time()) - float(oldest)

    # --- batches ------------------------------------------------------------------------

    def close_batch(self, max_size: int) -> BatchRecord | None:
        """Moves up to max_size of the oldest pending transactions into a new batch, atomically,
        stopping before a transaction that awaits its alternatives."""
        with self.engine.begin() as conn:
            pending = transactions.c.batch_id.is_(None)
            blocked = conn.execute(select(func.min(transactions.c.tx_id)).where(
                pending, transactions.c.replacement_reason.is_not(None), transactions.c.alternatives.is_(None))).scalar()
            query = select(transactions.c.tx_id).where(pending)
            if blocked is not None:
                query = query.where(transactions.c.tx_id < blocked)
            ids = conn.execute(query.order_by(transactions.c.tx_id).limit(max_size)).scalars().all()
            if not ids:
                return None
            last_batch = conn.execute(select(func.max(batches.c.batch_id))).scalar()
            batch_id = 0 if last_batch is None else int(last_batch) + 1
            first, last = int(ids[0]), int(ids[-1])
            now = time.time()
            conn.execute(
                batches.insert().values(
                    batch_id=batch_id, first_tx_id=first, last_tx_id=last, status=BatchStatus.CREATED.value,
                    data="{}", created_at=now, updated_at=now,
                )
            )
            conn.execute(update(transactions).where(transactions.c.tx_id >= first, transactions.c.tx_id <= last).values(batch_id=batch_id))
        return BatchRecord(batch_id, first, last, BatchStatus.CREATED, {})

    def reopen(self, batch_id: int, from_tx_id: int) -> BatchRecord | None:
        """Gives the transactions from from_tx_id on back to the pending queue, for a batch that
        was only CREATED (nothing of it left the operator); the batch keeps the ones before, or
        is removed if none. Returns the batch as it remains, or None."""
        with self.engine.begin() as conn:
            row = conn.execute(select(batches).where(batches.c.batch_id == batch_id).with_for_update()).first()
            if row is None or BatchStatus(row.status) is not BatchStatus.CREATED:
                raise ValueError(f"batch {batch_id} is not a CREATED batch")
            conn.execute(update(transactions).where(transactions.c.batch_id == batch_id,
                                                    transactions.c.tx_id >= from_tx_id).values(batch_id=None))
            if from_tx_id <= int(row.first_tx_id):
                conn.execute(batches.delete().where(batches.c.batch_id == batch_id))
                return None
            conn.execute(update(batches).where(batches.c.batch_id == batch_id).values(last_tx_id=from_tx_id - 1, updated_at=time.time()))
        return BatchRecord(batch_id, int(row.first_tx_id), from_tx_id - 1, BatchStatus.CREATED, json.loads(row.data))

    def rewind_batch(self, batch_id: int, status: BatchStatus, **data: Any) -> BatchRecord:
        """Moves a batch back to an earlier step: L1 lost what the later steps did (a reorg
        dropped the fact or the state update), so they must be done again."""
        with self.engine.begin() as conn:
            row = conn.execute(select(batches).where(batches.c.batch_id == batch_id).with_for_update()).first()
            if row is None:
                raise KeyError(f"no batch {batch_id}")
            merged = {**json.loads(row.data), **data}
            conn.execute(update(batches).where(batches.c.batch_id == batch_id).values(
                status=status.value, data=json.dumps(merged), updated_at=time.time()))
        return BatchRecord(batch_id, int(row.first_tx_id), int(row.last_tx_id), status, merged)

    def advance_batch(self, batch_id: int, status: BatchStatus, **data: Any) -> BatchRecord:
        """Records that a pipeline step completed, with what it produced; steps only move forward."""
        with self.engine.begin() as conn:
            # FOR UPDATE (PostgreSQL; SQLite serializes writers anyway): the gateway merges data
            # into the same row while the pipeline advances it.
            row = conn.execute(select(batches).where(batches.c.batch_id == batch_id).with_for_update()).first()
            if row is None:
                raise KeyError(f"no batch {batch_id}")
            current = BatchStatus(row.status)
            if status.rank < current.rank:
                raise ValueError(f"batch {batch_id} is {current.value}; cannot go back to {status.value}")
            merged = {**json.loads(row.data), **data}
            conn.execute(
                update(batches).where(batches.c.batch_id == batch_id).values(status=status.value, data=json.dumps(merged), updated_at=time.time())
            )
        return BatchRecord(batch_id, int(row.first_tx_id), int(row.last_tx_id), status, merged)

    def merge_batch_data(self, batch_id: int, key: str, entries: dict) -> BatchRecord:
        """Adds entries to the dict under data[key], whatever step the batch is at."""
        with self.engine.begin() as conn:
            row = conn.execute(select(batches).where(batches.c.batch_id == batch_id).with_for_update()).first()
            if row is None:
                raise KeyError(f"no batch {batch_id}")
            data = json.loads(row.data)
            data[key] = {**data.get(key, {}), **entries}
            conn.execute(update(batches).where(batches.c.batch_id == batch_id).values(data=json.dumps(data), updated_at=time.time()))
        return BatchRecord(batch_id, int(row.first_tx_id), int(row.last_tx_id), BatchStatus(row.status), data)

    def get_batch(self, batch_id: int) -> BatchRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(batches).where(batches.c.batch_id == batch_id)).first()
        return None if row is None else _batch(row)

    def batches_not_accepted(self) -> list[BatchRecord]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(batches).where(batches.c.status != BatchStatus.ACCEPTED.value).order_by(batches.c.batch_id)).all()
        return [_batch(r) for r in rows]

    def last_batch_id(self, status: BatchStatus | None = None) -> int | None:
        query = select(func.max(batches.c.batch_id))
        if status is not None:
            query = query.where(batches.c.status == status.value)
        with self.engine.connect() as conn:
            value = conn.execute(query).scalar()
        return None if value is None else int(value)

    def iter_batches(self) -> Iterator[BatchRecord]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(batches).order_by(batches.c.batch_id)).all()
        return iter([_batch(r) for r in rows])

    # --- settings -----------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self.engine.connect() as conn:
            value = conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar()
        return default if value is None else json.loads(value)

    def set_setting(self, key: str, value: Any) -> None:
        encoded = json.dumps(value)
        with self.engine.begin() as conn:
            changed = conn.execute(update(settings).where(settings.c.key == key).values(value=encoded)).rowcount
            if not changed:
                conn.execute(settings.insert().values(key=key, value=encoded))


def _batch(row) -> BatchRecord:
    return BatchRecord(int(row.batch_id), int(row.first_tx_id), int(row.last_tx_id), BatchStatus(row.status), json.loads(row.data))


def _sqlite_durable(dbapi_connection, _record) -> None:
    # WAL + synchronous=FULL: a commit is on disk before the API acknowledges a transaction.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()
