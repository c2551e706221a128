"""Why a transaction is rejected: StarkEx Perpetual's error codes plus the model's own."""
from __future__ import annotations

from enum import IntEnum


class Reason(IntEnum):
    ERROR = 1
    ILLEGAL_POSITION_TRANSITION_ENLARGING_SYNTHETIC_HOLDINGS = 2
    ILLEGAL_POSITION_TRANSITION_NO_RISK_REDUCED_VALUE = 3
    ILLEGAL_POSITION_TRANSITION_REDUCING_TOTAL_VALUE_RISK_RATIO = 4
    INVALID_ASSET_ORACLE_PRICE = 5
    INVALID_COLLATERAL_ASSET_ID = 6
    INVALID_FULFILLMENT_ASSETS_RATIO = 7
    INVALID_FULFILLMENT_FEE_RATIO = 8
    INVALID_FULFILLMENT_INFO = 9
    INVALID_FUNDING_TICK_TIMESTAMP = 10
    INVALID_PUBLIC_KEY = 11
    INVALID_SIGNATURE = 12
    MISSING_GLOBAL_FUNDING_INDEX = 13
    MISSING_ORACLE_PRICE = 14
    MISSING_SYNTHETIC_ASSET_ID = 15
    OUT_OF_RANGE_AMOUNT = 16
    OUT_OF_RANGE_BALANCE = 17
    OUT_OF_RANGE_FUNDING_INDEX = 18
    OUT_OF_RANGE_POSITIVE_AMOUNT = 19
    OUT_OF_RANGE_TOTAL_RISK = 20
    OUT_OF_RANGE_TOTAL_VALUE = 21
    SAME_POSITION_ID = 22
    TOO_MANY_SYNTHETIC_ASSETS_IN_POSITION = 23
    TOO_MANY_SYNTHETIC_ASSETS_IN_SYSTEM = 24
    UNDELEVERAGABLE_POSITION = 25
    UNFAIR_DELEVERAGE = 26
    UNLIQUIDATABLE_POSITION = 27
    UNSORTED_ORACLE_PRICES = 28
    # Model-specific (the Cairo program fails its run on these).
    EXPIRED = 100
    OUT_OF_RANGE_NONCE = 101
    FORCED_ACTION_VALIDITY_MISMATCH = 102  # is_valid disagrees with what executing would do
    INVALID_CONDITION = 103
    MISMATCHING_ORDERS = 104               # trade sides or assets do not match
    FEE_POSITION_IN_ORDER = 105
    FUNDING_RATE_TOO_HIGH = 106
    INVALID_ORACLE_TIMESTAMP = 107
    OUT_OF_RANGE_POSITION_ID = 108
    UNKNOWN_TRANSACTION_TYPE = 109
    MALFORMED_TRANSACTION = 110            # missing field, wrong type: never reaches the rules
    DEPOSIT_NOT_ON_L1 = 111                # no unclaimed pending deposit on L1 backs it


class TransactionRejected(Exception):
    def __init__(self, reason_code: Reason, message: str = ""):
        super().__init__(f"{reason_code.name}: {message}" if message else reason_code.name)
        self.reason_code = reason_code
        self.message = message


def require(condition: bool, reason: Reason, message: str = "") -> None:
    if not condition:
        raise TransactionRejected(reason, message)


def check_bound(context: str, what: str, value: int, low: int, upper: int) -> None:
    """Raises ValueError unless low <= value < upper: a bound of the configuration or of a
    stored state that the batch program range-checks where the value enters, not a rule a
    transaction can break."""
    if not low <= value < upper:
        raise ValueError(f"{context}: {what} {value} outside [{low}, {upper})")
