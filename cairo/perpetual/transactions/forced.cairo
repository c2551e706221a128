// FORCED_WITHDRAWAL and FORCED_TRADE: requests registered on L1 that the batch must serve. The
// operator marks each valid or invalid and the program proves that mark either way: a valid one
// is executed, an invalid one provably fails its rules and only pays the position's funding.
// Both are listed in the forced actions, so L1 can clear the request.
from starkware.cairo.common.dict_access import DictAccess
from starkware.cairo.common.find_element import search_sorted
from starkware.cairo.common.math import assert_not_equal
from starkware.cairo.common.math_cmp import is_nn_le

from perpetual.constants import BALANCE_BOUND, MODIFICATION_BIAS
from perpetual.messages import assert_amount
from perpetual.objects import AssetValue, BatchContext, Market, Position, SyntheticAsset
from perpetual.position import position_add_collateral, position_add_synthetic, position_balance_of
from perpetual.state import store_position
from perpetual.status import is_valid_transition
from perpetual.transactions.common import touch_position

const FORCED_WITHDRAWAL_ACTION = 0;
const FORCED_TRADE_ACTION = 1;

struct ForcedWithdrawalTx {
    position_id: felt,
    public_key: felt,
    amount: felt,
    is_valid: felt,
}

struct ForcedTradeTx {
    public_key_party_a: felt,
    public_key_party_b: felt,
    position_id_party_a: felt,
    position_id_party_b: felt,
    synthetic_asset_id: felt,
    amount_collateral: felt,
    amount_synthetic: felt,
    is_party_a_buying_synthetic: felt,
    nonce: felt,
    is_valid: felt,
}

func is_balance_in_range{range_check_ptr}(balance) -> felt {
    return is_nn_le(balance + BALANCE_BOUND - 1, 2 * BALANCE_BOUND - 2);
}

func is_owner(position: Position*, public_key) -> felt {
    if (position.public_key == 0) {
        return 1;
    }
    if (position.public_key == public_key) {
        return 1;
    }
    return 0;
}

func with_owner(position: Position*, public_key) -> Position* {
    tempvar owned = new Position(
        public_key=public_key,
        collateral_balance=position.collateral_balance,
        n_assets=position.n_assets,
        assets=position.assets,
    );
    return owned;
}

// Tries (collateral_delta, synthetic_delta) on a funded position for `public_key`. Returns
// (1, updated) if every rule holds, else (0, funded); never fails on a broken rule.
func try_update{range_check_ptr}(
    ctx: BatchContext*,
    market: Market*,
    funded: Position*,
    public_key,
    collateral_delta,
    asset_id,
    synthetic_delta,
) -> (valid: felt, position: Position*) {
    alloc_locals;
    let owner_ok = is_owner(funded, public_key);
    if (owner_ok == 0) {
        return (valid=0, position=funded);
    }
    let collateral_ok = is_balance_in_range(funded.collateral_balance + collateral_delta);
    if (collateral_ok == 0) {
        return (valid=0, position=funded);
    }
    let owned = with_owner(funded, public_key);
    let with_collateral = position_add_collateral(owned, collateral_delta);
    // asset_id 0: no synthetic involved (a withdrawal).
    if (asset_id == 0) {
        let valid = is_valid_transition(ctx.config, market, funded, with_collateral);
        return (valid=valid, position=with_collateral);
    }
    let (_, tradable) = search_sorted(
        array_ptr=ctx.config.synthetics, elm_size=SyntheticAsset.SIZE, n_elms=ctx.config.n_synthetics, key=asset_id
    );
    let (_, has_price) = search_sorted(
        array_ptr=market.prices, elm_size=AssetValue.SIZE, n_elms=market.n_prices, key=asset_id
    );
    let (_, has_funding) = search_sorted(
        array_ptr=market.funding_indices,
        elm_size=AssetValue.SIZE,
        n_elms=market.n_funding_indices,
        key=asset_id,
    );
    if (tradable * has_price * has_funding == 0) {
        return (valid=0, position=funded);
    }
    let balance = position_balance_of(funded, asset_id);
    let synthetic_ok = is_balance_in_range(balance + synthetic_delta);
    if (synthetic_ok == 0) {
        return (valid=0, position=funded);
    }
    let updated = position_add_synthetic(market, with_collateral, asset_id, synthetic_delta);
    let valid = is_valid_transition(ctx.config, market, funded, updated);
    return (valid=valid, position=updated);
}

func assert_bool(value) {
    assert value * (value - 1) = 0;
    return ();
}

func execute_forced_withdrawal{
    range_check_ptr,
    positions_dict: DictAccess*,
    modifications: felt*,
    forced_actions: felt*,
    n_forced_actions,
}(ctx: BatchContext*, market: Market*) {
    alloc_locals;
    local tx: ForcedWithdrawalTx;
    %{ _load_tx(ids.tx, tx, ["position_id", "public_key", "amount", "is_valid"]) %}
    with_attr error_message("FORCED_WITHDRAWAL: amount out of range") {
        assert_amount(tx.amount);
        assert_bool(tx.is_valid);
    }
    let (stored, funded) = touch_position(market, tx.position_id);
    let (valid, updated) = try_update(ctx, market, funded, tx.public_key, -tx.amount, 0, 0);
    with_attr error_message("FORCED_WITHDRAWAL: validity mark does not match the rules") {
        assert valid = tx.is_valid;
    }
    assert forced_actions[0] = FORCED_WITHDRAWAL_ACTION;
    assert forced_actions[1] = tx.public_key;
    assert forced_actions[2] = tx.position_id;
    assert forced_actions[3] = tx.amount;
    let forced_actions = forced_actions + 4;
    let n_forced_actions = n_forced_actions + 1;
    if (valid == 0) {
        store_position(tx.position_id, stored, funded);
        return ();
    }
    store_position(tx.position_id, stored, updated);
    assert modifications[0] = tx.public_key;
    assert modifications[1] = tx.position_id;
    assert modifications[2] = MODIFICATION_BIAS - tx.amount;
    let modifications = modifications + 3;
    return ();
}

func execute_forced_trade{
    range_check_ptr, positions_dict: DictAccess*, forced_actions: felt*, n_forced_actions
}(ctx: BatchContext*, market: Market*) {
    alloc_locals;
    local tx: ForcedTradeTx;
    %{
        _load_tx(ids.tx, tx, ["public_key_party_a", "public_key_party_b", "position_id_party_a",
                              "position_id_party_b", "synthetic_asset_id", "amount_collateral",
                              "amount_synthetic", "is_party_a_buying_synthetic", "nonce",
                              "is_valid"])
    %}
    with_attr error_message("FORCED_TRADE: amount out of range") {
        assert_amount(tx.amount_collateral);
        assert_amount(tx.amount_synthetic);
        assert_bool(tx.is_valid);
        assert_bool(tx.is_party_a_buying_synthetic);
    }
    with_attr error_message("FORCED_TRADE: both parties are the same position") {
        assert_not_equal(tx.position_id_party_a, tx.position_id_party_b);
    }
    // Party a gives collateral and gets synthetic when it buys, and the reverse when it sells.
    local sign = 2 * tx.is_party_a_buying_synthetic - 1;
    let (stored_a, funded_a) = touch_position(market, tx.position_id_party_a);
    let (valid_a, updated_a) = try_update(
        ctx,
        market,
        funded_a,
        tx.public_key_party_a,
        -sign * tx.amount_collateral,
        tx.synthetic_asset_id,
        sign * tx.amount_synthetic,
    );
    local valid_a = valid_a;
    local updated_a: Position* = updated_a;
    let (stored_b, funded_b) = touch_position(market, tx.position_id_party_b);
    let (valid_b, updated_b) = try_update(
        ctx,
        market,
        funded_b,
        tx.public_key_party_b,
        sign * tx.amount_collateral,
        tx.synthetic_asset_id,
        -sign * tx.amount_synthetic,
    );
    local valid = valid_a * valid_b;
    with_attr error_message("FORCED_TRADE: validity mark does not match the rules") {
        assert valid = tx.is_valid;
    }
    assert forced_actions[0] = FORCED_TRADE_ACTION;
    assert forced_actions[1] = tx.public_key_party_a;
    assert forced_actions[2] = tx.public_key_party_b;
    assert forced_actions[3] = tx.position_id_party_a;
    assert forced_actions[4] = tx.position_id_party_b;
    assert forced_actions[5] = tx.synthetic_asset_id;
    assert forced_actions[6] = tx.amount_collateral;
    assert forced_actions[7] = tx.amount_synthetic;
    assert forced_actions[8] = tx.is_party_a_buying_synthetic;
    assert forced_actions[9] = tx.nonce;
    let forced_actions = forced_actions + 10;
    let n_forced_actions = n_forced_actions + 1;
    if (valid == 0) {
        store_position(tx.position_id_party_a, stored_a, funded_a);
        store_position(tx.position_id_party_b, stored_b, funded_b);
        return ();
    }
    store_position(tx.position_id_party_a, stored_a, updated_a);
    store_position(tx.position_id_party_b, stored_b, updated_b);
    return ();
}
