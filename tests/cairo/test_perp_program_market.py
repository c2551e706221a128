"""FUNDING_TICK, ORACLE_PRICES_TICK, FORCED_WITHDRAWAL and FORCED_TRADE in the Cairo batch
program."""
import pytest

from offchain.perpetual.batch import decode_output
from offchain.perpetual.errors import Reason
from offchain.perpetual.transactions import (
    Deposit, ForcedTrade, ForcedWithdrawal, FundingTick, OraclePricesTick)
from perp_world import (
    ALICE, BOB, BOB_SK, BTC, CAROL, ETH, FXP_32_ONE, ORACLES, SYSTEM_TIME, Case,
    check_accepted, check_rejected, make_state, position, run_cases, signed_price, transfer)

TICK_TIME = SYSTEM_TIME + 60  # 120 s after the funding timestamp: BTC may move 12e6, ETH 6e5


def world():
    return make_state({10: position(ALICE, 10_000), 11: position(BOB, 5000, BTC=(3, 0), ETH=(-7, 0)),
                       12: position(CAROL, 1000, BTC=(-2, 0))})


def tick(btc=5_000_000, eth=-500_000, timestamp=TICK_TIME, **extra):
    indices = {BTC: btc, ETH: eth, **extra}
    return FundingTick(indices={k: v for k, v in indices.items() if v is not None},
                       timestamp=timestamp)


# 10^24 external (10^18 = 1 collateral unit per BTC) is 100 quantized collateral per quantized
# BTC with resolutions 10^6 and 10^10.
PRICE_100 = 10**24


def prices_tick(*prices, timestamp=TICK_TIME):
    """prices: (oracle index, external price[, signed at])."""
    signed = tuple(signed_price(ORACLES[i], price, at[0] if at else timestamp - 5)
                   for i, price, *at in prices)
    return OraclePricesTick(signed_prices={BTC: signed}, timestamp=timestamp)


def forced_trade(is_valid, key_b=CAROL, amount_collateral=150, a_buys=False):
    return ForcedTrade(public_key_party_a=BOB, public_key_party_b=key_b, position_id_party_a=11,
                       position_id_party_b=12, synthetic_asset_id=BTC,
                       amount_collateral=amount_collateral, amount_synthetic=1,
                       is_party_a_buying_synthetic=a_buys, nonce=7, is_valid=is_valid)


VALID = [
    # The tick moves the indices; Bob and Carol then pay (or get) funding when touched.
    Case("tick-then-touch", world(), [
        tick(),
        transfer(BOB_SK, 11, ALICE, 10, 10),
        Deposit(position_id=12, public_key=CAROL, amount=1),
    ]),
    # Median of 1.1, 0.9 and 1.21 × 100 is 110; then Bob (3 BTC) sends collateral at the new price.
    Case("prices-tick", world(), [
        prices_tick((0, PRICE_100 * 11 // 10), (1, PRICE_100 * 9 // 10), (2, PRICE_100 * 121 // 100)),
        transfer(BOB_SK, 11, ALICE, 10, 100),
        prices_tick((0, PRICE_100), (2, PRICE_100 * 3), timestamp=TICK_TIME + 1),
    ]),
    Case("forced", world(), [
        ForcedWithdrawal(position_id=10, public_key=ALICE, amount=300, is_valid=True),
        ForcedWithdrawal(position_id=10, public_key=ALICE, amount=10_000, is_valid=False),
        ForcedWithdrawal(position_id=10, public_key=BOB, amount=1, is_valid=False),
        forced_trade(is_valid=True),
        forced_trade(is_valid=False, key_b=ALICE),
    ]),
]

REJECTED = [
    Case("tick-rate", world(), [tick(btc=12_000_001)], "FUNDING_TICK: funding rate too high",
         Reason.FUNDING_RATE_TOO_HIGH),
    Case("tick-drops-index", world(), [tick(eth=None)], "FUNDING_TICK: tick drops a funding index",
         Reason.MISSING_GLOBAL_FUNDING_INDEX),
    Case("tick-time", world(), [tick(timestamp=SYSTEM_TIME - 1)],
         "FUNDING_TICK: timestamp before the system time", Reason.INVALID_FUNDING_TICK_TIMESTAMP),
    Case("tick-index-range", world(), [tick(btc=2**63)], "FUNDING_TICK: funding index out of range",
         Reason.OUT_OF_RANGE_FUNDING_INDEX),
    Case("prices-quorum", world(), [prices_tick((0, PRICE_100))],
         "ORACLE_PRICES_TICK: fewer signed prices than the quorum", Reason.INVALID_ASSET_ORACLE_PRICE),
    Case("prices-order", world(), [prices_tick((1, PRICE_100), (0, PRICE_100))],
         "ORACLE_PRICES_TICK: signers not in strictly increasing key order",
         Reason.INVALID_ASSET_ORACLE_PRICE),
    Case("prices-old", world(), [prices_tick((0, PRICE_100), (1, PRICE_100, TICK_TIME - 86401))],
         "ORACLE_PRICES_TICK: signed price too old or in the future", Reason.INVALID_ORACLE_TIMESTAMP),
    Case("prices-signature", world(), [OraclePricesTick(signed_prices={BTC: (
        signed_price(ORACLES[0], PRICE_100, TICK_TIME),
        signed_price(ORACLES[1], PRICE_100, TICK_TIME, signer_sk=0x0AC1E3))}, timestamp=TICK_TIME)],
         "ORACLE_PRICES_TICK: invalid oracle signature", Reason.INVALID_SIGNATURE),
    Case("forced-withdrawal-marked-valid", world(),
         [ForcedWithdrawal(position_id=10, public_key=ALICE, amount=10_001, is_valid=True)],
         "FORCED_WITHDRAWAL: validity mark does not match the rules",
         Reason.ILLEGAL_POSITION_TRANSITION_NO_RISK_REDUCED_VALUE),
    Case("forced-withdrawal-marked-invalid", world(),
         [ForcedWithdrawal(position_id=10, public_key=ALICE, amount=5, is_valid=False)],
         "FORCED_WITHDRAWAL: validity mark does not match the rules",
         Reason.FORCED_ACTION_VALIDITY_MISMATCH),
    Case("forced-trade-marked-valid", world(), [forced_trade(is_valid=True, key_b=ALICE)],
         "FORCED_TRADE: validity mark does not match the rules", Reason.INVALID_PUBLIC_KEY),
    Case("forced-trade-marked-invalid", world(), [forced_trade(is_valid=False)],
         "FORCED_TRADE: validity mark does not match the rules",
         Reason.FORCED_ACTION_VALIDITY_MISMATCH),
]


@pytest.fixture(scope="module")
def runs():
    return run_cases(VALID + REJECTED)


def test_funding_tick_then_funding_paid_matches_the_model(runs):
    out = decode_output(check_accepted(runs["tick-then-touch"]))
    assert out.new_state.funding_indices == {BTC: 5_000_000, ETH: -500_000}
    assert out.new_state.system_time == TICK_TIME


def test_oracle_prices_tick_matches_the_model(runs):
    out = decode_output(check_accepted(runs["prices-tick"]))
    # Lower median of two prices (100 and 300): 100.
    assert out.new_state.oracle_prices[BTC] == 100 * FXP_32_ONE
    assert out.new_state.oracle_prices[ETH] == out.previous_state.oracle_prices[ETH]
    assert out.new_state.system_time == TICK_TIME + 1


def test_forced_actions_valid_and_invalid_match_the_model(runs):
    out = decode_output(check_accepted(runs["forced"]))
    assert [a[0] for a in out.forced_actions] == [0, 0, 0, 1, 1]
    assert [(m.position_id, m.delta) for m in out.modifications] == [(10, -300)]


@pytest.mark.parametrize("name", [case.name for case in REJECTED])
def test_broken_rule_fails_the_run_naming_it(runs, name):
    check_rejected(runs[name])
