// FUNDING_TICK: new global funding indices. Each existing index may move at most
// max_funding_rate · price · Δt (fixed point 2^32 = 1.0); the tick sets the funding timestamp
// and the system time.
from starkware.cairo.common.find_element import find_element
from starkware.cairo.common.math import abs_value, assert_le, assert_le_felt, assert_nn_le

from perpetual.config import check_funding_indices
from perpetual.constants import FXP_32_ONE, TIMESTAMP_BOUND
from perpetual.objects import AssetValue, BatchContext, Market

// Every previous index is still there and moved within the rate limit.
func check_rates{range_check_ptr}(
    ctx: BatchContext*, market: Market*, previous: AssetValue*, n, new_market: Market*, dt
) {
    alloc_locals;
    if (n == 0) {
        return ();
    }
    with_attr error_message("tick drops a funding index") {
        let (updated: AssetValue*) = find_element(
            array_ptr=new_market.funding_indices,
            elm_size=AssetValue.SIZE,
            n_elms=new_market.n_funding_indices,
            key=previous.asset_id,
        );
    }
    with_attr error_message("no oracle price for the asset") {
        let (price: AssetValue*) = find_element(
            array_ptr=market.prices, elm_size=AssetValue.SIZE, n_elms=market.n_prices, key=previous.asset_id
        );
    }
    let diff = abs_value(updated.value - previous.value);
    // diff·2^32 < 2^96 and rate·price·Δt < 2^32·2^64·2^64 (config rate, checked price and
    // timestamps): compared as unsigned integers.
    with_attr error_message("funding rate too high") {
        assert_le_felt(diff * FXP_32_ONE, ctx.config.max_funding_rate * price.value * dt);
    }
    return check_rates(ctx, market, previous + AssetValue.SIZE, n - 1, new_market, dt);
}

func execute_funding_tick{range_check_ptr}(ctx: BatchContext*, market: Market*) -> Market* {
    alloc_locals;
    local n_indices;
    local indices: AssetValue*;
    local timestamp;
    %{
        _tick = tx["global_funding_indices"]
        _pairs = sorted((int(k), int(v)) for k, v in _tick["indices"].items())
        ids.n_indices = len(_pairs)
        ids.indices = segments.gen_arg([_felt(x) for pair in _pairs for x in pair])
        ids.timestamp = _felt(_tick["timestamp"])
    %}
    with_attr error_message("FUNDING_TICK: timestamp out of range [0, 2^64)") {
        assert_nn_le(timestamp, TIMESTAMP_BOUND - 1);
    }
    with_attr error_message("FUNDING_TICK: timestamp before the system time") {
        assert_le(market.system_time, timestamp);
        assert_le(market.funding_timestamp, timestamp);
    }
    with_attr error_message("FUNDING_TICK") {
        check_funding_indices(indices, n_indices, -1);
    }
    tempvar new_market = new Market(
        n_funding_indices=n_indices,
        funding_indices=indices,
        funding_timestamp=timestamp,
        n_prices=market.n_prices,
        prices=market.prices,
        system_time=timestamp,
    );
    local new_market: Market* = new_market;
    with_attr error_message("FUNDING_TICK") {
        check_rates(
            ctx,
            market,
            market.funding_indices,
            market.n_funding_indices,
            new_market,
            timestamp - market.funding_timestamp,
        );
    }
    return new_market;
}
