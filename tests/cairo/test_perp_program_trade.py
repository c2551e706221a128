"""TRADE in the Cairo batch program, with funding paid by the touched positions."""
import pytest

from offchain.perpetual.batch import decode_output
from offchain.perpetual.errors import Reason
from perp_world import (
    ALICE, ALICE_SK, BOB, BOB_SK, BTC, CAROL, CAROL_SK, ETH, FEE_POSITION, MIN_EXPIRATION, Case,
    check_accepted, check_rejected, make_state, order, position, run_cases, trade)


def traders():
    # Bob's cached funding indices differ from the global ones: touching him pays funding.
    return make_state(
        {10: position(ALICE, 10_000), 11: position(BOB, 5000, BTC=(3, -(2**32)), ETH=(10, 0)),
         12: position(CAROL, 1000)},
        funding={BTC: 2**33, ETH: -5 * 2**31})


def buy(**kw):
    fields = dict(amount_synthetic=10, amount_collateral=1100, amount_fee=20)
    fields.update(kw)
    return order(ALICE_SK, 10, True, **fields)


def sell(**kw):
    fields = dict(amount_synthetic=4, amount_collateral=360, amount_fee=8)
    fields.update(kw)
    return order(BOB_SK, 11, False, **fields)


A, B = buy(), sell()

VALID = [
    Case("two-fills", traders(), [
        trade(A, B, collateral=380, synthetic=4, fee_a=6, fee_b=5),
        # Alice's order is filled again (6 more of 10), against Carol going short.
        trade(A, order(CAROL_SK, 12, False, 6, 500, 0), collateral=600, synthetic=6, fee_a=10),
    ]),
]

REJECTED = [
    Case("signature", traders(), [trade(buy(signer_sk=BOB_SK), B, 380, 4)],
         "TRADE: party a: invalid signature", Reason.INVALID_SIGNATURE),
    Case("over-filled", traders(), [trade(A, B, 380, 4), trade(A, sell(nonce=2), 380, 4),
                                    trade(A, sell(nonce=3), 380, 4)],
         "TRADE: party a: order over-filled (orders tree)", Reason.INVALID_FULFILLMENT_INFO),
    Case("buyer-price", traders(), [trade(A, B, 460, 4)],
         "TRADE: party a: buyer pays above its limit price",
         Reason.INVALID_FULFILLMENT_ASSETS_RATIO),
    Case("seller-price", traders(), [trade(A, B, 300, 4)],
         "TRADE: party b: seller gets below its limit price",
         Reason.INVALID_FULFILLMENT_ASSETS_RATIO),
    Case("fee", traders(), [trade(A, B, 380, 4, fee_a=8)],
         "TRADE: party a: fee above the signed fee ratio", Reason.INVALID_FULFILLMENT_FEE_RATIO),
    Case("same-side", traders(), [trade(A, order(BOB_SK, 11, True, 4, 460, 8), 380, 4)],
         "TRADE: both orders are on the same side", Reason.MISMATCHING_ORDERS),
    Case("different-assets", traders(),
         [trade(A, order(BOB_SK, 11, False, 4, 360, 8, synthetic=ETH), 380, 4)],
         "TRADE: orders trade different assets", Reason.MISMATCHING_ORDERS),
    Case("collateral-asset", traders(),
         [trade(buy(collateral=BTC), order(BOB_SK, 11, False, 4, 360, 8, collateral=BTC), 380, 4)],
         "TRADE: party a: asset is not the collateral", Reason.INVALID_COLLATERAL_ASSET_ID),
    Case("expired", traders(), [trade(buy(expiration=MIN_EXPIRATION - 1), B, 380, 4)],
         "TRADE: party a: expired", Reason.EXPIRED),
    # Carol (1000 collateral) going 120 BTC short for 11,000: TV 12,000 − 12,000 = 0 < TR 1,200.
    Case("leverage", traders(),
         [trade(buy(amount_synthetic=120, amount_collateral=12_000, amount_fee=0),
                order(CAROL_SK, 12, False, 120, 11_000, 0), 11_000, 120)],
         "TRADE: party b: ILLEGAL_POSITION_TRANSITION_ENLARGING_SYNTHETIC_HOLDINGS",
         Reason.ILLEGAL_POSITION_TRANSITION_ENLARGING_SYNTHETIC_HOLDINGS),
    Case("fee-position", traders(),
         [trade(A, order(BOB_SK, FEE_POSITION, False, 4, 360, 8), 380, 4)],
         "TRADE: party b: order from the fee position", Reason.FEE_POSITION_IN_ORDER),
]


@pytest.fixture(scope="module")
def runs():
    return run_cases(VALID + REJECTED)


def test_trades_match_the_reference_model(runs):
    out = decode_output(check_accepted(runs["two-fills"]))
    # Alice, Bob, Carol and the fee position were touched, in increasing id in the on-chain data.
    assert out.onchain_data[0] == 10
    assert out.previous_state.orders_root != out.new_state.orders_root


@pytest.mark.parametrize("name", [case.name for case in REJECTED])
def test_broken_rule_fails_the_run_naming_it(runs, name):
    check_rejected(runs[name])
