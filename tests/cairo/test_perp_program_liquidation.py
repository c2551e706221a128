"""LIQUIDATE and DELEVERAGE in the Cairo batch program."""
import pytest

from offchain.perpetual.batch import decode_output
from offchain.perpetual.errors import Reason
from offchain.perpetual.transactions import Deleverage, Liquidate
from perp_world import (
    ALICE, BOB, BTC, CAROL, CAROL_SK, FXP_32_ONE, Case, check_accepted, check_rejected,
    make_state, order, position, run_cases)


def leveraged_alice(price: int):
    """Alice: 1000 BTC long on -90,000 collateral; Bob: the matching short; Carol: cash."""
    state = make_state({10: position(ALICE, -90_000, BTC=(1000, 0)),
                        11: position(BOB, 200_000, BTC=(-1000, 0)),
                        12: position(CAROL, 200_000)})
    state.oracle_prices[BTC] = price * FXP_32_ONE
    return state


def liquidation(amount_collateral=99_000, actual_collateral=99_000, is_buying=True, fee=0):
    o = order(CAROL_SK, 12, is_buying, 1000, amount_collateral, 100)
    return Liquidate(liquidator_order=o, liquidated_position_id=10,
                     actual_collateral=actual_collateral, actual_synthetic=1000,
                     actual_liquidator_fee=fee)


def deleverage(amount_collateral, amount_synthetic=1000, buying=True):
    return Deleverage(deleveraged_position_id=10, deleverager_position_id=11,
                      synthetic_asset_id=BTC, amount_collateral=amount_collateral,
                      amount_synthetic=amount_synthetic, deleverager_is_buying_synthetic=buying)


VALID = [
    Case("liquidate", leveraged_alice(99), [liquidation(fee=50)]),  # TV 9,000 < TR 9,900
    Case("deleverage", leveraged_alice(89), [deleverage(90_000)]),  # TV −1,000
]

REJECTED = [
    Case("liquidate-healthy", leveraged_alice(101), [liquidation(101_000, 101_000)],
         "LIQUIDATE: position is well leveraged", Reason.UNLIQUIDATABLE_POSITION),
    Case("liquidate-grow", leveraged_alice(99), [liquidation(is_buying=False)],
         "LIQUIDATE: liquidated synthetic balance would grow or flip",
         Reason.ILLEGAL_POSITION_TRANSITION_ENLARGING_SYNTHETIC_HOLDINGS),
    Case("liquidate-price", leveraged_alice(99), [liquidation(98_000, 99_000)],
         "LIQUIDATE: liquidator: buyer pays above its limit price",
         Reason.INVALID_FULFILLMENT_ASSETS_RATIO),
    Case("deleverage-unfair", leveraged_alice(89), [deleverage(90_001)],
         "DELEVERAGE: unfair deleverage", Reason.UNFAIR_DELEVERAGE),
    Case("deleverage-positive-value", leveraged_alice(91), [deleverage(90_000)],
         "DELEVERAGE: position is not deleveragable", Reason.UNDELEVERAGABLE_POSITION),
    Case("deleverage-ratio", leveraged_alice(89), [deleverage(89_999)],
         "DELEVERAGE: deleveraged: ILLEGAL_POSITION_TRANSITION_REDUCING_TOTAL_VALUE_RISK_RATIO",
         Reason.ILLEGAL_POSITION_TRANSITION_REDUCING_TOTAL_VALUE_RISK_RATIO),
]


@pytest.fixture(scope="module")
def runs():
    return run_cases(VALID + REJECTED)


def test_liquidation_matches_the_model(runs):
    out = decode_output(check_accepted(runs["liquidate"]))
    assert out.previous_state.orders_root != out.new_state.orders_root


def test_deleverage_matches_the_model(runs):
    out = decode_output(check_accepted(runs["deleverage"]))
    assert out.onchain_data[:2] == [10, 0]  # Alice's position is closed: empty, no owner


@pytest.mark.parametrize("name", [case.name for case in REJECTED])
def test_broken_rule_fails_the_run_naming_it(runs, name):
    check_rejected(runs[name])
