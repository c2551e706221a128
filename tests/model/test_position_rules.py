"""Position rules reached through transactions: asset limits, value bounds, missing market data,
funding rounding."""
import pytest

from offchain.perpetual.config import SyntheticAsset
from offchain.perpetual.constants import FXP_32_ONE
from offchain.perpetual.errors import Reason
from offchain.perpetual.execute import apply_transaction
from offchain.perpetual.position import Position, PositionAsset
from offchain.perpetual.rules import apply_funding
from offchain.perpetual.transactions import Deposit, ForcedTrade

from .world import ALICE, BOB, BTC, PRICE_100, RISK_10_PERCENT, funded, make_state

MANY = tuple(SyntheticAsset(asset_id=100 + i, resolution=1, risk_factor=RISK_10_PERCENT)
             for i in range(64))  # the most a config may list
DELISTED = 99  # held, funded and priced, but no longer in the config


def forced_buy(asset_id, amount_synthetic=1, amount_collateral=1):
    return ForcedTrade(public_key_party_a=ALICE, public_key_party_b=BOB, position_id_party_a=1,
                       position_id_party_b=2, synthetic_asset_id=asset_id,
                       amount_collateral=amount_collateral, amount_synthetic=amount_synthetic,
                       is_party_a_buying_synthetic=True, nonce=1, is_valid=True)


def many_assets_state(held_ids):
    held = {a: PositionAsset(balance=1, cached_funding_index=0) for a in held_ids}
    state = make_state({1: Position(public_key=ALICE, collateral_balance=10**9, assets=held),
                        2: funded(BOB, 10**9)}, synthetic_assets=MANY)
    state.funding_indices = {a: 0 for a in (DELISTED, *(a.asset_id for a in MANY))}
    state.oracle_prices = {a: FXP_32_ONE for a in state.funding_indices}
    return state


def test_at_most_64_synthetic_assets_per_position(rejects):
    # A config lists at most 64 synthetics, so a 65th asset is one the config no longer lists.
    state = many_assets_state([DELISTED, *(a.asset_id for a in MANY[:63])])
    rejects(state, forced_buy(MANY[63].asset_id), Reason.TOO_MANY_SYNTHETIC_ASSETS_IN_POSITION)
    state = many_assets_state([a.asset_id for a in MANY])
    apply_transaction(state, forced_buy(MANY[0].asset_id))  # an asset already held is fine
    assert state.position(1).balance_of(MANY[0].asset_id) == 2


def test_a_config_lists_at_most_64_synthetics():
    extra = SyntheticAsset(asset_id=99, resolution=1, risk_factor=RISK_10_PERCENT)
    with pytest.raises(ValueError, match="number of synthetic assets 65"):
        make_state(synthetic_assets=(*MANY, extra))


def test_total_value_out_of_range(rejects):
    state = make_state({1: funded(ALICE, 2**63 - 1000, btc=10**6)})
    rejects(state, Deposit(position_id=1, public_key=ALICE, amount=1),
            Reason.OUT_OF_RANGE_TOTAL_VALUE)


def test_asset_without_price_or_funding_index(rejects):
    other = SyntheticAsset(asset_id=9, resolution=1, risk_factor=RISK_10_PERCENT)
    assets = (make_state().config.synthetic(BTC), other)
    state = make_state({1: funded(ALICE, 10**6), 2: funded(BOB, 10**6)},
                       synthetic_assets=assets)
    rejects(state, forced_buy(9), Reason.MISSING_ORACLE_PRICE)
    state.oracle_prices[9] = PRICE_100
    rejects(state, forced_buy(9), Reason.MISSING_GLOBAL_FUNDING_INDEX)


def test_funding_rounds_down_for_both_signs():
    long = Position(public_key=ALICE, collateral_balance=0,
                    assets={BTC: PositionAsset(balance=1, cached_funding_index=0)})
    short = Position(public_key=BOB, collateral_balance=0,
                     assets={BTC: PositionAsset(balance=-1, cached_funding_index=0)})
    # Index up by half a unit: longs pay 0.5 (-> -1), shorts receive 0.5 (-> 0).
    assert apply_funding(long, {BTC: FXP_32_ONE // 2}).collateral_balance == -1
    assert apply_funding(short, {BTC: FXP_32_ONE // 2}).collateral_balance == 0
    assert apply_funding(long, {BTC: FXP_32_ONE // 2}).assets[BTC].cached_funding_index == \
        FXP_32_ONE // 2
