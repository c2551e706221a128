// The vaults and orders as Cairo dicts. A vault's stored value is read by a hint and every change
// is recorded with dict_update, so squash_dict at the end proves each transaction read what the
// previous one wrote, and the Merkle updates prove the first reads match the previous roots.
from starkware.cairo.common.alloc import alloc
from starkware.cairo.common.dict import dict_update
from starkware.cairo.common.dict_access import DictAccess
from starkware.cairo.common.math import assert_nn_le
from starkware.cairo.common.math_cmp import is_nn_le

from spot.constants import BALANCE_BOUND, ROLLUP_VAULT_BIT
from spot.objects import BatchContext, Vault

func vaults_dict_new() -> DictAccess* {
    %{
        if '__dict_manager' not in globals():
            from starkware.cairo.common.dict import DictManager
            __dict_manager = DictManager()
        from starkware.cairo.common.dict import DictTracker
        _base = segments.add()
        __dict_manager.trackers[_base.segment_index] = DictTracker(
            data=_LazyVaults(), current_ptr=_base)
        memory[ap] = _base
    %}
    ap += 1;
    return cast([ap - 1], DictAccess*);
}

func orders_dict_new() -> DictAccess* {
    %{
        if '__dict_manager' not in globals():
            from starkware.cairo.common.dict import DictManager
            __dict_manager = DictManager()
        from collections import defaultdict
        from starkware.cairo.common.dict import DictTracker
        _base = segments.add()
        _orders = defaultdict(int)
        _orders.update({int(k): _felt(v) for k, v in program_input["previous_state"]["orders"].items()})
        __dict_manager.trackers[_base.segment_index] = DictTracker(data=_orders, current_ptr=_base)
        memory[ap] = _base
    %}
    ap += 1;
    return cast([ap - 1], DictAccess*);
}

// A validium id is below 2^validium height; a rollup id is 2^63 plus an index below 2^rollup
// height. Returns 1 for a rollup id.
func check_vault_id{range_check_ptr}(ctx: BatchContext*, vault_id) -> felt {
    let validium = is_nn_le(vault_id, ctx.validium_vault_bound - 1);
    if (validium != 0) {
        return 0;
    }
    with_attr error_message("vault_id") {
        assert_nn_le(vault_id - ROLLUP_VAULT_BIT, ctx.rollup_vault_bound - 1);
    }
    return 1;
}

func load_vault{vaults_dict: DictAccess*}(vault_id) -> Vault* {
    alloc_locals;
    local stored: Vault*;
    %{ ids.stored = __dict_manager.get_dict(ids.vaults_dict)[ids.vault_id] %}
    return stored;
}

func store_vault{vaults_dict: DictAccess*}(vault_id, stored: Vault*, updated: Vault*) {
    dict_update{dict_ptr=vaults_dict}(
        key=vault_id, prev_value=cast(stored, felt), new_value=cast(updated, felt)
    );
    return ();
}

// A vault as stored: an empty one is (0, 0, 0).
func make_vault(stark_key, asset_id, balance) -> Vault* {
    let (vault: Vault*) = alloc();
    if (balance == 0) {
        assert vault.stark_key = 0;
        assert vault.asset_id = 0;
        assert vault.balance = 0;
        return vault;
    }
    assert vault.stark_key = stark_key;
    assert vault.asset_id = asset_id;
    assert vault.balance = balance;
    return vault;
}

// Adds diff to the vault of (stark_key, asset_id); an empty vault takes any key and asset.
// The stored balance is range-checked where the squashed first read is hashed (finalize), so
// stored.balance + diff is an integer sum and the bound below is between integers.
func update_vault{range_check_ptr, vaults_dict: DictAccess*}(
    ctx: BatchContext*, vault_id, stark_key, asset_id, diff
) -> Vault* {
    alloc_locals;
    check_vault_id(ctx, vault_id);
    let stored = load_vault(vault_id);
    if (stored.balance != 0) {
        with_attr error_message("vault_owner") {
            assert stored.stark_key = stark_key;
            assert stored.asset_id = asset_id;
        }
    }
    local balance = stored.balance + diff;
    with_attr error_message("balance_bound") {
        assert_nn_le(balance, BALANCE_BOUND - 1);
    }
    let updated = make_vault(stark_key, asset_id, balance);
    store_vault(vault_id, stored, updated);
    return stored;
}

// A limit order's filled amount grows by `amount`, up to `limit` (its amount_sell).
func fill_limit_order{range_check_ptr, orders_dict: DictAccess*}(order_id, amount, limit) {
    alloc_locals;
    local filled;
    %{ ids.filled = _filled(__dict_manager.get_dict(ids.orders_dict), ids.order_id) %}
    with_attr error_message("order_overfill") {
        assert_nn_le(filled + amount, limit);
    }
    dict_update{dict_ptr=orders_dict}(key=order_id, prev_value=filled, new_value=filled + amount);
    return ();
}

// A transfer's leaf goes from 0 to its amount (StarkEx's replay protection).
func fill_transfer{orders_dict: DictAccess*}(order_id, amount) {
    alloc_locals;
    local filled;
    %{ ids.filled = _filled(__dict_manager.get_dict(ids.orders_dict), ids.order_id) %}
    with_attr error_message("transfer_replay") {
        assert filled = 0;
    }
    dict_update{dict_ptr=orders_dict}(key=order_id, prev_value=0, new_value=amount);
    return ();
}
