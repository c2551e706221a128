"""L1's time windows, as the operator must respect them before it acknowledges anything.

The exchange's updateState refuses a batch whose new system time is not within
(block time − MAX_SYSTEM_TIME_LAG, block time + MAX_SYSTEM_TIME_LEAD)
(contracts/exchange/UpdateState.sol, SystemTimeOutOfRange; the constants are internal to
PerpetualConstants.sol, so they are written down here once and
tests/operator/test_l1_windows.py checks them against the deployed contract). A batch's system
time is its last tick's timestamp, so a tick outside the window, once acknowledged, would make
every later batch fail.
"""
from __future__ import annotations

from offchain.perpetual.errors import Reason, TransactionRejected
from offchain.perpetual.transactions import FundingTick, OraclePricesTick, Transaction

MAX_SYSTEM_TIME_LAG = 7 * 24 * 3600  # seconds
MAX_SYSTEM_TIME_LEAD = 4 * 3600  # seconds


def system_time_problem(system_time: int, l1_now: float, within_seconds: float) -> str | None:
    """Why L1 could refuse a batch with this system time at some moment of the next
    within_seconds (the time to batch, prove and submit), or None if it cannot."""
    if system_time + MAX_SYSTEM_TIME_LAG <= l1_now + within_seconds:
        return (f"{system_time} is too old for L1: it takes a system time only after L1 time − "
                f"{MAX_SYSTEM_TIME_LAG} s, and the batch lands up to {int(within_seconds)} s after now ({int(l1_now)})")
    if system_time >= l1_now + MAX_SYSTEM_TIME_LEAD:
        return (f"{system_time} is too far ahead for L1: it takes a system time only before L1 time + "
                f"{MAX_SYSTEM_TIME_LEAD} s (now {int(l1_now)}, so before {int(l1_now) + MAX_SYSTEM_TIME_LEAD})")
    return None


def check_tick(tx: Transaction, l1_now: float, within_seconds: float) -> None:
    """A tick's timestamp becomes the batch's system time: refuses one L1 may not take during
    the next within_seconds (INVALID_FUNDING_TICK_TIMESTAMP / INVALID_ORACLE_TIMESTAMP)."""
    if isinstance(tx, FundingTick):
        reason = Reason.INVALID_FUNDING_TICK_TIMESTAMP
    elif isinstance(tx, OraclePricesTick):
        reason = Reason.INVALID_ORACLE_TIMESTAMP
    else:
        return
    problem = system_time_problem(tx.timestamp, l1_now, within_seconds)
    if problem is not None:
        raise TransactionRejected(reason, f"tick timestamp {problem}")
