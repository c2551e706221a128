// Total value and total risk of a position, and the rule every position change must pass:
// after the change the position is well leveraged (TV ≥ TR), or it got smaller in every synthetic
// and its TV/TR ratio did not decrease. Both return an error code (constants.cairo) instead of
// failing, so a forced action breaking them is provably invalid.
from starkware.cairo.common.math import abs_value
from starkware.cairo.common.math_cmp import is_le, is_le_felt, is_nn_le

from perpetual.constants import (
    FXP_32_ONE,
    ILLEGAL_POSITION_TRANSITION_ENLARGING_SYNTHETIC_HOLDINGS,
    ILLEGAL_POSITION_TRANSITION_NO_RISK_REDUCED_VALUE,
    ILLEGAL_POSITION_TRANSITION_REDUCING_TOTAL_VALUE_RISK_RATIO,
    MISSING_ORACLE_PRICE,
    MISSING_SYNTHETIC_ASSET_ID,
    OUT_OF_RANGE_TOTAL_RISK,
    OUT_OF_RANGE_TOTAL_VALUE,
    SUCCESS,
    TOTAL_RISK_BOUND,
    TOTAL_VALUE_BOUND,
)
from perpetual.lookup import find_sorted
from perpetual.objects import AssetValue, GeneralConfig, Market, Position, PositionAsset, SyntheticAsset

struct Status {
    total_value: felt,  // signed, fixed point 2^32 = 1 collateral unit
    total_risk: felt,  // unsigned, fixed point 2^64 = 1 collateral unit
}

// Each term: |balance·price| < 2^63·2^64 and risk factor < 2^32 (config.cairo), so with at most
// 2^16 assets the sums stay far below P/2 and the bound checks below are exact.
func status_inner{range_check_ptr}(
    config: GeneralConfig*, market: Market*, assets: PositionAsset*, n_assets, tv, tr
) -> (code: felt, status: Status) {
    alloc_locals;
    if (n_assets == 0) {
        return (code=SUCCESS, status=Status(total_value=tv, total_risk=tr));
    }
    let (price: AssetValue*, has_price) = find_sorted(
        array=market.prices, elm_size=AssetValue.SIZE, n_elms=market.n_prices, key=assets.asset_id
    );
    if (has_price == 0) {
        return (code=MISSING_ORACLE_PRICE, status=Status(total_value=0, total_risk=0));
    }
    let (info: SyntheticAsset*, listed) = find_sorted(
        array=config.synthetics,
        elm_size=SyntheticAsset.SIZE,
        n_elms=config.n_synthetics,
        key=assets.asset_id,
    );
    if (listed == 0) {
        return (code=MISSING_SYNTHETIC_ASSET_ID, status=Status(total_value=0, total_risk=0));
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

// (code, status): OUT_OF_RANGE_TOTAL_VALUE unless TV ∈ [-2^95, 2^95), OUT_OF_RANGE_TOTAL_RISK
// unless TR < 2^128 (StarkEx's bounds, in their fixed points).
func position_status{range_check_ptr}(
    config: GeneralConfig*, market: Market*, position: Position*
) -> (code: felt, status: Status) {
    alloc_locals;
    let (code, status) = status_inner(
        config, market, position.assets, position.n_assets, position.collateral_balance * FXP_32_ONE, 0
    );
    if (code != SUCCESS) {
        return (code=code, status=status);
    }
    local status: Status = status;
    // is_nn_le is exact for any field element (cairo-lang's is_nn falls back to a felt
    // comparison outside ±2^128), and the sums may reach 2^134 for extreme positions.
    let tv_in_range = is_nn_le(
        status.total_value + TOTAL_VALUE_BOUND * FXP_32_ONE, 2 * TOTAL_VALUE_BOUND * FXP_32_ONE - 1
    );
    if (tv_in_range == 0) {
        return (code=OUT_OF_RANGE_TOTAL_VALUE, status=status);
    }
    let tr_in_range = is_nn_le(status.total_risk, TOTAL_RISK_BOUND * FXP_32_ONE * FXP_32_ONE - 1);
    if (tr_in_range == 0) {
        return (code=OUT_OF_RANGE_TOTAL_RISK, status=status);
    }
    return (code=SUCCESS, status=status);
}

// TR ≤ TV·2^32, for statuses in range (|TV·2^32 − TR| < 2^129: is_le is exact).
func is_well_leveraged{range_check_ptr}(status: Status) -> felt {
    return is_le(status.total_risk, status.total_value * FXP_32_ONE);
}

// 1 if each synthetic of `updated` is held in `initial` with the same sign and at least the same
// size (balances in range, so |balance| and the products stay below 2^128).
func is_smaller_holdings{range_check_ptr}(
    updated: PositionAsset*, n_updated, initial: PositionAsset*, n_initial
) -> felt {
    alloc_locals;
    if (n_updated == 0) {
        return 1;
    }
    let (before: PositionAsset*, found) = find_sorted(
        array=initial, elm_size=PositionAsset.SIZE, n_elms=n_initial, key=updated.asset_id
    );
    if (found == 0) {
        return 0;
    }
    let new_abs = abs_value(updated.balance);
    let old_abs = abs_value(before.balance);
    let not_larger = is_le(new_abs, old_abs);
    // Same sign: the product of two balances below 2^63 in size is positive.
    let same_sign = is_le(1, updated.balance * before.balance);
    if (not_larger * same_sign == 0) {
        return 0;
    }
    return is_smaller_holdings(updated + PositionAsset.SIZE, n_updated - 1, initial, n_initial);
}

// SUCCESS if `updated` may follow `initial` (offchain/perpetual/rules.py,
// check_valid_transition, in the same order), else the broken rule's code.
func check_transition{range_check_ptr}(
    config: GeneralConfig*, market: Market*, initial: Position*, updated: Position*
) -> felt {
    alloc_locals;
    let (code, new_status) = position_status(config, market, updated);
    if (code != SUCCESS) {
        return code;
    }
    local new_status: Status = new_status;
    let well_leveraged = is_well_leveraged(new_status);
    if (well_leveraged != 0) {
        return SUCCESS;
    }
    let (code, old_status) = position_status(config, market, initial);
    if (code != SUCCESS) {
        return code;
    }
    local old_status: Status = old_status;
    let smaller = is_smaller_holdings(
        updated.assets, updated.n_assets, initial.assets, initial.n_assets
    );
    if (smaller == 0) {
        return ILLEGAL_POSITION_TRANSITION_ENLARGING_SYNTHETIC_HOLDINGS;
    }
    // tv0/tr0 ≤ tv1/tr1 ⇔ tv0·tr1 ≤ tv1·tr0; |tv·tr| < 2^95·2^128, shifted by 2^224 to compare
    // as unsigned.
    let ratio_kept = is_le_felt(
        2 ** 224 + old_status.total_value * new_status.total_risk,
        2 ** 224 + new_status.total_value * old_status.total_risk,
    );
    if (ratio_kept == 0) {
        return ILLEGAL_POSITION_TRANSITION_REDUCING_TOTAL_VALUE_RISK_RATIO;
    }
    // With no risk the ratio is undefined: the value itself must not decrease.
    if (old_status.total_risk == 0) {
        let value_kept = is_le(old_status.total_value, new_status.total_value);
        if (value_kept == 0) {
            return ILLEGAL_POSITION_TRANSITION_NO_RISK_REDUCED_VALUE;
        }
        return SUCCESS;
    }
    return SUCCESS;
}
