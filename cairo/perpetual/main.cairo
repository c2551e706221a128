// StarkEx Perpetual batch validation: executes the batch's transactions against the previous
// state, failing on any broken rule, and writes the batch statement (docs/program-output.md).
%builtins output pedersen range_check ecdsa

from starkware.cairo.common.alloc import alloc
from starkware.cairo.common.cairo_builtins import HashBuiltin, SignatureBuiltin
from starkware.cairo.common.dict_access import DictAccess
from starkware.cairo.common.math import assert_nn_le
from starkware.cairo.common.memcpy import memcpy
from starkware.cairo.common.registers import get_fp_and_pc

from perpetual.config import check_config, check_market, general_config_hash, load_config, load_market
from perpetual.constants import (
    EXPIRATION_BOUND,
    TX_CONDITIONAL_TRANSFER,
    TX_DELEVERAGE,
    TX_DEPOSIT,
    TX_FORCED_TRADE,
    TX_FORCED_WITHDRAWAL,
    TX_FUNDING_TICK,
    TX_LIQUIDATE,
    TX_ORACLE_PRICES_TICK,
    TX_TRADE,
    TX_TRANSFER,
    TX_WITHDRAWAL,
)
from perpetual.finalize import Roots, finalize_orders, finalize_positions
from perpetual.hints import define_hint_helpers
from perpetual.objects import BatchContext, Market
from perpetual.output import write_array, write_asset_configs, write_shared_state
from perpetual.state import orders_dict_new, positions_dict_new
from perpetual.transactions.deposit import execute_deposit
from perpetual.transactions.liquidate import execute_deleverage, execute_liquidate
from perpetual.transactions.forced import execute_forced_trade, execute_forced_withdrawal
from perpetual.transactions.funding_tick import execute_funding_tick
from perpetual.transactions.oracle_prices_tick import execute_oracle_prices_tick
from perpetual.transactions.trade import execute_trade
from perpetual.transactions.transfer import execute_conditional_transfer, execute_transfer
from perpetual.transactions.withdrawal import execute_withdrawal

func execute_transaction{
    pedersen_ptr: HashBuiltin*,
    range_check_ptr,
    ecdsa_ptr: SignatureBuiltin*,
    positions_dict: DictAccess*,
    orders_dict: DictAccess*,
    modifications: felt*,
    forced_actions: felt*,
    n_forced_actions,
    conditions: felt*,
}(ctx: BatchContext*, market: Market*, index) -> Market* {
    alloc_locals;
    local tx_type;
    %{
        tx = program_input["transactions"][ids.index]
        ids.tx_type = _TX_TYPES.get(tx["type"], -1) % PRIME
    %}
    if (tx_type == TX_DEPOSIT) {
        execute_deposit(ctx, market);
        return market;
    }
    if (tx_type == TX_WITHDRAWAL) {
        execute_withdrawal(ctx, market);
        return market;
    }
    if (tx_type == TX_TRANSFER) {
        execute_transfer(ctx, market);
        return market;
    }
    if (tx_type == TX_TRADE) {
        execute_trade(ctx, market);
        return market;
    }
    if (tx_type == TX_FUNDING_TICK) {
        let new_market = execute_funding_tick(ctx, market);
        return new_market;
    }
    if (tx_type == TX_FORCED_WITHDRAWAL) {
        execute_forced_withdrawal(ctx, market);
        return market;
    }
    if (tx_type == TX_FORCED_TRADE) {
        execute_forced_trade(ctx, market);
        return market;
    }
    if (tx_type == TX_ORACLE_PRICES_TICK) {
        let new_market = execute_oracle_prices_tick(ctx, market);
        return new_market;
    }
    if (tx_type == TX_LIQUIDATE) {
        execute_liquidate(ctx, market);
        return market;
    }
    if (tx_type == TX_DELEVERAGE) {
        execute_deleverage(ctx, market);
        return market;
    }
    if (tx_type == TX_CONDITIONAL_TRANSFER) {
        execute_conditional_transfer(ctx, market);
        return market;
    }
    with_attr error_message("unsupported transaction type") {
        assert 1 = 0;
    }
    return market;
}

func execute_transactions{
    pedersen_ptr: HashBuiltin*,
    range_check_ptr,
    ecdsa_ptr: SignatureBuiltin*,
    positions_dict: DictAccess*,
    orders_dict: DictAccess*,
    modifications: felt*,
    forced_actions: felt*,
    n_forced_actions,
    conditions: felt*,
}(ctx: BatchContext*, market: Market*, index, n_transactions) -> Market* {
    if (index == n_transactions) {
        return market;
    }
    let market = execute_transaction(ctx, market, index);
    return execute_transactions(ctx, market, index + 1, n_transactions);
}

func main{
    output_ptr: felt*, pedersen_ptr: HashBuiltin*, range_check_ptr, ecdsa_ptr: SignatureBuiltin*
}() {
    alloc_locals;
    define_hint_helpers();
    let config = load_config();
    let prev_market = load_market();
    check_config(config);
    check_market(prev_market);
    local minimum_expiration_timestamp;
    local n_transactions;
    %{
        ids.minimum_expiration_timestamp = _felt(program_input["minimum_expiration_timestamp"])
        ids.n_transactions = len(program_input["transactions"])
    %}
    // Expirations are compared with it: as an integer below 2^32, not a field element (L1 bounds
    // it the same way).
    with_attr error_message("minimum expiration timestamp out of range [0, 2^32)") {
        assert_nn_le(minimum_expiration_timestamp, EXPIRATION_BOUND - 1);
    }
    local ctx: BatchContext = BatchContext(
        config=config, minimum_expiration_timestamp=minimum_expiration_timestamp
    );
    let (__fp__, _) = get_fp_and_pc();

    let positions_start = positions_dict_new();
    let orders_start = orders_dict_new();
    let (local modifications_start: felt*) = alloc();
    let (local forced_start: felt*) = alloc();
    let (local conditions_start: felt*) = alloc();
    let positions_dict = positions_start;
    let orders_dict = orders_start;
    let modifications = modifications_start;
    let forced_actions = forced_start;
    let n_forced_actions = 0;
    let conditions = conditions_start;
    with positions_dict, orders_dict, modifications, forced_actions, n_forced_actions, conditions {
        let new_market = execute_transactions(&ctx, prev_market, 0, n_transactions);
    }
    local new_market: Market* = new_market;
    local modifications_end: felt* = modifications;
    local forced_end: felt* = forced_actions;
    local n_forced = n_forced_actions;
    local conditions_end: felt* = conditions;

    let (local onchain_start: felt*) = alloc();
    let (positions_roots, onchain_end) = finalize_positions(
        positions_start, positions_dict, config.positions_height, onchain_start
    );
    local positions_roots: Roots = positions_roots;
    local onchain_end: felt* = onchain_end;
    let orders_roots = finalize_orders(orders_start, orders_dict, config.orders_height);
    local orders_roots: Roots = orders_roots;

    let config_hash = general_config_hash(config);
    assert output_ptr[0] = config_hash;
    assert output_ptr[1] = config.data_availability_mode;
    assert output_ptr[2] = config.n_synthetics;
    let output_ptr = output_ptr + 3;
    write_asset_configs(config.synthetics, config.n_synthetics);
    write_shared_state(config, prev_market, positions_roots.prev_root, orders_roots.prev_root);
    write_shared_state(config, new_market, positions_roots.new_root, orders_roots.new_root);
    local n_modification_words = modifications_end - modifications_start;
    local n_forced_words = forced_end - forced_start;
    assert output_ptr[0] = minimum_expiration_timestamp;
    assert output_ptr[1] = n_modification_words / 3;
    memcpy(output_ptr + 2, modifications_start, n_modification_words);
    let output_ptr = output_ptr + 2 + n_modification_words;
    assert output_ptr[0] = 1 + n_forced_words;
    assert output_ptr[1] = n_forced;
    memcpy(output_ptr + 2, forced_start, n_forced_words);
    let output_ptr = output_ptr + 2 + n_forced_words;
    write_array(conditions_start, conditions_end);
    if (config.data_availability_mode == 1) {
        write_array(onchain_start, onchain_end);
        return ();
    }
    return ();
}
