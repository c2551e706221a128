"""The time a transaction must stay executable, for every application: the one policy the gateway
and the executor share (offchain/perpetual/expiration.py says why each margin is needed).

The program refuses a transaction that expires before its batch's expiration bound, and L1
refuses a state update whose bound is already past; so the gateway admits a transaction only if it
stays valid for ADMISSION_MARGIN_HOURS (to batch, prove and submit it), and the executor, for
EXECUTION_MARGIN_HOURS (what a batch still needs to land)."""
from __future__ import annotations

SECONDS_PER_HOUR = 3600
ADMISSION_MARGIN_HOURS = 2
EXECUTION_MARGIN_HOURS = 1


def earliest_hour(now: float, margin_hours: int) -> int:
    """The first expiration hour a transaction may have at L1 time now."""
    return int(now) // SECONDS_PER_HOUR + margin_hours
