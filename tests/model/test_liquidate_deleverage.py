from offchain.perpetual.constants import FXP_32_ONE
from offchain.perpetual.errors import Reason
from offchain.perpetual.execute import apply_transaction
from offchain.perpetual.transactions import Deleverage, Liquidate

from .world import ALICE, BOB, BTC, CAROL, CAROL_PK, funded, make_state, order


def leveraged_alice(price: int):
    """Alice: 1000 BTC long on -90_000 collateral; Bob: the matching short; Carol: cash."""
    state = make_state({1: funded(ALICE, -90_000, btc=1000), 2: funded(BOB, 200_000, btc=-1000),
                        3: funded(CAROL, 200_000)})
    state.oracle_prices[BTC] = price * FXP_32_ONE
    return state


def liquidation(amount_collateral=99_000, actual_collateral=99_000, is_buying=True, fee=0):
    o = order(CAROL_PK, 3, is_buying, 1000, amount_collateral, 100)
    return Liquidate(liquidator_order=o, liquidated_position_id=1,
                     actual_collateral=actual_collateral, actual_synthetic=1000,
                     actual_liquidator_fee=fee)


def test_liquidate_an_undercollateralized_position():
    state = leveraged_alice(99)  # TV 9_000 < TR 9_900
    apply_transaction(state, liquidation())
    assert state.position(1).collateral_balance == 9_000 and not state.position(1).assets
    assert state.position(3).balance_of(BTC) == 1000
    assert state.position(3).collateral_balance == 200_000 - 99_000


def test_liquidate_a_healthy_position(rejects):
    rejects(leveraged_alice(101), liquidation(101_000, 101_000), Reason.UNLIQUIDATABLE_POSITION)


def test_liquidation_that_would_grow_the_position(rejects):
    # The liquidator sells BTC to a position that is already long.
    rejects(leveraged_alice(99), liquidation(is_buying=False),
            Reason.ILLEGAL_POSITION_TRANSITION_ENLARGING_SYNTHETIC_HOLDINGS)


def deleverage(amount_collateral, amount_synthetic=1000):
    return Deleverage(deleveraged_position_id=1, deleverager_position_id=2, synthetic_asset_id=BTC,
                      amount_collateral=amount_collateral, amount_synthetic=amount_synthetic,
                      deleverager_is_buying_synthetic=True)


def test_deleverage_a_negative_value_position_at_the_fair_ratio():
    state = leveraged_alice(89)  # TV = -1_000
    apply_transaction(state, deleverage(90_000))
    assert state.position(1).is_empty
    assert state.position(2).collateral_balance == 110_000 and not state.position(2).assets


def test_unfair_deleverage(rejects):
    rejects(leveraged_alice(89), deleverage(90_001), Reason.UNFAIR_DELEVERAGE)


def test_deleverage_that_lowers_value_per_risk(rejects):
    rejects(leveraged_alice(89), deleverage(89_999),
            Reason.ILLEGAL_POSITION_TRANSITION_REDUCING_TOTAL_VALUE_RISK_RATIO)


def test_deleverage_a_positive_value_position(rejects):
    rejects(leveraged_alice(95), deleverage(95_000), Reason.UNDELEVERAGABLE_POSITION)


def test_deleverager_without_the_opposite_position(rejects):
    state = leveraged_alice(89)
    tx = Deleverage(deleveraged_position_id=1, deleverager_position_id=3, synthetic_asset_id=BTC,
                    amount_collateral=90_000, amount_synthetic=1000,
                    deleverager_is_buying_synthetic=True)
    rejects(state, tx, Reason.ILLEGAL_POSITION_TRANSITION_ENLARGING_SYNTHETIC_HOLDINGS)
