"""What the Python model says a position is worth at a shared state (offchain/perpetual/rules.py),
to check the on-chain escape payout against: funding applied (floored), then the total value
with the oracle prices, floored to quantized collateral; the escape pays it if positive."""
from __future__ import annotations

from offchain.crypto.constants import to_field
from offchain.perpetual.config import GeneralConfig, SyntheticAsset
from offchain.perpetual.constants import FXP_32_ONE
from offchain.perpetual.position import Position
from offchain.perpetual.rules import Market, apply_funding, status

from .stark_tree import pack_asset


def market(funding_indices: dict[int, int], oracle_prices: dict[int, int]) -> Market:
    synthetics = tuple(SyntheticAsset(asset_id=a, resolution=1, risk_factor=2**31)
                       for a in sorted(set(funding_indices) | set(oracle_prices)))
    config = GeneralConfig(collateral_asset_id=1, fee_position_id=0, fee_public_key=0,
                           synthetic_assets=synthetics)
    return Market(config=config, funding_indices=funding_indices, oracle_prices=oracle_prices)


def model_value(position: Position, m: Market) -> int:
    funded = apply_funding(position, m.funding_indices)
    total_value, _ = status(funded, m)
    return total_value // FXP_32_ONE


def model_payout(position: Position, m: Market) -> int:
    return max(0, model_value(position, m))


def packed_assets(position: Position) -> list[int]:
    return [pack_asset(asset_id, a.cached_funding_index, a.balance) for asset_id, a in position.assets.items()]


def funding_words(funding_indices: dict[int, int]) -> list[tuple[int, int]]:
    """The (asset_id, index) pairs of a shared state: signed indices as field elements."""
    return [(a, to_field(funding_indices[a])) for a in sorted(funding_indices)]


def price_words(oracle_prices: dict[int, int]) -> list[tuple[int, int]]:
    return [(a, oracle_prices[a]) for a in sorted(oracle_prices)]
