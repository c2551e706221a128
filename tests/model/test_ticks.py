from offchain.perpetual.constants import FXP_32_ONE
from offchain.perpetual.errors import Reason
from offchain.perpetual.execute import apply_transaction, internal_price, median_price
from offchain.perpetual.transactions import Deposit, FundingTick, OraclePricesTick

from .world import (
    ALICE, BTC, ORACLES, PRICE_100, SYSTEM_TIME, UNLISTED, funded, make_state, oracle_price)

HOUR = 3600
# 1 BTC = 100 USDC in external units (10^18 = 1.0); BTC resolution 10^10, USDC 10^6.
EXTERNAL_100 = 100 * 10**22


def test_internal_price_conversion_and_median():
    assert internal_price(EXTERNAL_100, 10**6, 10**10) == PRICE_100
    assert median_price([5, 1, 3]) == 3
    assert median_price([4, 1]) == 1  # at least half >= and at least half <=


def test_funding_tick_then_funding_is_charged_on_touch():
    state = make_state({1: funded(ALICE, 50_000, btc=1000)})
    delta = 100_000_000  # 32.32 fixed point: 1000 * delta / 2^32 ~ 23.3 collateral
    apply_transaction(state, FundingTick(indices={BTC: delta}, timestamp=SYSTEM_TIME + HOUR))
    assert state.funding_indices == {BTC: delta}
    assert state.system_time == SYSTEM_TIME + HOUR
    assert state.position(1).collateral_balance == 50_000  # not touched yet
    apply_transaction(state, Deposit(position_id=1, public_key=ALICE, amount=1))
    p = state.position(1)
    assert p.collateral_balance == (50_000 * FXP_32_ONE - delta * 1000) // FXP_32_ONE + 1 == 49_977
    assert p.assets[BTC].cached_funding_index == delta


def test_funding_rate_above_max(rejects):
    # Allowed: |delta| * 2^32 <= 1000 * price * dt = 1000 * 100 * 2^32 * 3600.
    state = make_state()
    rejects(state, FundingTick(indices={BTC: 360_000_001}, timestamp=SYSTEM_TIME + HOUR),
            Reason.FUNDING_RATE_TOO_HIGH)
    apply_transaction(state, FundingTick(indices={BTC: -360_000_000},
                                         timestamp=SYSTEM_TIME + HOUR))


def test_funding_tick_back_in_time(rejects):
    rejects(make_state(), FundingTick(indices={BTC: 0}, timestamp=SYSTEM_TIME - 1),
            Reason.INVALID_FUNDING_TICK_TIMESTAMP)


def test_funding_tick_dropping_an_asset(rejects):
    rejects(make_state(), FundingTick(indices={}, timestamp=SYSTEM_TIME + 1),
            Reason.MISSING_GLOBAL_FUNDING_INDEX)


def test_funding_index_out_of_range(rejects):
    rejects(make_state(), FundingTick(indices={BTC: 0, UNLISTED: 2**63},
                                      timestamp=SYSTEM_TIME + 1),
            Reason.OUT_OF_RANGE_FUNDING_INDEX)


def prices_tick(prices, t=SYSTEM_TIME + 60, signers=ORACLES):
    return OraclePricesTick(signed_prices={BTC: tuple(
        oracle_price(k, p, t - 10) for k, p in zip(signers, prices))}, timestamp=t)


def test_oracle_tick_takes_the_median():
    state = make_state()
    apply_transaction(state, prices_tick([EXTERNAL_100 * 2, EXTERNAL_100 // 2, EXTERNAL_100 * 3]))
    assert state.oracle_prices[BTC] == 2 * PRICE_100
    assert state.system_time == SYSTEM_TIME + 60


def test_oracle_tick_below_quorum(rejects):
    rejects(make_state(), prices_tick([EXTERNAL_100], signers=ORACLES[:1]),
            Reason.INVALID_ASSET_ORACLE_PRICE)


def test_oracle_tick_unsorted_or_repeated_signers(rejects):
    t = SYSTEM_TIME + 60
    sigs = (oracle_price(ORACLES[1], EXTERNAL_100, t), oracle_price(ORACLES[0], EXTERNAL_100, t))
    rejects(make_state(), OraclePricesTick(signed_prices={BTC: sigs}, timestamp=t),
            Reason.INVALID_ASSET_ORACLE_PRICE)
    sigs = (oracle_price(ORACLES[0], EXTERNAL_100, t), oracle_price(ORACLES[0], EXTERNAL_100, t))
    rejects(make_state(), OraclePricesTick(signed_prices={BTC: sigs}, timestamp=t),
            Reason.INVALID_ASSET_ORACLE_PRICE)


def test_oracle_tick_forged_price(rejects):
    tick = prices_tick([EXTERNAL_100, EXTERNAL_100])
    forged = tick.signed_prices[BTC][0]
    forged = forged.__class__(**{**forged.__dict__, "external_price": EXTERNAL_100 * 2})
    tick = OraclePricesTick(signed_prices={BTC: (forged, tick.signed_prices[BTC][1])},
                            timestamp=tick.timestamp)
    rejects(make_state(), tick, Reason.INVALID_SIGNATURE)


def test_oracle_tick_stale_signature(rejects):
    t = SYSTEM_TIME + 2 * 86400
    sigs = tuple(oracle_price(k, EXTERNAL_100, SYSTEM_TIME) for k in ORACLES)
    rejects(make_state(), OraclePricesTick(signed_prices={BTC: sigs}, timestamp=t),
            Reason.INVALID_ORACLE_TIMESTAMP)


def test_oracle_tick_unknown_signed_asset(rejects):
    t = SYSTEM_TIME + 60
    sigs = tuple(oracle_price(k, EXTERNAL_100, t, signed_asset_id=12345) for k in ORACLES)
    rejects(make_state(), OraclePricesTick(signed_prices={BTC: sigs}, timestamp=t),
            Reason.INVALID_ASSET_ORACLE_PRICE)
