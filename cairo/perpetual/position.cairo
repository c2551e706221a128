// Position values: the leaf hash and the range checks that make its packing injective, funding,
// and balance changes. Every function returns a new Position; the caller's dict write records it.
// Changes return an error code (constants.cairo) rather than failing: update.cairo decides.
from starkware.cairo.common.alloc import alloc
from starkware.cairo.common.cairo_builtins import HashBuiltin
from starkware.cairo.common.hash import hash2
from starkware.cairo.common.math import assert_lt, assert_nn_le, signed_div_rem
from starkware.cairo.common.math_cmp import is_le, is_nn_le
from starkware.cairo.common.memcpy import memcpy

from perpetual.constants import (
    ASSET_ID_BOUND,
    BALANCE_BOUND,
    FUNDING_INDEX_BOUND,
    FXP_32_ONE,
    MISSING_GLOBAL_FUNDING_INDEX,
    N_ASSETS_BOUND,
    OUT_OF_RANGE_BALANCE,
    POSITION_MAX_SUPPORTED_N_ASSETS,
    SUCCESS,
    TOO_MANY_SYNTHETIC_ASSETS_IN_POSITION,
)
from perpetual.lookup import find_sorted
from perpetual.objects import AssetValue, Market, Position, PositionAsset

// 1 if balance ∈ (-2^63, 2^63), else 0; correct for any field element.
func is_balance_in_range{range_check_ptr}(balance) -> felt {
    return is_nn_le(balance + BALANCE_BOUND - 1, 2 * BALANCE_BOUND - 2);
}

func assert_balance_in_range{range_check_ptr}(balance) {
    assert_nn_le(balance + BALANCE_BOUND - 1, 2 * BALANCE_BOUND - 2);
    return ();
}

// Checks every field the leaf packs of a position read from the previous state (a hint wrote
// it): collateral and balances in (-2^63, 2^63), cached funding indices in [-2^63, 2^63), asset
// ids strictly increasing below 2^120, n_assets below 2^16. Within these bounds the leaf's packed
// words are injective, so a position matches the previous root only as the one the root commits
// to; outside them a balance shifted by 2^64 against a funding index shifted by 1 packs to the
// same word.
func assert_stored_position{range_check_ptr}(position: Position*) {
    with_attr error_message("stored position field out of range") {
        assert_balance_in_range(position.collateral_balance);
        assert_nn_le(position.n_assets, N_ASSETS_BOUND - 1);
        assert_stored_assets(position.assets, position.n_assets, -1);
    }
    return ();
}

func assert_stored_assets{range_check_ptr}(assets: PositionAsset*, n_assets, previous_asset_id) {
    if (n_assets == 0) {
        // Increasing from ≥ 0 in steps below 2^128 up to a last id below 2^120: all below 2^120.
        assert_lt(previous_asset_id, ASSET_ID_BOUND);
        return ();
    }
    assert_lt(previous_asset_id, assets.asset_id);
    assert_nn_le(assets.cached_funding_index + FUNDING_INDEX_BOUND, 2 * FUNDING_INDEX_BOUND - 1);
    assert_balance_in_range(assets.balance);
    return assert_stored_assets(assets + PositionAsset.SIZE, n_assets - 1, assets.asset_id);
}

// A position with nothing in it belongs to nobody: its key resets to 0 so it hashes as empty.
func position_new(public_key, collateral_balance, n_assets, assets: PositionAsset*) -> Position* {
    alloc_locals;
    let (local position: Position*) = alloc();
    let owner = owner_of(public_key, collateral_balance, n_assets);
    assert position.public_key = owner;
    assert position.collateral_balance = collateral_balance;
    assert position.n_assets = n_assets;
    assert position.assets = assets;
    return position;
}

func owner_of(public_key, collateral_balance, n_assets) -> felt {
    if (collateral_balance != 0) {
        return public_key;
    }
    if (n_assets != 0) {
        return public_key;
    }
    return 0;
}

func hash_assets{pedersen_ptr: HashBuiltin*}(assets: PositionAsset*, n_assets, acc) -> felt {
    if (n_assets == 0) {
        return acc;
    }
    let packed = assets.asset_id * 2 ** 128 + (assets.cached_funding_index + BALANCE_BOUND) *
        2 ** 64 + assets.balance + BALANCE_BOUND;
    let (acc) = hash2{hash_ptr=pedersen_ptr}(acc, packed);
    return hash_assets(assets + PositionAsset.SIZE, n_assets - 1, acc);
}

// H(H(assets_hash, public_key), (collateral_balance + 2^63)·2^16 + n_assets).
func position_hash{pedersen_ptr: HashBuiltin*}(position: Position*) -> felt {
    let assets_hash = hash_assets(position.assets, position.n_assets, 0);
    let (inner) = hash2{hash_ptr=pedersen_ptr}(assets_hash, position.public_key);
    let (leaf) = hash2{hash_ptr=pedersen_ptr}(
        inner, (position.collateral_balance + BALANCE_BOUND) * N_ASSETS_BOUND + position.n_assets
    );
    return leaf;
}

// Σ balance·(global − cached), with the cached indices moved to the global ones in `dst`.
// Returns (MISSING_GLOBAL_FUNDING_INDEX, 0) if an asset has no global index.
func funding_inner{range_check_ptr}(
    market: Market*, src: PositionAsset*, n_assets, dst: PositionAsset*, acc
) -> (code: felt, owed_fxp: felt) {
    alloc_locals;
    if (n_assets == 0) {
        return (code=SUCCESS, owed_fxp=acc);
    }
    let (entry: AssetValue*, found) = find_sorted(
        array=market.funding_indices,
        elm_size=AssetValue.SIZE,
        n_elms=market.n_funding_indices,
        key=src.asset_id,
    );
    if (found == 0) {
        return (code=MISSING_GLOBAL_FUNDING_INDEX, owed_fxp=0);
    }
    assert dst.asset_id = src.asset_id;
    assert dst.cached_funding_index = entry.value;
    assert dst.balance = src.balance;
    return funding_inner(
        market,
        src + PositionAsset.SIZE,
        n_assets - 1,
        dst + PositionAsset.SIZE,
        acc + src.balance * (entry.value - src.cached_funding_index),
    );
}

// Pays the funding accrued since the position was last touched. Funding indices are fixed point
// (2^32 = 1.0); the payment is rounded down (toward −∞) so funding never creates collateral.
// |owed| < 64 · 2^63 · 2^64 for in-range fields, well inside signed_div_rem's 2^127·2^32.
func position_apply_funding{range_check_ptr}(market: Market*, position: Position*) -> (
    code: felt, funded: Position*
) {
    alloc_locals;
    if (position.n_assets == 0) {
        return (code=SUCCESS, funded=position);
    }
    let (local new_assets: PositionAsset*) = alloc();
    let (code, owed_fxp) = funding_inner(market, position.assets, position.n_assets, new_assets, 0);
    if (code != SUCCESS) {
        return (code=code, funded=position);
    }
    let (owed_floor, _) = signed_div_rem(-owed_fxp, FXP_32_ONE, 2 ** 127);
    local collateral = position.collateral_balance + owed_floor;
    let in_range = is_balance_in_range(collateral);
    if (in_range == 0) {
        return (code=OUT_OF_RANGE_BALANCE, funded=position);
    }
    let funded = position_new(position.public_key, collateral, position.n_assets, new_assets);
    return (code=SUCCESS, funded=funded);
}

// Writes `src` with `delta` added to `asset_id`'s balance into `dst`, keeping the assets sorted
// and dropping an asset whose balance becomes 0. Returns (code, number of assets written); the
// code is OUT_OF_RANGE_BALANCE if the new balance leaves (−2^63, 2^63). `asset_id` must be below
// 2^120 (a config synthetic) and `src` sorted, so the order comparisons are exact.
func update_assets{range_check_ptr}(
    src: PositionAsset*, n_assets, asset_id, delta, funding_index, dst: PositionAsset*
) -> (code: felt, n_assets: felt) {
    alloc_locals;
    if (n_assets == 0) {
        return insert_asset(asset_id, delta, funding_index, dst);
    }
    if (src.asset_id == asset_id) {
        local balance = src.balance + delta;
        let in_range = is_balance_in_range(balance);
        if (in_range == 0) {
            return (code=OUT_OF_RANGE_BALANCE, n_assets=0);
        }
        if (balance == 0) {
            memcpy(dst, src + PositionAsset.SIZE, (n_assets - 1) * PositionAsset.SIZE);
            return (code=SUCCESS, n_assets=n_assets - 1);
        }
        assert dst.asset_id = asset_id;
        assert dst.cached_funding_index = src.cached_funding_index;
        assert dst.balance = balance;
        memcpy(
            dst + PositionAsset.SIZE, src + PositionAsset.SIZE, (n_assets - 1) * PositionAsset.SIZE
        );
        return (code=SUCCESS, n_assets=n_assets);
    }
    let goes_before = is_le(asset_id + 1, src.asset_id);
    if (goes_before != 0) {
        let (code, n_inserted) = insert_asset(asset_id, delta, funding_index, dst);
        memcpy(dst + n_inserted * PositionAsset.SIZE, src, n_assets * PositionAsset.SIZE);
        return (code=code, n_assets=n_assets + n_inserted);
    }
    memcpy(dst, src, PositionAsset.SIZE);
    let (code, n_rest) = update_assets(
        src + PositionAsset.SIZE, n_assets - 1, asset_id, delta, funding_index, dst + PositionAsset.SIZE
    );
    return (code=code, n_assets=n_rest + 1);
}

func insert_asset{range_check_ptr}(asset_id, balance, funding_index, dst: PositionAsset*) -> (
    code: felt, n_assets: felt
) {
    if (balance == 0) {
        return (code=SUCCESS, n_assets=0);
    }
    let in_range = is_balance_in_range(balance);
    if (in_range == 0) {
        return (code=OUT_OF_RANGE_BALANCE, n_assets=0);
    }
    assert dst.asset_id = asset_id;
    assert dst.cached_funding_index = funding_index;
    assert dst.balance = balance;
    return (code=SUCCESS, n_assets=1);
}

// The assets of a funded position with `delta` added to `asset_id`'s balance, a new asset
// starting at the current global funding index `funding_index`. (code, n_assets, assets): at most
// POSITION_MAX_SUPPORTED_N_ASSETS assets.
func add_synthetic{range_check_ptr}(
    assets: PositionAsset*, n_assets, asset_id, delta, funding_index
) -> (code: felt, n_assets: felt, assets: PositionAsset*) {
    alloc_locals;
    let (local new_assets: PositionAsset*) = alloc();
    let (code, n_new) = update_assets(assets, n_assets, asset_id, delta, funding_index, new_assets);
    if (code != SUCCESS) {
        return (code=code, n_assets=0, assets=new_assets);
    }
    local n_new = n_new;
    let fits = is_le(n_new, POSITION_MAX_SUPPORTED_N_ASSETS);
    if (fits == 0) {
        return (code=TOO_MANY_SYNTHETIC_ASSETS_IN_POSITION, n_assets=0, assets=new_assets);
    }
    return (code=SUCCESS, n_assets=n_new, assets=new_assets);
}

func position_balance_of(position: Position*, asset_id) -> felt {
    return balance_in(position.assets, position.n_assets, asset_id);
}

func balance_in(assets: PositionAsset*, n_assets, asset_id) -> felt {
    if (n_assets == 0) {
        return 0;
    }
    if (assets.asset_id == asset_id) {
        return assets.balance;
    }
    return balance_in(assets + PositionAsset.SIZE, n_assets - 1, asset_id);
}
