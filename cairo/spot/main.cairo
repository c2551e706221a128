// StarkEx Spot batch validation: executes the batch's transactions against the previous vaults
// and orders, failing with the broken rule's name, and writes the batch statement
// (docs/spot/program-output.md) from the program input (docs/spot/batch-input.md).
%builtins output pedersen range_check ecdsa

from starkware.cairo.common.alloc import alloc
from starkware.cairo.common.cairo_builtins import HashBuiltin, SignatureBuiltin
from starkware.cairo.common.dict_access import DictAccess
from starkware.cairo.common.math import assert_nn_le
from starkware.cairo.common.memcpy import memcpy
from starkware.cairo.common.pow import pow
from starkware.cairo.common.registers import get_fp_and_pc

from common.dicts import Roots
from spot.constants import (
    EXPIRATION_BOUND,
    MAX_VAULT_TREE_HEIGHT,
    ORDER_TREE_HEIGHT,
    TX_CONDITIONAL_TRANSFER,
    TX_DEPOSIT,
    TX_FALSE_FULL_WITHDRAWAL,
    TX_FULL_WITHDRAWAL,
    TX_SETTLEMENT,
    TX_TRANSFER,
    TX_WITHDRAWAL,
)
from spot.finalize import VaultRoots, finalize_orders, finalize_vaults
from spot.hints import define_hint_helpers
from spot.objects import BatchContext, Config
from spot.onchain import write_onchain_data
from spot.transactions import (
    execute_false_full_withdrawal,
    execute_full_withdrawal,
    execute_modification,
    execute_settlement,
    execute_transfer,
)
from spot.vaults import orders_dict_new, vaults_dict_new

func execute_transaction{
    pedersen_ptr: HashBuiltin*,
    range_check_ptr,
    ecdsa_ptr: SignatureBuiltin*,
    vaults_dict: DictAccess*,
    orders_dict: DictAccess*,
    modifications: felt*,
    conditions: felt*,
}(ctx: BatchContext*, index) {
    alloc_locals;
    local tx_type;
    %{
        tx = program_input["transactions"][ids.index]
        ids.tx_type = _tx_type(tx)
    %}
    if (tx_type == TX_DEPOSIT) {
        execute_modification(ctx, 1);
        return ();
    }
    if (tx_type == TX_WITHDRAWAL) {
        execute_modification(ctx, -1);
        return ();
    }
    if (tx_type == TX_SETTLEMENT) {
        execute_settlement(ctx);
        return ();
    }
    if (tx_type == TX_TRANSFER) {
        execute_transfer(ctx, 0);
        return ();
    }
    if (tx_type == TX_CONDITIONAL_TRANSFER) {
        execute_transfer(ctx, 1);
        return ();
    }
    if (tx_type == TX_FULL_WITHDRAWAL) {
        execute_full_withdrawal(ctx);
        return ();
    }
    if (tx_type == TX_FALSE_FULL_WITHDRAWAL) {
        execute_false_full_withdrawal(ctx);
        return ();
    }
    with_attr error_message("transaction_type") {
        assert 1 = 0;
    }
    return ();
}

func execute_transactions{
    pedersen_ptr: HashBuiltin*,
    range_check_ptr,
    ecdsa_ptr: SignatureBuiltin*,
    vaults_dict: DictAccess*,
    orders_dict: DictAccess*,
    modifications: felt*,
    conditions: felt*,
}(ctx: BatchContext*, index, n_transactions) {
    if (index == n_transactions) {
        return ();
    }
    execute_transaction(ctx, index);
    return execute_transactions(ctx, index + 1, n_transactions);
}

func check_config{range_check_ptr}(config: Config*) {
    with_attr error_message("config_height") {
        assert_nn_le(config.validium_vault_tree_height - 1, MAX_VAULT_TREE_HEIGHT - 1);
        assert_nn_le(config.rollup_vault_tree_height - 1, MAX_VAULT_TREE_HEIGHT - 1);
        assert config.order_tree_height = ORDER_TREE_HEIGHT;
        let minting = config.unique_minting_enforced;
        assert minting * minting = minting;
    }
    return ();
}

func main{
    output_ptr: felt*, pedersen_ptr: HashBuiltin*, range_check_ptr, ecdsa_ptr: SignatureBuiltin*
}() {
    alloc_locals;
    define_hint_helpers();
    local config: Config;
    local global_expiration_timestamp;
    local n_transactions;
    %{
        _load(ids.config, program_input["general_config"], [
            "validium_vault_tree_height", "rollup_vault_tree_height", "order_tree_height",
            "unique_minting_enforced"])
        ids.global_expiration_timestamp = _felt(program_input["global_expiration_timestamp"])
        ids.n_transactions = len(program_input["transactions"])
    %}
    let (__fp__, _) = get_fp_and_pc();
    check_config(&config);
    // Expirations are compared with it as integers below 2^22 (L1 bounds it the same way).
    with_attr error_message("expiration_bound") {
        assert_nn_le(global_expiration_timestamp, EXPIRATION_BOUND - 1);
    }
    let (validium_bound) = pow(2, config.validium_vault_tree_height);
    let (rollup_bound) = pow(2, config.rollup_vault_tree_height);
    local ctx: BatchContext = BatchContext(
        config=config,
        global_expiration_timestamp=global_expiration_timestamp,
        validium_vault_bound=validium_bound,
        rollup_vault_bound=rollup_bound,
    );

    let vaults_start = vaults_dict_new();
    let orders_start = orders_dict_new();
    let (local modifications_start: felt*) = alloc();
    let (local conditions_start: felt*) = alloc();
    let vaults_dict = vaults_start;
    let orders_dict = orders_start;
    let modifications = modifications_start;
    let conditions = conditions_start;
    with vaults_dict, orders_dict, modifications, conditions {
        execute_transactions(&ctx, 0, n_transactions);
    }
    local modifications_end: felt* = modifications;
    local conditions_end: felt* = conditions;
    local orders_end: DictAccess* = orders_dict;

    let vault_roots = finalize_vaults(&ctx, vaults_start, vaults_dict);
    local vault_roots: VaultRoots = vault_roots;
    let order_roots = finalize_orders(&ctx, orders_start, orders_end);
    local order_roots: Roots = order_roots;

    local n_modification_words = modifications_end - modifications_start;
    local n_conditions = conditions_end - conditions_start;
    assert output_ptr[0] = config.unique_minting_enforced;
    assert output_ptr[1] = vault_roots.validium.prev_root;
    assert output_ptr[2] = vault_roots.validium.new_root;
    assert output_ptr[3] = vault_roots.rollup.prev_root;
    assert output_ptr[4] = vault_roots.rollup.new_root;
    assert output_ptr[5] = order_roots.prev_root;
    assert output_ptr[6] = order_roots.new_root;
    assert output_ptr[7] = global_expiration_timestamp;
    assert output_ptr[8] = config.validium_vault_tree_height;
    assert output_ptr[9] = config.rollup_vault_tree_height;
    assert output_ptr[10] = config.order_tree_height;
    assert output_ptr[11] = n_modification_words / 3;
    assert output_ptr[12] = n_conditions;
    assert output_ptr[13] = 0;  // L1 vault updates
    assert output_ptr[14] = 0;  // L1 order messages
    memcpy(output_ptr + 15, modifications_start, n_modification_words);
    memcpy(output_ptr + 15 + n_modification_words, conditions_start, n_conditions);
    let output_ptr = output_ptr + 15 + n_modification_words + n_conditions;
    write_onchain_data(vault_roots.changes, (vault_roots.changes_end - vault_roots.changes) / 2);
    return ();
}
