"""Durable operator storage: transactions, batches and operator metadata (SQLite or PostgreSQL)."""
from offchain.core.storage.store import BatchRecord, BatchStatus, OperatorStore, StoredTransaction, TxIdConflict

__all__ = ["BatchRecord", "BatchStatus", "OperatorStore", "StoredTransaction", "TxIdConflict"]
