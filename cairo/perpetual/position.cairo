// Position values: leaf hash, funding, and balance changes. Every function returns a new
// Position; the caller's dict write records the change.
from starkware.cairo.common.alloc import alloc
from starkware.cairo.common.cairo_builtins import HashBuiltin
from starkware.cairo.common.find_element import find_element
from starkware.cairo.common.hash import hash2
from starkware.cairo.common.math import assert_nn_le, signed_div_rem
from starkware.cairo.common.math_cmp import is_le
from starkware.cairo.common.memcpy import memcpy

from perpetual.constants import BALANCE_BOUND, FXP_32_ONE, N_ASSETS_BOUND
from perpetual.objects import AssetValue, Market, Position, PositionAsset

// Range-checks a balance into (-2^63, 2^63).
func assert_balance_in_range{range_check_ptr}(balance: felt) {
    with_attr error_message("balance out of range (-2^63, 2^63)") {
        assert_nn_le(balance + BALANCE_BOUND - 1, 2 * BALANCE_BOUND - 2);
    }
    return ();
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

func funding_index_of{range_check_ptr}(market: Market*, asset_id) -> felt {
    with_attr error_message("no funding index for synthetic asset") {
        let (entry: AssetValue*) = find_element(
            array_ptr=market.funding_indices,
            elm_size=AssetValue.SIZE,
            n_elms=market.n_funding_indices,
            key=asset_id,
        );
    }
    return entry.value;
}

// Σ balance·(global − cached), with the cached indices moved to the global ones in `dst`.
func funding_inner{range_check_ptr}(
    market: Market*, src: PositionAsset*, n_assets, dst: PositionAsset*, acc
) -> felt {
    if (n_assets == 0) {
        return acc;
    }
    let global_index = funding_index_of(market, src.asset_id);
    assert dst.asset_id = src.asset_id;
    assert dst.cached_funding_index = global_index;
    assert dst.balance = src.balance;
    return funding_inner(
        market,
        src + PositionAsset.SIZE,
        n_assets - 1,
        dst + PositionAsset.SIZE,
        acc + src.balance * (global_index - src.cached_funding_index),
    );
}

// Pays the funding accrued since the position was last touched. Funding indices are fixed point
// (2^32 = 1.0); the payment is rounded down (toward −∞) so funding never creates collateral.
func position_apply_funding{range_check_ptr}(market: Market*, position: Position*) -> Position* {
    alloc_locals;
    let (local new_assets: PositionAsset*) = alloc();
    let owed_fxp = funding_inner(market, position.assets, position.n_assets, new_assets, 0);
    let (owed_floor, _) = signed_div_rem(-owed_fxp, FXP_32_ONE, 2 ** 127);
    let collateral = position.collateral_balance + owed_floor;
    assert_balance_in_range(collateral);
    let updated = position_new(position.public_key, collateral, position.n_assets, new_assets);
    return updated;
}

func position_add_collateral{range_check_ptr}(position: Position*, delta) -> Position* {
    alloc_locals;
    let collateral = position.collateral_balance + delta;
    assert_balance_in_range(collateral);
    let updated = position_new(position.public_key, collateral, position.n_assets, position.assets);
    return updated;
}

// Writes `src` with `delta` added to `asset_id`'s balance into `dst`, keeping the assets sorted
// and dropping an asset whose balance becomes 0. Returns the number of assets written.
func update_assets{range_check_ptr}(
    src: PositionAsset*, n_assets, asset_id, delta, funding_index, dst: PositionAsset*
) -> felt {
    alloc_locals;
    if (n_assets == 0) {
        return insert_asset(asset_id, delta, funding_index, dst);
    }
    if (src.asset_id == asset_id) {
        local balance = src.balance + delta;
        assert_balance_in_range(balance);
        if (balance == 0) {
            memcpy(dst, src + PositionAsset.SIZE, (n_assets - 1) * PositionAsset.SIZE);
            return n_assets - 1;
        }
        assert dst.asset_id = asset_id;
        assert dst.cached_funding_index = src.cached_funding_index;
        assert dst.balance = balance;
        memcpy(
            dst + PositionAsset.SIZE, src + PositionAsset.SIZE, (n_assets - 1) * PositionAsset.SIZE
        );
        return n_assets;
    }
    let goes_before = is_le(asset_id + 1, src.asset_id);
    if (goes_before != 0) {
        let n_inserted = insert_asset(asset_id, delta, funding_index, dst);
        memcpy(dst + n_inserted * PositionAsset.SIZE, src, n_assets * PositionAsset.SIZE);
        return n_assets + n_inserted;
    }
    memcpy(dst, src, PositionAsset.SIZE);
    let n_rest = update_assets(
        src + PositionAsset.SIZE, n_assets - 1, asset_id, delta, funding_index, dst + PositionAsset.SIZE
    );
    return n_rest + 1;
}

func insert_asset{range_check_ptr}(asset_id, balance, funding_index, dst: PositionAsset*) -> felt {
    if (balance == 0) {
        return 0;
    }
    assert_balance_in_range(balance);
    assert dst.asset_id = asset_id;
    assert dst.cached_funding_index = funding_index;
    assert dst.balance = balance;
    return 1;
}

// Adds `delta` to a synthetic balance. The position must already have its funding applied, so a
// new asset starts at the current global funding index.
func position_add_synthetic{range_check_ptr}(
    market: Market*, position: Position*, asset_id, delta
) -> Position* {
    alloc_locals;
    let funding_index = funding_index_of(market, asset_id);
    let (local new_assets: PositionAsset*) = alloc();
    let n_assets = update_assets(
        position.assets, position.n_assets, asset_id, delta, funding_index, new_assets
    );
    let updated = position_new(position.public_key, position.collateral_balance, n_assets, new_assets);
    return updated;
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
