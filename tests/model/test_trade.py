from offchain.perpetual.errors import Reason
from offchain.perpetual.execute import apply_transaction
from offchain.perpetual.transactions import Trade

from .world import (
    ALICE, ALICE_PK, BOB, BOB_PK, BTC, FEE, FEE_POSITION, UNLISTED, funded, make_state, order)


def trade(a, b, collateral=10_000, synthetic=100, fee_a=10, fee_b=10):
    return Trade(party_a_order=a, party_b_order=b, actual_collateral=collateral,
                 actual_synthetic=synthetic, actual_a_fee=fee_a, actual_b_fee=fee_b)


def parties():
    return make_state({1: funded(ALICE, 100_000), 2: funded(BOB, 100_000)})


def buy(**kw):
    return order(ALICE_PK, 1, True, kw.pop("synthetic", 100), kw.pop("collateral", 10_000),
                 kw.pop("fee", 20), **kw)


def sell(**kw):
    return order(BOB_PK, 2, False, kw.pop("synthetic", 100), kw.pop("collateral", 10_000),
                 kw.pop("fee", 20), **kw)


def test_trade_moves_assets_and_fees():
    state = parties()
    apply_transaction(state, trade(buy(), sell()))
    assert state.position(1).collateral_balance == 100_000 - 10_000 - 10
    assert state.position(1).balance_of(BTC) == 100
    assert state.position(2).collateral_balance == 100_000 + 10_000 - 10
    assert state.position(2).balance_of(BTC) == -100
    fee = state.position(FEE_POSITION)
    assert fee.collateral_balance == 20 and fee.public_key == FEE
    assert sorted(state.orders.values()) == [100, 100]


def test_partial_fills_then_overfill(rejects):
    state = parties()
    a, b = buy(synthetic=100, collateral=10_000), sell(synthetic=100, collateral=10_000)
    apply_transaction(state, trade(a, b, collateral=6000, synthetic=60, fee_a=0, fee_b=0))
    apply_transaction(state, trade(a, b, collateral=4000, synthetic=40, fee_a=0, fee_b=0))
    rejects(state, trade(a, b, collateral=100, synthetic=1, fee_a=0, fee_b=0),
            Reason.INVALID_FULFILLMENT_INFO)


def test_fee_above_signed_ratio(rejects):
    rejects(parties(), trade(buy(fee=20), sell(), fee_a=21), Reason.INVALID_FULFILLMENT_FEE_RATIO)


def test_buyer_pays_above_limit(rejects):
    rejects(parties(), trade(buy(collateral=9_000), sell(collateral=9_000), collateral=10_000),
            Reason.INVALID_FULFILLMENT_ASSETS_RATIO)


def test_seller_gets_below_limit(rejects):
    rejects(parties(), trade(buy(), sell(collateral=11_000), collateral=10_000),
            Reason.INVALID_FULFILLMENT_ASSETS_RATIO)


def test_orders_on_the_same_side(rejects):
    rejects(parties(), trade(buy(), order(BOB_PK, 2, True, 100, 10_000, 20)),
            Reason.MISMATCHING_ORDERS)


def test_zero_synthetic_is_refused(rejects):
    rejects(parties(), trade(buy(), sell(), synthetic=0, collateral=0, fee_a=0, fee_b=0),
            Reason.OUT_OF_RANGE_POSITIVE_AMOUNT)


def test_unlisted_synthetic(rejects):
    rejects(parties(), trade(buy(asset_id_synthetic=UNLISTED), sell(asset_id_synthetic=UNLISTED)),
            Reason.MISSING_SYNTHETIC_ASSET_ID)


def test_trade_that_overleverages_the_buyer(rejects):
    # Alice has 1000 collateral and tries to buy 100_000 worth of BTC (risk 10_000).
    state = make_state({1: funded(ALICE, 1000), 2: funded(BOB, 1_000_000)})
    a = order(ALICE_PK, 1, True, 1000, 100_000, 0)
    b = order(BOB_PK, 2, False, 1000, 100_000, 0)
    rejects(state, trade(a, b, collateral=100_000, synthetic=1000, fee_a=0, fee_b=0),
            Reason.ILLEGAL_POSITION_TRANSITION_ENLARGING_SYNTHETIC_HOLDINGS)


def test_order_from_the_fee_position(rejects):
    state = make_state({FEE_POSITION: funded(FEE, 10**6), 2: funded(BOB, 10**6)})
    a = order(ALICE_PK, FEE_POSITION, True, 100, 10_000, 20)
    rejects(state, trade(a, sell()), Reason.FEE_POSITION_IN_ORDER)


def test_expired_order(rejects):
    rejects(parties(), trade(buy(), sell(expiration=100)), Reason.EXPIRED)


def test_forged_order_signature(rejects):
    a = buy()
    forged = a.__class__(**{**a.__dict__, "amount_fee": 10**6})
    rejects(parties(), trade(forged, sell(), fee_a=1000), Reason.INVALID_SIGNATURE)
