// ORACLE_PRICES_TICK: new prices for some synthetics, each the lower median of a quorum of
// signed oracle prices converted to the internal fixed point; other prices are kept. Sets the
// system time.
from starkware.cairo.common.alloc import alloc
from starkware.cairo.common.cairo_builtins import HashBuiltin, SignatureBuiltin
from starkware.cairo.common.find_element import find_element
from starkware.cairo.common.hash import hash2
from starkware.cairo.common.math import assert_le, assert_lt, assert_lt_felt, assert_nn_le, unsigned_div_rem
from starkware.cairo.common.math_cmp import is_le
from starkware.cairo.common.memcpy import memcpy

from perpetual.constants import EXTERNAL_PRICE_BOUND, FXP_32_ONE, ORACLE_TIMESTAMP_BOUND, PRICE_BOUND
from perpetual.objects import AssetValue, BatchContext, GeneralConfig, Market, SyntheticAsset
from perpetual.transactions.common import check_signature

const EXTERNAL_PRICE_UNIT = 10 ** 18;

struct SignedPrice {
    signer_key: felt,
    external_price: felt,
    timestamp: felt,
    signed_asset_id: felt,
    signature_r: felt,
    signature_s: felt,
}

// One asset's signed prices, as the batch input lists them.
struct AssetPrices {
    asset_id: felt,
    n_signed: felt,
    signed: SignedPrice*,
}

// round(external · collateral_resolution · 2^32 / (resolution · 10^18)), half up. The
// denominator is even (10^18 is), so den/2 is exact, and below P/2^128 (config.cairo bounds the
// resolution), as unsigned_div_rem needs; the quotient must be below 2^64.
func internal_price{range_check_ptr}(config: GeneralConfig*, asset: SyntheticAsset*, external_price) -> felt {
    let denominator = asset.resolution * EXTERNAL_PRICE_UNIT;
    let (price, _) = unsigned_div_rem(
        external_price * config.collateral_resolution * FXP_32_ONE + denominator / 2, denominator
    );
    with_attr error_message("internal price out of range [0, 2^64)") {
        assert_le(price, PRICE_BOUND - 1);
    }
    return price;
}

// Checks each signed price and writes its internal price to `internals`.
func check_signed_prices{pedersen_ptr: HashBuiltin*, range_check_ptr, ecdsa_ptr: SignatureBuiltin*}(
    config: GeneralConfig*,
    asset: SyntheticAsset*,
    p: SignedPrice*,
    n,
    previous_signer,
    tick_time,
    internals: felt*,
) {
    alloc_locals;
    if (n == 0) {
        return ();
    }
    with_attr error_message("signers not in strictly increasing key order") {
        assert_lt_felt(previous_signer, p.signer_key);
    }
    with_attr error_message("unknown oracle signer") {
        find_element(array_ptr=asset.signers, elm_size=1, n_elms=asset.n_signers, key=p.signer_key);
    }
    with_attr error_message("unknown signed asset id") {
        find_element(
            array_ptr=asset.signed_asset_ids, elm_size=1, n_elms=asset.n_signed_asset_ids, key=p.signed_asset_id
        );
    }
    with_attr error_message("external price out of range") {
        assert_nn_le(p.external_price, EXTERNAL_PRICE_BOUND - 1);
    }
    with_attr error_message("signed price too old or in the future") {
        assert_nn_le(p.timestamp, ORACLE_TIMESTAMP_BOUND - 1);
        assert_le(p.timestamp, tick_time);
        assert_le(tick_time, p.timestamp + config.price_validity_period);
    }
    let (message) = hash2{hash_ptr=pedersen_ptr}(
        p.signed_asset_id, p.external_price * 2 ** 32 + p.timestamp
    );
    with_attr error_message("invalid oracle signature") {
        check_signature(message, p.signer_key, p.signature_r, p.signature_s);
    }
    let price = internal_price(config, asset, p.external_price);
    assert internals[0] = price;
    return check_signed_prices(
        config, asset, p + SignedPrice.SIZE, n - 1, p.signer_key, tick_time, internals + 1
    );
}

// (#prices < median, #prices ≤ median); prices and median below 2^64.
func count_around{range_check_ptr}(prices: felt*, n, median, below, at_most) -> (
    below: felt, at_most: felt
) {
    if (n == 0) {
        return (below=below, at_most=at_most);
    }
    let is_below = is_le(prices[0] + 1, median);
    let is_at_most = is_le(prices[0], median);
    return count_around(prices + 1, n - 1, median, below + is_below, at_most + is_at_most);
}

// The lower median m of n ≥ 1 prices, sorted[k] with k = (n − 1) // 2: a hint picks it, and
// #(p < m) ≤ k < #(p ≤ m) proves it is that one.
func lower_median{range_check_ptr}(prices: felt*, n) -> felt {
    alloc_locals;
    local median;
    %{ ids.median = sorted(memory[ids.prices + i] for i in range(ids.n))[(ids.n - 1) // 2] %}
    let (k, _) = unsigned_div_rem(n - 1, 2);
    let (below, at_most) = count_around(prices, n, median, 0, 0);
    assert_le(below, k);
    assert_le(k + 1, at_most);
    return median;
}

// Checks each asset's signed prices and writes (asset_id, median) to `medians`.
func check_assets{pedersen_ptr: HashBuiltin*, range_check_ptr, ecdsa_ptr: SignatureBuiltin*}(
    config: GeneralConfig*, prices: AssetPrices*, n, previous_asset_id, tick_time, medians: AssetValue*
) {
    alloc_locals;
    if (n == 0) {
        return ();
    }
    with_attr error_message("assets not in strictly increasing id order") {
        assert_lt(previous_asset_id, prices.asset_id);
    }
    with_attr error_message("synthetic asset not in the general config") {
        let (asset: SyntheticAsset*) = find_element(
            array_ptr=config.synthetics,
            elm_size=SyntheticAsset.SIZE,
            n_elms=config.n_synthetics,
            key=prices.asset_id,
        );
    }
    with_attr error_message("fewer signed prices than the quorum") {
        assert_le(asset.oracle_price_quorum, prices.n_signed);
        assert_le(1, prices.n_signed);
    }
    let (local internals: felt*) = alloc();
    check_signed_prices(config, asset, prices.signed, prices.n_signed, 0, tick_time, internals);
    let median = lower_median(internals, prices.n_signed);
    with_attr error_message("median price out of range") {
        assert_nn_le(median - 1, PRICE_BOUND - 2);
    }
    assert medians.asset_id = prices.asset_id;
    assert medians.value = median;
    return check_assets(
        config, prices + AssetPrices.SIZE, n - 1, prices.asset_id, tick_time, medians + AssetValue.SIZE
    );
}

// Merges two arrays strictly increasing in asset id (ids below 2^120) into `out`, an entry of
// `fresh` replacing the `old` one with its id. Returns the number of entries written.
func merge_prices{range_check_ptr}(
    old: AssetValue*, n_old, fresh: AssetValue*, n_fresh, out: AssetValue*
) -> felt {
    alloc_locals;
    if (n_fresh == 0) {
        memcpy(out, old, n_old * AssetValue.SIZE);
        return n_old;
    }
    if (n_old == 0) {
        memcpy(out, fresh, n_fresh * AssetValue.SIZE);
        return n_fresh;
    }
    if (old.asset_id == fresh.asset_id) {
        assert out.asset_id = fresh.asset_id;
        assert out.value = fresh.value;
        let n = merge_prices(
            old + AssetValue.SIZE, n_old - 1, fresh + AssetValue.SIZE, n_fresh - 1, out + AssetValue.SIZE
        );
        return n + 1;
    }
    let old_first = is_le(old.asset_id, fresh.asset_id);
    if (old_first != 0) {
        assert out.asset_id = old.asset_id;
        assert out.value = old.value;
        let n = merge_prices(old + AssetValue.SIZE, n_old - 1, fresh, n_fresh, out + AssetValue.SIZE);
        return n + 1;
    }
    assert out.asset_id = fresh.asset_id;
    assert out.value = fresh.value;
    let n = merge_prices(old, n_old, fresh + AssetValue.SIZE, n_fresh - 1, out + AssetValue.SIZE);
    return n + 1;
}

func execute_oracle_prices_tick{
    pedersen_ptr: HashBuiltin*, range_check_ptr, ecdsa_ptr: SignatureBuiltin*
}(ctx: BatchContext*, market: Market*) -> Market* {
    alloc_locals;
    local tick_time;
    local n_assets;
    local prices: AssetPrices*;
    %{
        _assets = []
        for _aid, _entry in sorted((int(k), v) for k, v in tx["oracle_prices"].items()):
            _signed = []
            for _p in _entry["signed_prices"]:
                _signed += [_felt(_p["signer_key"]), _felt(_p["external_price"]),
                            _felt(_p["timestamp"]), _felt(_p["signed_asset_id"]),
                            _felt(_p["signature"]["r"]), _felt(_p["signature"]["s"])]
            _assets.append([_felt(_aid), len(_entry["signed_prices"]), _signed])
        _flat = segments.add()
        for _i, _a in enumerate(_assets):
            segments.write_arg(_flat + _i * ids.AssetPrices.SIZE, _a)
        ids.prices = _flat
        ids.tick_time = _felt(tx["timestamp"])
        ids.n_assets = len(_assets)
    %}
    with_attr error_message("ORACLE_PRICES_TICK: timestamp out of range [0, 2^32)") {
        assert_nn_le(tick_time, ORACLE_TIMESTAMP_BOUND - 1);
    }
    with_attr error_message("ORACLE_PRICES_TICK: timestamp before the system time") {
        assert_le(market.system_time, tick_time);
    }
    let (local medians: AssetValue*) = alloc();
    with_attr error_message("ORACLE_PRICES_TICK") {
        check_assets(ctx.config, prices, n_assets, -1, tick_time, medians);
    }
    let (local merged: AssetValue*) = alloc();
    let n_merged = merge_prices(market.prices, market.n_prices, medians, n_assets, merged);
    tempvar new_market = new Market(
        n_funding_indices=market.n_funding_indices,
        funding_indices=market.funding_indices,
        funding_timestamp=market.funding_timestamp,
        n_prices=n_merged,
        prices=merged,
        system_time=tick_time,
    );
    return new_market;
}
