// The data the batch program works on: configuration, positions and the shared state.

// Synthetic asset configuration; risk_factor is fixed point with 2^32 = 1.0.
struct SyntheticAsset {
    asset_id: felt,
    resolution: felt,
    risk_factor: felt,
    oracle_price_quorum: felt,
    n_signers: felt,
    signers: felt*,
    n_signed_asset_ids: felt,
    signed_asset_ids: felt*,
}

struct GeneralConfig {
    collateral_asset_id: felt,
    fee_position_id: felt,
    fee_public_key: felt,
    positions_height: felt,
    orders_height: felt,
    max_funding_rate: felt,
    n_synthetics: felt,
    synthetics: SyntheticAsset*,
    data_availability_mode: felt,
    // Oracle price conversion and freshness (in the general config hash).
    collateral_resolution: felt,
    price_validity_period: felt,
}

// An (asset_id, value) pair: a funding index or an oracle price. Arrays of them are sorted by
// asset_id, the key at offset 0 as find_element requires.
struct AssetValue {
    asset_id: felt,
    value: felt,
}

// The part of the shared state that is not a tree: replaced whole by funding and price ticks.
struct Market {
    n_funding_indices: felt,
    funding_indices: AssetValue*,
    funding_timestamp: felt,
    n_prices: felt,
    prices: AssetValue*,
    system_time: felt,
}

// Immutable for the whole batch.
struct BatchContext {
    config: GeneralConfig*,
    minimum_expiration_timestamp: felt,
}

struct PositionAsset {
    asset_id: felt,
    cached_funding_index: felt,
    balance: felt,
}

// Positions are immutable values: every change builds a new one, and the positions dict maps
// position_id to a Position*.
struct Position {
    public_key: felt,
    collateral_balance: felt,
    n_assets: felt,
    assets: PositionAsset*,
}
