// LIQUIDATE: a liquidator's signed order takes over part of a position that is not well
// leveraged; the liquidated synthetic balance may shrink but not grow or change sign.
// DELEVERAGE: an unsigned forced close of a position with negative total value against a
// deleverager holding the opposite side, at the least favourable collateral for the deleveraged.
from starkware.cairo.common.cairo_builtins import HashBuiltin, SignatureBuiltin
from starkware.cairo.common.dict_access import DictAccess
from starkware.cairo.common.find_element import find_element
from starkware.cairo.common.math import abs_value, assert_le, assert_le_felt, assert_lt_felt, assert_not_equal

from perpetual.constants import FXP_32_ONE
from perpetual.messages import assert_amount
from perpetual.objects import BatchContext, Market, Position, SyntheticAsset
from perpetual.position import position_apply_funding, position_balance_of
from perpetual.state import load_position, store_position
from perpetual.status import Status, is_well_leveraged, position_status
from perpetual.transactions.order import execute_limit_order, load_order
from perpetual.update import (
    ANY_OWNER,
    WITH_SYNTHETIC,
    Change,
    assert_success,
    change_position,
    try_update,
)

struct LiquidateTx {
    liquidated_position_id: felt,
    actual_collateral: felt,
    actual_synthetic: felt,
    actual_liquidator_fee: felt,
}

struct DeleverageTx {
    deleveraged_position_id: felt,
    deleverager_position_id: felt,
    synthetic_asset_id: felt,
    amount_collateral: felt,
    amount_synthetic: felt,
    deleverager_is_buying_synthetic: felt,
}

// Reads a position and changes it by both deltas on behalf of whoever owns it; fails the run on
// a broken rule. Returns (stored, funded, updated); the caller stores the result.
func change_owned_position{range_check_ptr, positions_dict: DictAccess*}(
    ctx: BatchContext*,
    market: Market*,
    position_id,
    collateral_delta,
    asset_id,
    synthetic_delta,
) -> (stored: Position*, funded: Position*, updated: Position*) {
    alloc_locals;
    let stored = load_position(position_id);
    tempvar change = new Change(
        requester=ANY_OWNER,
        public_key=0,
        collateral_delta=collateral_delta,
        synthetic=WITH_SYNTHETIC,
        asset_id=asset_id,
        synthetic_delta=synthetic_delta,
    );
    let (code, funded, updated) = try_update(ctx, market, stored, change);
    assert_success(code);
    return (stored=stored, funded=funded, updated=updated);
}

func execute_liquidate{
    pedersen_ptr: HashBuiltin*,
    range_check_ptr,
    ecdsa_ptr: SignatureBuiltin*,
    positions_dict: DictAccess*,
    orders_dict: DictAccess*,
}(ctx: BatchContext*, market: Market*) {
    alloc_locals;
    let order = load_order(3);
    local tx: LiquidateTx;
    %{
        _load_tx(ids.tx, tx, ["liquidated_position_id", "actual_collateral", "actual_synthetic",
                              "actual_liquidator_fee"])
    %}
    with_attr error_message("LIQUIDATE: amount out of range") {
        assert_amount(tx.actual_collateral);
        assert_amount(tx.actual_synthetic);
        assert_amount(tx.actual_liquidator_fee);
    }
    with_attr error_message("LIQUIDATE: liquidator and liquidated are the same position") {
        assert_not_equal(order.position_id, tx.liquidated_position_id);
    }
    with_attr error_message("LIQUIDATE: synthetic asset not in the general config") {
        find_element(
            array_ptr=ctx.config.synthetics,
            elm_size=SyntheticAsset.SIZE,
            n_elms=ctx.config.n_synthetics,
            key=order.asset_id_synthetic,
        );
    }
    let stored = load_position(tx.liquidated_position_id);
    let (code, funded) = position_apply_funding(market, stored);
    with_attr error_message("LIQUIDATE: liquidated") {
        assert_success(code);
    }
    local funded: Position* = funded;
    let (code, status) = position_status(ctx.config, market, funded);
    local status: Status = status;
    with_attr error_message("LIQUIDATE: liquidated") {
        assert_success(code);
    }
    with_attr error_message("LIQUIDATE: position is well leveraged") {
        let well_leveraged = is_well_leveraged(status);
        assert well_leveraged = 0;
    }
    // The liquidated side takes the opposite of the liquidator's order.
    local sign = 1 - 2 * order.is_buying_synthetic;
    local synthetic_delta = sign * tx.actual_synthetic;
    let balance = position_balance_of(funded, order.asset_id_synthetic);
    with_attr error_message("LIQUIDATE: liquidated synthetic balance would grow or flip") {
        let delta_abs = abs_value(synthetic_delta);
        let balance_abs = abs_value(balance);
        assert_le(delta_abs, balance_abs);
        assert_le_felt(2 ** 130 + synthetic_delta * balance, 2 ** 130);
    }
    tempvar change = new Change(
        requester=ANY_OWNER,
        public_key=0,
        collateral_delta=-sign * tx.actual_collateral,
        synthetic=WITH_SYNTHETIC,
        asset_id=order.asset_id_synthetic,
        synthetic_delta=synthetic_delta,
    );
    let (code, updated) = change_position(ctx, market, funded, change);
    with_attr error_message("LIQUIDATE: liquidated") {
        assert_success(code);
    }
    store_position(tx.liquidated_position_id, stored, updated);
    with_attr error_message("LIQUIDATE: liquidator") {
        execute_limit_order(
            ctx, market, order, tx.actual_collateral, tx.actual_synthetic, tx.actual_liquidator_fee
        );
    }
    return ();
}

func execute_deleverage{range_check_ptr, positions_dict: DictAccess*}(
    ctx: BatchContext*, market: Market*
) {
    alloc_locals;
    local tx: DeleverageTx;
    %{
        _load_tx(ids.tx, tx, ["deleveraged_position_id", "deleverager_position_id",
                              "synthetic_asset_id", "amount_collateral", "amount_synthetic",
                              "deleverager_is_buying_synthetic"])
    %}
    with_attr error_message("DELEVERAGE: amount out of range") {
        assert_amount(tx.amount_collateral);
        assert_amount(tx.amount_synthetic);
        assert tx.deleverager_is_buying_synthetic * (tx.deleverager_is_buying_synthetic - 1) = 0;
    }
    with_attr error_message("DELEVERAGE: deleverager and deleveraged are the same position") {
        assert_not_equal(tx.deleveraged_position_id, tx.deleverager_position_id);
    }
    local sign = 2 * tx.deleverager_is_buying_synthetic - 1;
    with_attr error_message("DELEVERAGE: deleveraged") {
        let (stored_d, funded_d, updated_d) = change_owned_position(
            ctx,
            market,
            tx.deleveraged_position_id,
            sign * tx.amount_collateral,
            tx.synthetic_asset_id,
            -sign * tx.amount_synthetic,
        );
    }
    local funded_d: Position* = funded_d;
    local updated_d: Position* = updated_d;
    store_position(tx.deleveraged_position_id, stored_d, updated_d);
    with_attr error_message("DELEVERAGE: deleverager") {
        let (stored_r, funded_r, updated_r) = change_owned_position(
            ctx,
            market,
            tx.deleverager_position_id,
            -sign * tx.amount_collateral,
            tx.synthetic_asset_id,
            sign * tx.amount_synthetic,
        );
    }
    local funded_r: Position* = funded_r;
    store_position(tx.deleverager_position_id, stored_r, updated_r);
    let held = position_balance_of(funded_r, tx.synthetic_asset_id);
    with_attr error_message("DELEVERAGE: deleverager does not hold the opposite position") {
        assert_le(tx.amount_synthetic, -sign * held);
    }
    let (code, before) = position_status(ctx.config, market, funded_d);
    local before: Status = before;
    with_attr error_message("DELEVERAGE: deleveraged") {
        assert_success(code);
    }
    with_attr error_message("DELEVERAGE: position is not deleveragable (total value >= 0)") {
        assert_lt_felt(before.total_value + 2 ** 130, 2 ** 130);
    }
    // Maximal ratio: one collateral unit less for the deleveraged would lower its TV/TR:
    // (tv1 − 1)·tr0 < tv0·tr1, shifted by 2^224 to compare as unsigned.
    let (code, after) = position_status(ctx.config, market, updated_d);
    local after: Status = after;
    with_attr error_message("DELEVERAGE: deleveraged") {
        assert_success(code);
    }
    with_attr error_message("DELEVERAGE: unfair deleverage") {
        assert_lt_felt(
            2 ** 224 + (after.total_value - FXP_32_ONE) * before.total_risk,
            2 ** 224 + before.total_value * after.total_risk,
        );
    }
    return ();
}
