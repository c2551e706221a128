// The program output, in the order docs/program-output.md gives.
from starkware.cairo.common.cairo_builtins import HashBuiltin
from starkware.cairo.common.memcpy import memcpy

from perpetual.config import asset_config_hash
from perpetual.objects import GeneralConfig, Market, SyntheticAsset

func write_asset_configs{output_ptr: felt*, pedersen_ptr: HashBuiltin*}(
    synthetics: SyntheticAsset*, n
) {
    if (n == 0) {
        return ();
    }
    let config_hash = asset_config_hash(synthetics);
    assert output_ptr[0] = synthetics.asset_id;
    assert output_ptr[1] = config_hash;
    let output_ptr = output_ptr + 2;
    return write_asset_configs(synthetics + SyntheticAsset.SIZE, n - 1);
}

// size, positions_root, positions_height, orders_root, orders_height, funding indices,
// funding_timestamp, prices, system_time.
func write_shared_state{output_ptr: felt*}(
    config: GeneralConfig*, market: Market*, positions_root, orders_root
) {
    let n_funding = market.n_funding_indices;
    let n_prices = market.n_prices;
    // 8 fixed words (docs/program-output.md says 9, but its own list has 8).
    assert output_ptr[0] = 8 + 2 * n_funding + 2 * n_prices;
    assert output_ptr[1] = positions_root;
    assert output_ptr[2] = config.positions_height;
    assert output_ptr[3] = orders_root;
    assert output_ptr[4] = config.orders_height;
    assert output_ptr[5] = n_funding;
    memcpy(output_ptr + 6, market.funding_indices, 2 * n_funding);
    let output_ptr = output_ptr + 6 + 2 * n_funding;
    assert output_ptr[0] = market.funding_timestamp;
    assert output_ptr[1] = n_prices;
    memcpy(output_ptr + 2, market.prices, 2 * n_prices);
    let output_ptr = output_ptr + 2 + 2 * n_prices;
    assert output_ptr[0] = market.system_time;
    let output_ptr = output_ptr + 1;
    return ();
}
