"""When a batch's transactions must expire: the one policy the gateway and the executor share.

The program refuses a transaction that expires before its batch's minimum expiration hour, and
L1 refuses a state update whose minimum expiration hour is already past. Two ways to get stuck
follow, and this module closes both:
- the gateway admits a transaction only if it stays valid for ADMISSION_MARGIN_HOURS — the time
  to batch, prove and submit it — so an acknowledged transaction cannot expire before its batch
  runs (it would fail the batch);
- the executor states, as the minimum, the earliest expiration among the batch's transactions,
  not the current hour: L1 then takes the update until the first of them really expires, instead
  of refusing it forever once the clock crosses the hour it was executed in.
"""
from __future__ import annotations

from typing import Iterable

from offchain.core.batching.margins import ADMISSION_MARGIN_HOURS, EXECUTION_MARGIN_HOURS, SECONDS_PER_HOUR  # noqa: F401
from offchain.perpetual.errors import Reason, TransactionRejected
from offchain.perpetual.transactions import Order, Transaction



def expirations(tx: Transaction) -> list[int]:
    """The expiration hours a transaction carries: its own, or its orders'."""
    hours = []
    for value in vars(tx).values():
        if isinstance(value, Order):
            hours.append(value.expiration_timestamp)
    if hasattr(tx, "expiration_timestamp"):
        hours.append(tx.expiration_timestamp)
    return hours


def check_admissible(tx: Transaction, now: float, margin_hours: int = ADMISSION_MARGIN_HOURS) -> None:
    """At the gateway (and, with EXECUTION_MARGIN_HOURS, when a batch executes: a transaction
    acknowledged before the operator was down may have expired since)."""
    earliest = int(now) // SECONDS_PER_HOUR + margin_hours
    for hour in expirations(tx):
        if hour < earliest:
            raise TransactionRejected(Reason.EXPIRED, f"expires at hour {hour}: the operator needs at least "
                                      f"{margin_hours} hours to batch, prove and submit (hour {earliest} or later)")


def minimum_expiration(transactions: Iterable[Transaction], now: float) -> int:
    """The batch's minimum expiration hour: the earliest of its transactions' expirations, or,
    with none, the margin past now (either way at or after the current hour)."""
    hours = [hour for tx in transactions for hour in expirations(tx)]
    return min(hours) if hours else int(now) // SECONDS_PER_HOUR + ADMISSION_MARGIN_HOURS
