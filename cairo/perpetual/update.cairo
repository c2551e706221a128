// The one path every position change takes (StarkEx's update_position; the model's
// offchain/perpetual/rules.py update_position, check for check): pay funding, check the asset is
// tradable and the request's key may change the position, add the deltas with range checks, check
// the transition. It returns an error code (constants.cairo) instead of failing, so a forced
// action is provable as invalid as well as valid; every other transaction asserts SUCCESS.
from starkware.cairo.common.dict_access import DictAccess

from perpetual.constants import (
    ILLEGAL_POSITION_TRANSITION_ENLARGING_SYNTHETIC_HOLDINGS,
    ILLEGAL_POSITION_TRANSITION_NO_RISK_REDUCED_VALUE,
    ILLEGAL_POSITION_TRANSITION_REDUCING_TOTAL_VALUE_RISK_RATIO,
    INVALID_PUBLIC_KEY,
    MISSING_GLOBAL_FUNDING_INDEX,
    MISSING_ORACLE_PRICE,
    MISSING_SYNTHETIC_ASSET_ID,
    OUT_OF_RANGE_BALANCE,
    OUT_OF_RANGE_TOTAL_RISK,
    OUT_OF_RANGE_TOTAL_VALUE,
    SUCCESS,
    TOO_MANY_SYNTHETIC_ASSETS_IN_POSITION,
)
from perpetual.lookup import find_sorted
from perpetual.objects import AssetValue, BatchContext, Market, Position, SyntheticAsset
from perpetual.position import add_synthetic, is_balance_in_range, position_apply_funding, position_new
from perpetual.state import load_position, store_position
from perpetual.status import check_transition

// Who asks for a change: a user's key (USER_KEY; the position must be empty or owned by that
// key, and the key is nonzero), or the operator on behalf of whoever owns the position
// (ANY_OWNER: liquidations and deleverages; an empty position may then not change). Program
// constants, never read from a request.
const USER_KEY = 0;
const ANY_OWNER = 1;

// What changes: collateral only (NO_SYNTHETIC), or collateral and one synthetic, which must be
// in the config and have a price and a funding index. Program constants too: no asset id is a
// sentinel.
const NO_SYNTHETIC = 0;
const WITH_SYNTHETIC = 1;

struct Change {
    requester: felt,  // USER_KEY or ANY_OWNER
    public_key: felt,  // the request's key (USER_KEY only)
    collateral_delta: felt,
    synthetic: felt,  // NO_SYNTHETIC or WITH_SYNTHETIC
    asset_id: felt,
    synthetic_delta: felt,
}

// (code, global funding index): the asset is tradable when the config lists it and the market
// prices and funds it (StarkEx's check, in the model's order).
func check_tradable{range_check_ptr}(ctx: BatchContext*, market: Market*, asset_id) -> (
    code: felt, funding_index: felt
) {
    let (_, listed) = find_sorted(
        array=ctx.config.synthetics,
        elm_size=SyntheticAsset.SIZE,
        n_elms=ctx.config.n_synthetics,
        key=asset_id,
    );
    if (listed == 0) {
        return (code=MISSING_SYNTHETIC_ASSET_ID, funding_index=0);
    }
    let (_, priced) = find_sorted(
        array=market.prices, elm_size=AssetValue.SIZE, n_elms=market.n_prices, key=asset_id
    );
    if (priced == 0) {
        return (code=MISSING_ORACLE_PRICE, funding_index=0);
    }
    let (entry: AssetValue*, funded) = find_sorted(
        array=market.funding_indices,
        elm_size=AssetValue.SIZE,
        n_elms=market.n_funding_indices,
        key=asset_id,
    );
    if (funded == 0) {
        return (code=MISSING_GLOBAL_FUNDING_INDEX, funding_index=0);
    }
    return (code=SUCCESS, funding_index=entry.value);
}

// The key the changed position belongs to, or INVALID_PUBLIC_KEY. (code, owner, unchanged):
// unchanged = 1 when ANY_OWNER meets an empty position and nothing changes.
func owner_for{range_check_ptr}(funded: Position*, change: Change*) -> (
    code: felt, owner: felt, unchanged: felt
) {
    if (change.requester == ANY_OWNER) {
        if (funded.public_key != 0) {
            return (code=SUCCESS, owner=funded.public_key, unchanged=0);
        }
        if (change.collateral_delta != 0) {
            return (code=INVALID_PUBLIC_KEY, owner=0, unchanged=0);
        }
        if (change.synthetic_delta != 0) {
            return (code=INVALID_PUBLIC_KEY, owner=0, unchanged=0);
        }
        return (code=SUCCESS, owner=0, unchanged=1);
    }
    assert change.requester = USER_KEY;
    if (change.public_key == 0) {
        return (code=INVALID_PUBLIC_KEY, owner=0, unchanged=0);
    }
    if (funded.public_key == 0) {
        return (code=SUCCESS, owner=change.public_key, unchanged=0);
    }
    if (funded.public_key != change.public_key) {
        return (code=INVALID_PUBLIC_KEY, owner=0, unchanged=0);
    }
    return (code=SUCCESS, owner=change.public_key, unchanged=0);
}

// Applies `change` to a funded position. (code, updated); updated is `funded` unless SUCCESS.
func change_position{range_check_ptr}(
    ctx: BatchContext*, market: Market*, funded: Position*, change: Change*
) -> (code: felt, updated: Position*) {
    alloc_locals;
    local funding_index;
    if (change.synthetic == WITH_SYNTHETIC) {
        let (code, index) = check_tradable(ctx, market, change.asset_id);
        if (code != SUCCESS) {
            return (code=code, updated=funded);
        }
        funding_index = index;
        tempvar range_check_ptr = range_check_ptr;
    } else {
        assert change.synthetic = NO_SYNTHETIC;
        assert change.synthetic_delta = 0;
        funding_index = 0;
        tempvar range_check_ptr = range_check_ptr;
    }
    let (code, owner, unchanged) = owner_for(funded, change);
    if (code != SUCCESS) {
        return (code=code, updated=funded);
    }
    if (unchanged != 0) {
        return (code=SUCCESS, updated=funded);
    }
    local owner = owner;
    local collateral = funded.collateral_balance + change.collateral_delta;
    let in_range = is_balance_in_range(collateral);
    if (in_range == 0) {
        return (code=OUT_OF_RANGE_BALANCE, updated=funded);
    }
    if (change.synthetic_delta == 0) {
        let updated = position_new(owner, collateral, funded.n_assets, funded.assets);
        return checked(ctx, market, funded, updated);
    }
    let (code, n_assets, assets) = add_synthetic(
        funded.assets, funded.n_assets, change.asset_id, change.synthetic_delta, funding_index
    );
    if (code != SUCCESS) {
        return (code=code, updated=funded);
    }
    let updated = position_new(owner, collateral, n_assets, assets);
    return checked(ctx, market, funded, updated);
}

// (SUCCESS, updated) if the transition is valid, else (its code, funded).
func checked{range_check_ptr}(
    ctx: BatchContext*, market: Market*, funded: Position*, updated: Position*
) -> (code: felt, updated: Position*) {
    let code = check_transition(ctx.config, market, funded, updated);
    if (code != SUCCESS) {
        return (code=code, updated=funded);
    }
    return (code=SUCCESS, updated=updated);
}

// Funding then the change. (code, funded, updated); funded is `stored` when funding itself fails,
// updated is `funded` unless SUCCESS.
func try_update{range_check_ptr}(
    ctx: BatchContext*, market: Market*, stored: Position*, change: Change*
) -> (code: felt, funded: Position*, updated: Position*) {
    alloc_locals;
    let (code, funded) = position_apply_funding(market, stored);
    if (code != SUCCESS) {
        return (code=code, funded=stored, updated=stored);
    }
    local funded: Position* = funded;
    let (code, updated) = change_position(ctx, market, funded, change);
    return (code=code, funded=funded, updated=updated);
}

// Reads position `position_id`, applies `change`, and records the result: the updated position on
// SUCCESS, else the stored one unchanged. Returns the code.
func update_position_in_dict{range_check_ptr, positions_dict: DictAccess*}(
    ctx: BatchContext*, market: Market*, position_id, change: Change*
) -> felt {
    alloc_locals;
    let stored = load_position(position_id);
    let (code, _, updated) = try_update(ctx, market, stored, change);
    local code = code;
    if (code == SUCCESS) {
        store_position(position_id, stored, updated);
        return code;
    }
    store_position(position_id, stored, stored);
    return code;
}

// A user's change of collateral only (deposits, withdrawals, transfers, fees).
func update_collateral{range_check_ptr, positions_dict: DictAccess*}(
    ctx: BatchContext*, market: Market*, position_id, public_key, collateral_delta
) -> felt {
    tempvar change = new Change(
        requester=USER_KEY,
        public_key=public_key,
        collateral_delta=collateral_delta,
        synthetic=NO_SYNTHETIC,
        asset_id=0,
        synthetic_delta=0,
    );
    return update_position_in_dict(ctx, market, position_id, change);
}

// Fails the run naming the broken rule, by its StarkEx error name, unless code is SUCCESS.
func assert_success(code) {
    if (code == SUCCESS) {
        return ();
    }
    with_attr error_message(
            "ILLEGAL_POSITION_TRANSITION_ENLARGING_SYNTHETIC_HOLDINGS: not well leveraged and a synthetic balance grew in absolute value") {
        assert_not_code(code, ILLEGAL_POSITION_TRANSITION_ENLARGING_SYNTHETIC_HOLDINGS);
    }
    with_attr error_message(
            "ILLEGAL_POSITION_TRANSITION_NO_RISK_REDUCED_VALUE: not well leveraged and total value decreased") {
        assert_not_code(code, ILLEGAL_POSITION_TRANSITION_NO_RISK_REDUCED_VALUE);
    }
    with_attr error_message(
            "ILLEGAL_POSITION_TRANSITION_REDUCING_TOTAL_VALUE_RISK_RATIO: not well leveraged and TV/TR decreased") {
        assert_not_code(code, ILLEGAL_POSITION_TRANSITION_REDUCING_TOTAL_VALUE_RISK_RATIO);
    }
    with_attr error_message("INVALID_PUBLIC_KEY: position owned by another key, or a zero key") {
        assert_not_code(code, INVALID_PUBLIC_KEY);
    }
    with_attr error_message("MISSING_GLOBAL_FUNDING_INDEX: no funding index for the synthetic asset") {
        assert_not_code(code, MISSING_GLOBAL_FUNDING_INDEX);
    }
    with_attr error_message("MISSING_ORACLE_PRICE: no oracle price for the synthetic asset") {
        assert_not_code(code, MISSING_ORACLE_PRICE);
    }
    with_attr error_message("MISSING_SYNTHETIC_ASSET_ID: synthetic asset not in the general config") {
        assert_not_code(code, MISSING_SYNTHETIC_ASSET_ID);
    }
    with_attr error_message("OUT_OF_RANGE_BALANCE: balance out of range (-2^63, 2^63)") {
        assert_not_code(code, OUT_OF_RANGE_BALANCE);
    }
    with_attr error_message("OUT_OF_RANGE_TOTAL_RISK: total risk out of range") {
        assert_not_code(code, OUT_OF_RANGE_TOTAL_RISK);
    }
    with_attr error_message("OUT_OF_RANGE_TOTAL_VALUE: total value out of range") {
        assert_not_code(code, OUT_OF_RANGE_TOTAL_VALUE);
    }
    with_attr error_message(
            "TOO_MANY_SYNTHETIC_ASSETS_IN_POSITION: more synthetic assets than a position holds") {
        assert_not_code(code, TOO_MANY_SYNTHETIC_ASSETS_IN_POSITION);
    }
    with_attr error_message("unknown error code") {
        assert code = SUCCESS;
    }
    return ();
}

func assert_not_code(code, expected) {
    if (code == expected) {
        assert 1 = 0;
    }
    return ();
}
