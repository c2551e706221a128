// The general config (synthetics in increasing asset_id) and the market of the previous shared state, read from the batch input,
// and the config hashes that bind them in the output.
from starkware.cairo.common.alloc import alloc
from starkware.cairo.common.cairo_builtins import HashBuiltin
from starkware.cairo.common.hash import hash2
from starkware.cairo.common.math import assert_lt

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

// Keys (at offset 0 of each element) strictly increasing and below 2^128: what makes a search
// that trusts sortedness (search_sorted) sound.
func assert_sorted_keys{range_check_ptr}(array: felt*, elm_size, n, previous_key) {
    if (n == 0) {
        return ();
    }
    assert_lt(previous_key, array[0]);
    return assert_sorted_keys(array + elm_size, elm_size, n - 1, array[0]);
}

func check_sorted{range_check_ptr}(config: GeneralConfig*, market: Market*) {
    with_attr error_message("config synthetics, funding indices and prices must be sorted by asset id") {
        assert_sorted_keys(cast(config.synthetics, felt*), SyntheticAsset.SIZE, config.n_synthetics, -1);
        assert_sorted_keys(cast(market.funding_indices, felt*), AssetValue.SIZE, market.n_funding_indices, -1);
        assert_sorted_keys(cast(market.prices, felt*), AssetValue.SIZE, market.n_prices, -1);
    }
    return ();
}
