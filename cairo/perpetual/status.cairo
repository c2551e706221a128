// Total value and total risk of a position, and the rule every position change must pass:
// after the change the position is well leveraged (TV ≥ TR), or it got smaller in every synthetic
// and its TV/TR ratio did not decrease.
from starkware.cairo.common.find_element import find_element, search_sorted
from starkware.cairo.common.math import abs_value, assert_le, assert_le_felt, assert_nn_le
from starkware.cairo.common.math_cmp import is_le, is_le_felt

from perpetual.constants import FXP_32_ONE, TOTAL_RISK_BOUND, TOTAL_VALUE_BOUND
from perpetual.objects import AssetValue, GeneralConfig, Market, Position, PositionAsset, SyntheticAsset

struct Status {
    total_value: felt,  // signed, fixed point 2^32 = 1 collateral unit
    total_risk: felt,  // unsigned, fixed point 2^64 = 1 collateral unit
}

func status_inner{range_check_ptr}(
    config: GeneralConfig*, market: Market*, assets: PositionAsset*, n_assets, tv, tr
) -> Status {
    alloc_locals;
    if (n_assets == 0) {
        return (Status(total_value=tv, total_risk=tr));
    }
    with_attr error_message("no oracle price for synthetic asset") {
        let (price: AssetValue*) = find_element(
            array_ptr=market.prices, elm_size=AssetValue.SIZE, n_elms=market.n_prices, key=assets.asset_id
        );
    }
    with_attr error_message("synthetic asset not in the general config") {
        let (info: SyntheticAsset*) = find_element(
            array_ptr=config.synthetics,
            elm_size=SyntheticAsset.SIZE,
            n_elms=config.n_synthetics,
            key=assets.asset_id,
        );
    }
    local value = assets.balance * price.value;
    let magnitude = abs_value(value);
    return status_inner(
        config,
        market,
        assets + PositionAsset.SIZE,
        n_assets - 1,
        tv + value,
        tr + magnitude * info.risk_factor,
    );
}

func position_status{range_check_ptr}(
    config: GeneralConfig*, market: Market*, position: Position*
) -> Status {
    alloc_locals;
    let status = status_inner(
        config, market, position.assets, position.n_assets, position.collateral_balance * FXP_32_ONE, 0
    );
    local status: Status = status;
    with_attr error_message("total value out of range") {
        assert_nn_le(
            status.total_value + TOTAL_VALUE_BOUND * FXP_32_ONE,
            2 * TOTAL_VALUE_BOUND * FXP_32_ONE - 1,
        );
    }
    with_attr error_message("total risk out of range") {
        assert_le(status.total_risk, TOTAL_RISK_BOUND * FXP_32_ONE * FXP_32_ONE - 1);
    }
    return status;
}

// Each synthetic of `updated` is held in `initial` with the same sign and at least the same size.
func assert_smaller_holdings{range_check_ptr}(
    updated: PositionAsset*, n_updated, initial: PositionAsset*, n_initial
) {
    alloc_locals;
    if (n_updated == 0) {
        return ();
    }
    let (before: PositionAsset*, found) = search_sorted(
        array_ptr=initial, elm_size=PositionAsset.SIZE, n_elms=n_initial, key=updated.asset_id
    );
    assert found = 1;
    // new/old in (0, 1]: new·old > 0 and |new| ≤ |old|.
    let new_abs = abs_value(updated.balance);
    let old_abs = abs_value(before.balance);
    assert_le(new_abs, old_abs);
    assert_le(1, updated.balance * before.balance);
    return assert_smaller_holdings(
        updated + PositionAsset.SIZE, n_updated - 1, initial, n_initial
    );
}

func assert_valid_transition{range_check_ptr}(
    config: GeneralConfig*, market: Market*, initial: Position*, updated: Position*
) {
    alloc_locals;
    let new_status = position_status(config, market, updated);
    // Both sides are < 2^128 after the shift: TV·2^32 < 2^127, TR < 2^128.
    let well_leveraged = is_le_felt(
        new_status.total_risk + 2 ** 130, new_status.total_value * FXP_32_ONE + 2 ** 130
    );
    if (well_leveraged != 0) {
        return ();
    }
    let old_status = position_status(config, market, initial);
    with_attr error_message("not well leveraged and a synthetic balance grew in absolute value") {
        assert_smaller_holdings(updated.assets, updated.n_assets, initial.assets, initial.n_assets);
    }
    // tv0/tr0 ≤ tv1/tr1 ⇔ tv0·tr1 ≤ tv1·tr0; |tv·tr| < 2^95·2^128, shifted by 2^224 to compare
    // as unsigned.
    with_attr error_message("not well leveraged and TV/TR decreased") {
        assert_le_felt(
            2 ** 224 + old_status.total_value * new_status.total_risk,
            2 ** 224 + new_status.total_value * old_status.total_risk,
        );
    }
    // With no risk the ratio is undefined: the value itself must not decrease.
    if (old_status.total_risk == 0) {
        with_attr error_message("not well leveraged and total value decreased") {
            assert_le_felt(
                2 ** 130 + old_status.total_value, 2 ** 130 + new_status.total_value
            );
        }
        return ();
    }
    return ();
}

func is_smaller_holdings{range_check_ptr}(
    updated: PositionAsset*, n_updated, initial: PositionAsset*, n_initial
) -> felt {
    alloc_locals;
    if (n_updated == 0) {
        return 1;
    }
    let (before: PositionAsset*, found) = search_sorted(
        array_ptr=initial, elm_size=PositionAsset.SIZE, n_elms=n_initial, key=updated.asset_id
    );
    if (found == 0) {
        return 0;
    }
    let new_abs = abs_value(updated.balance);
    let old_abs = abs_value(before.balance);
    let not_larger = is_le(new_abs, old_abs);
    // Same sign: the product of two balances below 2^63 in size is positive.
    let same_sign = is_le_felt(2 ** 130 + 1, 2 ** 130 + updated.balance * before.balance);
    if (not_larger * same_sign == 0) {
        return 0;
    }
    return is_smaller_holdings(updated + PositionAsset.SIZE, n_updated - 1, initial, n_initial);
}

// The rule of assert_valid_transition as a 0/1 answer, for forced actions that the operator
// may prove invalid.
func is_valid_transition{range_check_ptr}(
    config: GeneralConfig*, market: Market*, initial: Position*, updated: Position*
) -> felt {
    alloc_locals;
    let new_status = position_status(config, market, updated);
    let well_leveraged = is_le_felt(
        new_status.total_risk + 2 ** 130, new_status.total_value * FXP_32_ONE + 2 ** 130
    );
    if (well_leveraged != 0) {
        return 1;
    }
    let old_status = position_status(config, market, initial);
    let smaller = is_smaller_holdings(
        updated.assets, updated.n_assets, initial.assets, initial.n_assets
    );
    if (smaller == 0) {
        return 0;
    }
    let ratio_kept = is_le_felt(
        2 ** 224 + old_status.total_value * new_status.total_risk,
        2 ** 224 + new_status.total_value * old_status.total_risk,
    );
    if (ratio_kept == 0) {
        return 0;
    }
    if (old_status.total_risk == 0) {
        let value_kept = is_le_felt(
            2 ** 130 + old_status.total_value, 2 ** 130 + new_status.total_value
        );
        return value_kept;
    }
    return 1;
}
