// ORACLE_PRICES_TICK: new prices for some synthetics, each the lower median of a quorum of
// signed oracle prices converted to the internal fixed point; other prices are kept. Sets the
// system time.
from starkware.cairo.common.cairo_builtins import HashBuiltin, SignatureBuiltin
from starkware.cairo.common.find_element import find_element, search_sorted
from starkware.cairo.common.hash import hash2
from starkware.cairo.common.math import assert_le, assert_lt, assert_lt_felt, assert_nn_le
from starkware.cairo.common.math_cmp import is_le

from perpetual.constants import FXP_32_ONE, PRICE_BOUND
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
    // Witnesses: internal = floor((num + den/2) / den), with its remainder.
    internal_price: felt,
    remainder: felt,
}

// One asset's signed prices, and the median the operator claims.
struct AssetPrices {
    asset_id: felt,
    n_signed: felt,
    signed: SignedPrice*,
    median: felt,
}

// round(external · collateral_resolution · 2^32 / (resolution · 10^18)), half up. The
// denominator is even (10^18 is), so den/2 is exact; internal < 2^64 and rem < den < 2^124
// make the decomposition unique below 2^188 < P.
func check_internal_price{range_check_ptr}(config: GeneralConfig*, asset: SyntheticAsset*, p: SignedPrice*) {
    let denominator = asset.resolution * EXTERNAL_PRICE_UNIT;
    assert_nn_le(p.internal_price, PRICE_BOUND - 1);
    assert_nn_le(p.remainder, denominator - 1);
    assert p.internal_price * denominator + p.remainder = p.external_price *
        config.collateral_resolution * FXP_32_ONE + denominator / 2;
    return ();
}

func check_signed_prices{pedersen_ptr: HashBuiltin*, range_check_ptr, ecdsa_ptr: SignatureBuiltin*}(
    config: GeneralConfig*, asset: SyntheticAsset*, p: SignedPrice*, n, previous_signer, tick_time
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
        assert_nn_le(p.external_price, 2 ** 120 - 1);
    }
    with_attr error_message("signed price too old or in the future") {
        assert_nn_le(p.timestamp, 2 ** 32 - 1);
        assert_le(p.timestamp, tick_time);
        assert_le(tick_time, p.timestamp + config.price_validity_period);
    }
    let (message) = hash2{hash_ptr=pedersen_ptr}(
        p.signed_asset_id, p.external_price * 2 ** 32 + p.timestamp
    );
    with_attr error_message("invalid oracle signature") {
        check_signature(message, p.signer_key, p.signature_r, p.signature_s);
    }
    check_internal_price(config, asset, p);
    return check_signed_prices(
        config, asset, p + SignedPrice.SIZE, n - 1, p.signer_key, tick_time
    );
}

// (#prices < median, #prices ≤ median).
func count_around{range_check_ptr}(p: SignedPrice*, n, median, below, at_most) -> (
    below: felt, at_most: felt
) {
    if (n == 0) {
        return (below=below, at_most=at_most);
    }
    let is_below = is_le(p.internal_price + 1, median);
    let is_at_most = is_le(p.internal_price, median);
    return count_around(p + SignedPrice.SIZE, n - 1, median, below + is_below, at_most + is_at_most);
}

// The lower median m = sorted[k], k = (n − 1) // 2: #(p < m) ≤ k < #(p ≤ m).
func check_median{range_check_ptr}(prices: AssetPrices*) {
    alloc_locals;
    local k;
    %{ ids.k = (ids.prices.n_signed - 1) // 2 %}
    // 2k ∈ {n − 1, n − 2}.
    tempvar twice_k_gap = prices.n_signed - 1 - 2 * k;
    assert twice_k_gap * (twice_k_gap - 1) = 0;
    let (below, at_most) = count_around(prices.signed, prices.n_signed, prices.median, 0, 0);
    assert_le(below, k);
    assert_le(k + 1, at_most);
    return ();
}

func check_assets{pedersen_ptr: HashBuiltin*, range_check_ptr, ecdsa_ptr: SignatureBuiltin*}(
    config: GeneralConfig*, prices: AssetPrices*, n, previous_asset_id, tick_time
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
    check_signed_prices(config, asset, prices.signed, prices.n_signed, 0, tick_time);
    with_attr error_message("median price out of range") {
        assert_nn_le(prices.median - 1, PRICE_BOUND - 2);
    }
    with_attr error_message("wrong median price") {
        check_median(prices);
    }
    return check_assets(config, prices + AssetPrices.SIZE, n - 1, prices.asset_id, tick_time);
}

// `merged` (strictly sorted) holds exactly the old prices overridden by the new ones: every
// merged entry is a new price or else an unchanged old one, and every old and new asset is in it.
func check_merged_entries{range_check_ptr}(
    merged: AssetValue*, n, old: Market*, new_prices: AssetPrices*, n_new, previous_asset_id
) {
    alloc_locals;
    if (n == 0) {
        return ();
    }
    assert_lt(previous_asset_id, merged.asset_id);
    let (fresh: AssetPrices*, is_new) = search_sorted(
        array_ptr=new_prices, elm_size=AssetPrices.SIZE, n_elms=n_new, key=merged.asset_id
    );
    if (is_new != 0) {
        assert merged.value = fresh.median;
        tempvar range_check_ptr = range_check_ptr;
    } else {
        let (kept: AssetValue*) = find_element(
            array_ptr=old.prices, elm_size=AssetValue.SIZE, n_elms=old.n_prices, key=merged.asset_id
        );
        assert merged.value = kept.value;
        tempvar range_check_ptr = range_check_ptr;
    }
    return check_merged_entries(
        merged + AssetValue.SIZE, n - 1, old, new_prices, n_new, merged.asset_id
    );
}

func check_covers_old{range_check_ptr}(old: AssetValue*, n, merged: AssetValue*, n_merged) {
    if (n == 0) {
        return ();
    }
    find_element(array_ptr=merged, elm_size=AssetValue.SIZE, n_elms=n_merged, key=old.asset_id);
    return check_covers_old(old + AssetValue.SIZE, n - 1, merged, n_merged);
}

func check_covers_new{range_check_ptr}(new_prices: AssetPrices*, n, merged: AssetValue*, n_merged) {
    if (n == 0) {
        return ();
    }
    find_element(
        array_ptr=merged, elm_size=AssetValue.SIZE, n_elms=n_merged, key=new_prices.asset_id
    );
    return check_covers_new(new_prices + AssetPrices.SIZE, n - 1, merged, n_merged);
}

func execute_oracle_prices_tick{
    pedersen_ptr: HashBuiltin*, range_check_ptr, ecdsa_ptr: SignatureBuiltin*
}(ctx: BatchContext*, market: Market*) -> Market* {
    alloc_locals;
    local tick_time;
    local n_assets;
    local prices: AssetPrices*;
    local n_merged;
    local merged: AssetValue*;
    %{
        _cfg = program_input["general_config"]
        _coll_res = int(_cfg.get("collateral_resolution", 10**6))
        _res_of = {int(a["asset_id"]): int(a["resolution"]) for a in _cfg["synthetic_assets"]}
        _assets = []
        _new = {}
        for _aid, _entry in sorted((int(k), v) for k, v in tx["oracle_prices"].items()):
            _signed = []
            _internals = []
            _den = _res_of.get(_aid, 1) * 10**18
            for _p in _entry["signed_prices"]:
                _num = int(_p["external_price"]) * _coll_res * 2**32 + _den // 2
                _internals.append(_num // _den)
                _signed += [_felt(_p["signer_key"]), _felt(_p["external_price"]),
                            _felt(_p["timestamp"]), _felt(_p["signed_asset_id"]),
                            _felt(_p["signature"]["r"]), _felt(_p["signature"]["s"]),
                            _felt(_num // _den), _felt(_num % _den)]
            _median = sorted(_internals)[(len(_internals) - 1) // 2] if _internals else 0
            _new[_aid] = _median
            _assets.append([_aid, len(_internals), _signed, _felt(_median)])
        _flat = segments.add()
        for _i, _a in enumerate(_assets):
            segments.write_arg(_flat + _i * ids.AssetPrices.SIZE, _a)
        _old = {}
        for _i in range(ids.market.n_prices):
            _old[memory[ids.market.prices.address_ + 2 * _i]] = memory[ids.market.prices.address_ + 2 * _i + 1]
        _merged = sorted({**_old, **_new}.items())
        ids.tick_time = _felt(tx["timestamp"])
        ids.n_assets = len(_assets)
        ids.prices = _flat
        ids.n_merged = len(_merged)
        ids.merged = segments.gen_arg([x for pair in _merged for x in pair])
    %}
    with_attr error_message("ORACLE_PRICES_TICK: timestamp before the system time") {
        assert_le(market.system_time, tick_time);
        assert_nn_le(tick_time, 2 ** 32 - 1);
    }
    with_attr error_message("ORACLE_PRICES_TICK") {
        check_assets(ctx.config, prices, n_assets, -1, tick_time);
    }
    with_attr error_message("ORACLE_PRICES_TICK: merged prices do not match") {
        check_merged_entries(merged, n_merged, market, prices, n_assets, -1);
        check_covers_old(market.prices, market.n_prices, merged, n_merged);
        check_covers_new(prices, n_assets, merged, n_merged);
    }
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
