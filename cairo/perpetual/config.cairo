// The general config (synthetics in increasing asset_id) and the market of the previous shared
// state, read from the batch input; the range checks they get where they enter; and the config
// hashes that bind them in the output.
from starkware.cairo.common.alloc import alloc
from starkware.cairo.common.cairo_builtins import HashBuiltin
from starkware.cairo.common.hash import hash2
from starkware.cairo.common.math import assert_lt, assert_nn_le

from perpetual.constants import (
    ASSET_ID_BOUND,
    COLLATERAL_RESOLUTION_BOUND,
    CONFIG_SMALL_BOUND,
    FUNDING_INDEX_BOUND,
    MAX_FUNDING_RATE_BOUND,
    POSITION_ID_BOUND,
    POSITION_MAX_SUPPORTED_N_ASSETS,
    PRICE_BOUND,
    RESOLUTION_BOUND,
    RISK_FACTOR_BOUND,
    TIMESTAMP_BOUND,
    TREE_HEIGHT_BOUND,
)
from perpetual.objects import AssetValue, GeneralConfig, Market, SyntheticAsset

func load_config() -> GeneralConfig* {
    alloc_locals;
    local config: GeneralConfig*;
    %{
        _cfg = program_input["general_config"]
        _synthetics = []
        for _s in sorted(_cfg["synthetic_assets"], key=lambda a: int(a["asset_id"])):
            _signers = [_felt(k) for k in _s.get("oracle_price_signers", [])]
            _signed_ids = [_felt(a) for a in _s.get("oracle_price_signed_asset_ids", [])]
            _synthetics.append([
                _felt(_s["asset_id"]), _felt(_s["resolution"]), _felt(_s["risk_factor"]),
                _felt(_s.get("oracle_price_quorum", 1)),
                len(_signers), _signers, len(_signed_ids), _signed_ids,
            ])
        _flat_synthetics = segments.add()
        for _i, _s in enumerate(_synthetics):
            segments.write_arg(_flat_synthetics + _i * ids.SyntheticAsset.SIZE, _s)
        ids.config = segments.gen_arg([
            _felt(_cfg["collateral_asset_id"]), _felt(_cfg["fee_position_id"]),
            _felt(_cfg["fee_public_key"]), _felt(_cfg["positions_tree_height"]),
            _felt(_cfg["orders_tree_height"]), _felt(_cfg["max_funding_rate"]),
            len(_synthetics), _flat_synthetics, _felt(_cfg.get("data_availability_mode", 1)),
            _felt(_cfg.get("collateral_resolution", 10**6)),
            _felt(_cfg.get("price_validity_period", 86400)),
        ])
    %}
    return config;
}

func load_market() -> Market* {
    alloc_locals;
    local market: Market*;
    %{
        _prev = program_input["previous_state"]
        def _pairs(mapping):
            flat = []
            for asset_id, value in sorted((int(k), v) for k, v in mapping.items()):
                flat += [asset_id, _felt(value)]
            return flat
        ids.market = segments.gen_arg([
            len(_prev.get("funding_indices", {})), _pairs(_prev.get("funding_indices", {})),
            _felt(_prev.get("funding_timestamp", 0)),
            len(_prev.get("oracle_prices", {})), _pairs(_prev.get("oracle_prices", {})),
            _felt(_prev.get("system_time", 0)),
        ])
    %}
    return market;
}

// Pedersen chain from 0: H(...H(H(0, x0), x1)..., x_{n-1}).
func hash_chain_from_zero{pedersen_ptr: HashBuiltin*}(values: felt*, n, acc) -> felt {
    if (n == 0) {
        return acc;
    }
    let (acc) = hash2{hash_ptr=pedersen_ptr}(acc, values[0]);
    return hash_chain_from_zero(values + 1, n - 1, acc);
}

func general_config_hash{pedersen_ptr: HashBuiltin*}(config: GeneralConfig*) -> felt {
    alloc_locals;
    let (words: felt*) = alloc();
    assert words[0] = config.collateral_asset_id;
    assert words[1] = config.fee_position_id;
    assert words[2] = config.fee_public_key;
    assert words[3] = config.positions_height;
    assert words[4] = config.orders_height;
    assert words[5] = config.max_funding_rate;
    assert words[6] = config.collateral_resolution;
    assert words[7] = config.price_validity_period;
    assert words[8] = config.n_synthetics;
    let acc = hash_chain_from_zero(words, 9, 0);
    return chain_synthetics(config.synthetics, config.n_synthetics, acc);
}

// Each synthetic enters through its asset config hash, so its oracle settings are pinned too.
func chain_synthetics{pedersen_ptr: HashBuiltin*}(synthetics: SyntheticAsset*, n, acc) -> felt {
    if (n == 0) {
        return acc;
    }
    let asset_hash = asset_config_hash(synthetics);
    let (acc) = hash2{hash_ptr=pedersen_ptr}(acc, asset_hash);
    return chain_synthetics(synthetics + SyntheticAsset.SIZE, n - 1, acc);
}

// Chain from 0 over asset_id, resolution, risk_factor, oracle_price_quorum, n_signers,
// signers…, n_signed_asset_ids, signed_asset_ids… (docs/message-hashes.md).
func asset_config_hash{pedersen_ptr: HashBuiltin*}(asset: SyntheticAsset*) -> felt {
    let (acc) = hash2{hash_ptr=pedersen_ptr}(0, asset.asset_id);
    let (acc) = hash2{hash_ptr=pedersen_ptr}(acc, asset.resolution);
    let (acc) = hash2{hash_ptr=pedersen_ptr}(acc, asset.risk_factor);
    let (acc) = hash2{hash_ptr=pedersen_ptr}(acc, asset.oracle_price_quorum);
    let (acc) = hash2{hash_ptr=pedersen_ptr}(acc, asset.n_signers);
    let acc = hash_chain_from_zero(asset.signers, asset.n_signers, acc);
    let (acc) = hash2{hash_ptr=pedersen_ptr}(acc, asset.n_signed_asset_ids);
    let acc = hash_chain_from_zero(asset.signed_asset_ids, asset.n_signed_asset_ids, acc);
    return acc;
}

// Synthetic asset ids strictly increasing below 2^120, and every number the program computes
// with below the bound its arithmetic needs (constants.cairo). The config is pinned by its hash
// in the output; these checks keep the program sound for any config governance may set.
// offchain/perpetual/config.py refuses the same configs.
func check_config{range_check_ptr}(config: GeneralConfig*) {
    with_attr error_message("general config out of range") {
        assert_nn_le(config.positions_height, TREE_HEIGHT_BOUND - 1);
        assert_nn_le(config.orders_height, TREE_HEIGHT_BOUND - 1);
        assert_nn_le(config.fee_position_id, POSITION_ID_BOUND - 1);
        assert_nn_le(config.max_funding_rate, MAX_FUNDING_RATE_BOUND - 1);
        assert_nn_le(config.collateral_resolution, COLLATERAL_RESOLUTION_BOUND - 1);
        assert_nn_le(config.price_validity_period, CONFIG_SMALL_BOUND - 1);
        assert config.data_availability_mode * (config.data_availability_mode - 1) = 0;
        assert_nn_le(config.n_synthetics, POSITION_MAX_SUPPORTED_N_ASSETS);
        check_synthetics(config.synthetics, config.n_synthetics, -1);
    }
    return ();
}

func check_synthetics{range_check_ptr}(synthetics: SyntheticAsset*, n, previous_asset_id) {
    if (n == 0) {
        // Increasing from ≥ 0 in steps below 2^128 up to a last id below 2^120: all below 2^120.
        assert_lt(previous_asset_id, ASSET_ID_BOUND);
        return ();
    }
    assert_lt(previous_asset_id, synthetics.asset_id);
    assert_nn_le(synthetics.resolution - 1, RESOLUTION_BOUND - 2);
    assert_nn_le(synthetics.risk_factor, RISK_FACTOR_BOUND - 1);
    assert_nn_le(synthetics.oracle_price_quorum, CONFIG_SMALL_BOUND - 1);
    return check_synthetics(synthetics + SyntheticAsset.SIZE, n - 1, synthetics.asset_id);
}

// Asset ids strictly increasing below 2^120 (so each appears once, and search_sorted, which
// trusts sortedness, is sound) and indices in [-2^63, 2^63).
func check_funding_indices{range_check_ptr}(indices: AssetValue*, n, previous_asset_id) {
    if (n == 0) {
        assert_lt(previous_asset_id, ASSET_ID_BOUND);
        return ();
    }
    with_attr error_message("asset ids not strictly increasing") {
        assert_lt(previous_asset_id, indices.asset_id);
    }
    with_attr error_message("funding index out of range") {
        assert_nn_le(indices.value + FUNDING_INDEX_BOUND, 2 * FUNDING_INDEX_BOUND - 1);
    }
    return check_funding_indices(indices + AssetValue.SIZE, n - 1, indices.asset_id);
}

// Asset ids strictly increasing below 2^120 and prices in [0, 2^64).
func check_prices{range_check_ptr}(prices: AssetValue*, n, previous_asset_id) {
    if (n == 0) {
        assert_lt(previous_asset_id, ASSET_ID_BOUND);
        return ();
    }
    assert_lt(previous_asset_id, prices.asset_id);
    assert_nn_le(prices.value, PRICE_BOUND - 1);
    return check_prices(prices + AssetValue.SIZE, n - 1, prices.asset_id);
}

// The previous market came from L1's stored shared state (the previous batch's output); its
// values enter here, range-checked like every tick checks the values it writes.
func check_market{range_check_ptr}(market: Market*) {
    with_attr error_message("previous market out of range") {
        check_funding_indices(market.funding_indices, market.n_funding_indices, -1);
        check_prices(market.prices, market.n_prices, -1);
        assert_nn_le(market.funding_timestamp, TIMESTAMP_BOUND - 1);
        assert_nn_le(market.system_time, TIMESTAMP_BOUND - 1);
    }
    return ();
}
