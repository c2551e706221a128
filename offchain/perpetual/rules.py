"""Position rules: funding, total value and risk, valid transitions, updates.

Values are fixed point as in StarkEx: total value (TV) has 32 fractional bits, total risk (TR)
64; a position is well leveraged when TR <= TV * 2^32.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from offchain.perpetual.config import GeneralConfig
from offchain.perpetual.constants import (
    BALANCE_LOWER_BOUND, BALANCE_UPPER_BOUND, FXP_32_ONE, POSITION_MAX_SUPPORTED_N_ASSETS,
    TOTAL_RISK_UPPER_BOUND, TOTAL_VALUE_LOWER_BOUND, TOTAL_VALUE_UPPER_BOUND)
from offchain.perpetual.errors import Reason, require
from offchain.perpetual.position import EMPTY_POSITION, Position, PositionAsset


@dataclass(frozen=True)
class Market:
    """The global values a position update reads."""
    config: GeneralConfig
    funding_indices: Mapping[int, int]
    oracle_prices: Mapping[int, int]


def check_balance(balance: int, what: str = "balance") -> None:
    require(BALANCE_LOWER_BOUND < balance < BALANCE_UPPER_BOUND, Reason.OUT_OF_RANGE_BALANCE,
            f"{what} {balance} outside (-2^63, 2^63)")


def apply_funding(position: Position, funding_indices: Mapping[int, int]) -> Position:
    """Move each asset's cached index to the global one, charging collateral the difference.

    Rounded down (floor) so funding never creates collateral.
    """
    if not position.assets:
        return position
    collateral_fxp = position.collateral_balance * FXP_32_ONE
    assets = {}
    for asset_id, a in position.assets.items():
        index = funding_indices.get(asset_id)
        require(index is not None, Reason.MISSING_GLOBAL_FUNDING_INDEX,
                f"no funding index for asset {asset_id}")
        collateral_fxp -= (index - a.cached_funding_index) * a.balance
        assets[asset_id] = PositionAsset(balance=a.balance, cached_funding_index=index)
    collateral = collateral_fxp // FXP_32_ONE
    check_balance(collateral, "collateral after funding")
    return Position(public_key=position.public_key, collateral_balance=collateral, assets=assets)


def status(position: Position, market: Market) -> tuple[int, int]:
    """(TV with 32 fractional bits, TR with 64 fractional bits)."""
    tv = position.collateral_balance * FXP_32_ONE
    tr = 0
    for asset_id, a in position.assets.items():
        price = market.oracle_prices.get(asset_id)
        require(price is not None, Reason.MISSING_ORACLE_PRICE, f"no price for asset {asset_id}")
        asset = market.config.synthetic(asset_id)
        require(asset is not None, Reason.MISSING_SYNTHETIC_ASSET_ID, f"asset {asset_id}")
        value = price * a.balance
        tv += value
        tr += abs(value) * asset.risk_factor
    require(TOTAL_VALUE_LOWER_BOUND * FXP_32_ONE <= tv < TOTAL_VALUE_UPPER_BOUND * FXP_32_ONE,
            Reason.OUT_OF_RANGE_TOTAL_VALUE)
    require(tr < TOTAL_RISK_UPPER_BOUND * FXP_32_ONE * FXP_32_ONE, Reason.OUT_OF_RANGE_TOTAL_RISK)
    return tv, tr


def is_well_leveraged(position: Position, market: Market) -> bool:
    tv, tr = status(position, market)
    return tr <= tv * FXP_32_ONE


def check_valid_transition(updated: Position, initial: Position, market: Market) -> None:
    """Well leveraged after, or: no synthetic grew or flipped sign, TV/TR did not drop, and with
    no risk before, TV did not drop."""
    tv1, tr1 = status(updated, market)
    if tr1 <= tv1 * FXP_32_ONE:
        return
    tv0, tr0 = status(initial, market)
    for asset_id, a in updated.assets.items():
        before = initial.balance_of(asset_id)
        smaller = (0 < a.balance <= before) or (before <= a.balance < 0)
        require(smaller, Reason.ILLEGAL_POSITION_TRANSITION_ENLARGING_SYNTHETIC_HOLDINGS,
                f"asset {asset_id} balance {before} -> {a.balance} on an undercollateralized "
                "position")
    require(tv0 * tr1 <= tv1 * tr0,
            Reason.ILLEGAL_POSITION_TRANSITION_REDUCING_TOTAL_VALUE_RISK_RATIO,
            "TV/TR decreased on an undercollateralized position")
    if tr0 == 0:
        require(tv0 <= tv1, Reason.ILLEGAL_POSITION_TRANSITION_NO_RISK_REDUCED_VALUE)


def check_tradable(asset_id: int, market: Market) -> None:
    require(market.config.synthetic(asset_id) is not None, Reason.MISSING_SYNTHETIC_ASSET_ID,
            f"asset {asset_id} is not a synthetic asset of the config")
    require(asset_id in market.oracle_prices, Reason.MISSING_ORACLE_PRICE,
            f"no price for asset {asset_id}")
    require(asset_id in market.funding_indices, Reason.MISSING_GLOBAL_FUNDING_INDEX,
            f"no funding index for asset {asset_id}")


def update_position(
    position: Position, request_public_key: int | None, collateral_delta: int, market: Market,
    synthetic_asset_id: int | None = None, synthetic_delta: int = 0,
) -> tuple[Position, Position]:
    """Apply funding, then the deltas; return (updated, funded). Raises TransactionRejected.

    The one update path of every transaction (cairo/perpetual/update.cairo, check for check).
    request_public_key is the request's key: the position must be empty or owned by it, and it
    must be nonzero (0 is the empty position's key, never an owner). None means "whoever owns
    it" (deleverage, liquidate): then an empty position may only stay unchanged.
    """
    funded = apply_funding(position, market.funding_indices)
    if synthetic_asset_id is None:
        assert synthetic_delta == 0
    else:
        check_tradable(synthetic_asset_id, market)

    if request_public_key is None:
        if position.public_key == 0:
            require(collateral_delta == 0 and synthetic_delta == 0, Reason.INVALID_PUBLIC_KEY,
                    "an empty position cannot change without a key")
            return funded, funded
        public_key = position.public_key
    else:
        require(request_public_key != 0, Reason.INVALID_PUBLIC_KEY,
                "0 is the key of an empty position, not an owner")
        require(position.public_key in (0, request_public_key), Reason.INVALID_PUBLIC_KEY,
                "the position belongs to another key")
        public_key = request_public_key

    collateral = funded.collateral_balance + collateral_delta
    check_balance(collateral, "collateral")
    assets = dict(funded.assets)
    if synthetic_asset_id is not None and synthetic_delta != 0:
        balance = funded.balance_of(synthetic_asset_id) + synthetic_delta
        check_balance(balance, f"asset {synthetic_asset_id} balance")
        if balance == 0:
            assets.pop(synthetic_asset_id, None)
        else:
            assets[synthetic_asset_id] = PositionAsset(
                balance=balance, cached_funding_index=market.funding_indices[synthetic_asset_id])
        require(len(assets) <= POSITION_MAX_SUPPORTED_N_ASSETS,
                Reason.TOO_MANY_SYNTHETIC_ASSETS_IN_POSITION)
    if collateral == 0 and not assets:
        updated = EMPTY_POSITION  # an empty position has no owner
    else:
        updated = Position(public_key=public_key, collateral_balance=collateral, assets=assets)
    check_valid_transition(updated, funded, market)
    return updated, funded
