// FORCED_WITHDRAWAL and FORCED_TRADE: requests registered on L1 that the batch must serve. The
// operator marks each valid or invalid and the program proves that mark either way: the update
// path returns an error code instead of failing, so any request L1 accepts is provable as one or
// the other. A valid one is executed; an invalid one leaves its positions as they were. Both are
// listed in the forced actions, so L1 can clear the request.
from starkware.cairo.common.dict_access import DictAccess
from starkware.cairo.common.math import assert_not_equal

from perpetual.constants import MODIFICATION_BIAS, SUCCESS
from perpetual.messages import assert_amount
from perpetual.objects import BatchContext, Market, Position
from perpetual.state import load_position, store_position
from perpetual.update import (
    USER_KEY,
    WITH_SYNTHETIC,
    Change,
    try_update,
    update_collateral,
)

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

func assert_bool(value) {
    assert value * (value - 1) = 0;
    return ();
}

// 1 if code is SUCCESS, else 0.
func is_success(code) -> felt {
    if (code == SUCCESS) {
        return 1;
    }
    return 0;
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
    let code = update_collateral(ctx, market, tx.position_id, tx.public_key, -tx.amount);
    let valid = is_success(code);
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
        return ();
    }
    assert modifications[0] = tx.public_key;
    assert modifications[1] = tx.position_id;
    assert modifications[2] = MODIFICATION_BIAS - tx.amount;
    let modifications = modifications + 3;
    return ();
}

// Tries one party's side of a forced trade. (code, stored, updated).
func try_party{range_check_ptr, positions_dict: DictAccess*}(
    ctx: BatchContext*, market: Market*, position_id, public_key, collateral_delta, asset_id, synthetic_delta
) -> (code: felt, stored: Position*, updated: Position*) {
    alloc_locals;
    let stored = load_position(position_id);
    tempvar change = new Change(
        requester=USER_KEY,
        public_key=public_key,
        collateral_delta=collateral_delta,
        synthetic=WITH_SYNTHETIC,
        asset_id=asset_id,
        synthetic_delta=synthetic_delta,
    );
    let (code, _, updated) = try_update(ctx, market, stored, change);
    return (code=code, stored=stored, updated=updated);
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
    let (code_a, stored_a, updated_a) = try_party(
        ctx,
        market,
        tx.position_id_party_a,
        tx.public_key_party_a,
        -sign * tx.amount_collateral,
        tx.synthetic_asset_id,
        sign * tx.amount_synthetic,
    );
    local code_a = code_a;
    local stored_a: Position* = stored_a;
    local updated_a: Position* = updated_a;
    let (code_b, stored_b, updated_b) = try_party(
        ctx,
        market,
        tx.position_id_party_b,
        tx.public_key_party_b,
        sign * tx.amount_collateral,
        tx.synthetic_asset_id,
        -sign * tx.amount_synthetic,
    );
    local stored_b: Position* = stored_b;
    local updated_b: Position* = updated_b;
    let valid_a = is_success(code_a);
    let valid_b = is_success(code_b);
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
        store_position(tx.position_id_party_a, stored_a, stored_a);
        store_position(tx.position_id_party_b, stored_b, stored_b);
        return ();
    }
    store_position(tx.position_id_party_a, stored_a, updated_a);
    store_position(tx.position_id_party_b, stored_b, updated_b);
    return ();
}
