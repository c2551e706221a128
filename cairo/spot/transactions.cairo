// The Spot transactions (docs/spot/batch-input.md), each checking its rules in the order of the
// model (offchain/spot/rules.py), so both name the same broken rule.
from starkware.cairo.common.cairo_builtins import HashBuiltin, SignatureBuiltin
from starkware.cairo.common.dict_access import DictAccess
from starkware.cairo.common.math import (
    assert_le,
    assert_lt_felt,
    assert_nn,
    assert_nn_le,
    assert_not_equal,
    assert_not_zero,
)
from starkware.cairo.common.registers import get_fp_and_pc

from common.order_id import order_id_of
from common.signature import check_signature
from spot.constants import (
    AMOUNT_BOUND,
    CONDITION_BOUND,
    EXPIRATION_BOUND,
    FULL_WITHDRAWAL_FLAG,
    MODIFICATION_BIAS,
    NONCE_BOUND,
    VAULT_SHIFT,
)
from spot.messages import (
    CONDITIONAL_TRANSFER_ORDER,
    SETTLEMENT_ORDER,
    TRANSFER_ORDER,
    hash_31,
    limit_order_with_fees_hash,
    transfer_with_fees_hash,
)
from spot.objects import BatchContext, FeeTaken, FeeUser, Order, Vault
from spot.vaults import (
    check_vault_id,
    fill_limit_order,
    fill_transfer,
    load_vault,
    store_vault,
    update_vault,
)

func assert_amount{range_check_ptr}(amount, minimum) {
    with_attr error_message("amount_bound") {
        assert_nn_le(amount - minimum, AMOUNT_BOUND - 1 - minimum);
    }
    return ();
}

func check_nonce_expiration{range_check_ptr}(ctx: BatchContext*, nonce, expiration) {
    with_attr error_message("nonce_bound") {
        assert_nn_le(nonce, NONCE_BOUND - 1);
    }
    with_attr error_message("expired") {
        assert_nn_le(expiration, EXPIRATION_BOUND - 1);
        assert_le(ctx.global_expiration_timestamp, expiration);
    }
    return ();
}

func check_fee_presence(user: FeeUser*, taken: FeeTaken*) {
    with_attr error_message("fee_info") {
        assert user.has = taken.has;
    }
    return ();
}

func write_modification{modifications: felt*}(stark_key, asset_id, flag, vault_id, diff) {
    assert modifications[0] = stark_key;
    assert modifications[1] = asset_id;
    assert modifications[2] = flag + vault_id * VAULT_SHIFT + diff + MODIFICATION_BIAS;
    let modifications = modifications + 3;
    return ();
}

// DEPOSIT (sign 1) and WITHDRAWAL (sign -1): L1 consumes a pending deposit or credits a
// withdrawal through the modification.
func execute_modification{range_check_ptr, vaults_dict: DictAccess*, modifications: felt*}(
    ctx: BatchContext*, sign
) {
    alloc_locals;
    local vault_id;
    local stark_key;
    local token_id;
    local amount;
    %{
        ids.vault_id, ids.stark_key, ids.token_id, ids.amount = (
            _felt(tx[name]) for name in ("vault_id", "stark_key", "token_id", "amount"))
    %}
    assert_amount(amount, 1);
    update_vault(ctx, vault_id, stark_key, token_id, sign * amount);
    write_modification(stark_key, token_id, 0, vault_id, sign * amount);
    return ();
}

// FULL_WITHDRAWAL: the whole balance of a vault that is the requester's (or empty) leaves to L1.
func execute_full_withdrawal{range_check_ptr, vaults_dict: DictAccess*, modifications: felt*}(
    ctx: BatchContext*
) {
    alloc_locals;
    local vault_id;
    local stark_key;
    %{ ids.vault_id, ids.stark_key = _felt(tx["vault_id"]), _felt(tx["stark_key"]) %}
    check_vault_id(ctx, vault_id);
    let stored = load_vault(vault_id);
    if (stored.balance != 0) {
        with_attr error_message("full_withdrawal") {
            assert stored.stark_key = stark_key;
        }
    }
    local empty: Vault = Vault(stark_key=0, asset_id=0, balance=0);
    let (__fp__, _) = get_fp_and_pc();
    store_vault(vault_id, stored, &empty);
    write_modification(stark_key, stored.asset_id, FULL_WITHDRAWAL_FLAG, vault_id, -stored.balance);
    return ();
}

// FALSE_FULL_WITHDRAWAL: the vault's key (0 when empty) is not the requester's.
func execute_false_full_withdrawal{
    range_check_ptr, vaults_dict: DictAccess*, modifications: felt*
}(ctx: BatchContext*) {
    alloc_locals;
    local vault_id;
    local requester;
    %{ ids.vault_id, ids.requester = _felt(tx["vault_id"]), _felt(tx["requester_stark_key"]) %}
    check_vault_id(ctx, vault_id);
    let stored = load_vault(vault_id);
    with_attr error_message("false_full_withdrawal") {
        assert_not_equal(stored.stark_key, requester);
    }
    store_vault(vault_id, stored, stored);
    write_modification(requester, 0, FULL_WITHDRAWAL_FLAG, vault_id, 0);
    return ();
}

func pay_fee{range_check_ptr, vaults_dict: DictAccess*}(
    ctx: BatchContext*, payer_key, user: FeeUser*, taken: FeeTaken*
) {
    if (user.has == 0) {
        return ();
    }
    update_vault(ctx, user.source_vault_id, payer_key, user.token_id, -taken.fee_taken);
    update_vault(
        ctx, taken.destination_vault_id, taken.destination_stark_key, user.token_id, taken.fee_taken
    );
    return ();
}

func load_order(party) -> (order: Order*, user: FeeUser*, taken: FeeTaken*) {
    alloc_locals;
    local order: Order;
    local user: FeeUser;
    local taken: FeeTaken;
    %{
        _order = tx["party_a_order" if ids.party == 0 else "party_b_order"]
        _load(ids.order, _order, ["public_key", "vault_id_sell", "vault_id_buy", "amount_sell",
                                  "amount_buy", "token_sell", "token_buy", "nonce",
                                  "expiration_timestamp"])
        _load(ids.order, _order["signature"], ["r", "s"])
        _load_optional(ids.user, _order, "fee_info", ["token_id", "fee_limit", "source_vault_id"])
        _load_optional(ids.taken, tx["settlement_info"],
                       "party_a_fee_info" if ids.party == 0 else "party_b_fee_info",
                       ["fee_taken", "destination_vault_id", "destination_stark_key"])
    %}
    let (__fp__, _) = get_fp_and_pc();
    return (order=&order, user=&user, taken=&taken);
}

func execute_limit_order{
    pedersen_ptr: HashBuiltin*,
    range_check_ptr,
    ecdsa_ptr: SignatureBuiltin*,
    vaults_dict: DictAccess*,
    orders_dict: DictAccess*,
}(ctx: BatchContext*, order: Order*, user: FeeUser*, taken: FeeTaken*, sold, bought) {
    alloc_locals;
    assert_amount(order.amount_sell, 0);
    assert_amount(order.amount_buy, 0);
    check_nonce_expiration(ctx, order.nonce, order.expiration_timestamp);
    // All four below 2^63: the products are below 2^126, compared as integers.
    with_attr error_message("order_ratio") {
        assert_nn(order.amount_sell * bought - sold * order.amount_buy);
    }
    with_attr error_message("fee_info") {
        assert user.has * user.has = user.has;
        assert taken.has * taken.has = taken.has;
    }
    check_fee_presence(user, taken);
    local message_hash;
    if (user.has != 0) {
        assert_amount(taken.fee_taken, 0);
        assert_amount(user.fee_limit, 0);
        with_attr error_message("order_fee") {
            assert_le(taken.fee_taken * order.amount_buy, user.fee_limit * bought);
        }
        let h = limit_order_with_fees_hash(
            order.token_sell,
            order.token_buy,
            user.token_id,
            order.amount_sell,
            order.amount_buy,
            user.fee_limit,
            order.nonce,
            user.source_vault_id,
            order.vault_id_sell,
            order.vault_id_buy,
            order.expiration_timestamp,
        );
        message_hash = h;
        tempvar pedersen_ptr = pedersen_ptr;
        tempvar range_check_ptr = range_check_ptr;
    } else {
        let h = hash_31(
            SETTLEMENT_ORDER,
            order.vault_id_sell,
            order.vault_id_buy,
            order.amount_sell,
            order.amount_buy,
            order.token_sell,
            order.token_buy,
            order.nonce,
            order.expiration_timestamp,
            0,
        );
        message_hash = h;
        tempvar pedersen_ptr = pedersen_ptr;
        tempvar range_check_ptr = range_check_ptr;
    }
    local pedersen_ptr: HashBuiltin* = pedersen_ptr;
    let order_id = order_id_of(message_hash);
    fill_limit_order(order_id, sold, order.amount_sell);
    update_vault(ctx, order.vault_id_sell, order.public_key, order.token_sell, -sold);
    update_vault(ctx, order.vault_id_buy, order.public_key, order.token_buy, bought);
    with_attr error_message("signature") {
        check_signature(message_hash, order.public_key, order.r, order.s);
    }
    pay_fee(ctx, order.public_key, user, taken);
    return ();
}

// SETTLEMENT: two signed limit orders of opposite sides, each filled at its price or better.
func execute_settlement{
    pedersen_ptr: HashBuiltin*,
    range_check_ptr,
    ecdsa_ptr: SignatureBuiltin*,
    vaults_dict: DictAccess*,
    orders_dict: DictAccess*,
}(ctx: BatchContext*) {
    alloc_locals;
    local a_sold;
    local b_sold;
    %{
        ids.a_sold = _felt(tx["settlement_info"]["party_a_sold"])
        ids.b_sold = _felt(tx["settlement_info"]["party_b_sold"])
    %}
    assert_amount(a_sold, 0);
    assert_amount(b_sold, 0);
    let (a, a_user, a_taken) = load_order(0);
    let (b, b_user, b_taken) = load_order(1);
    with_attr error_message("asset_mismatch") {
        assert a.token_buy = b.token_sell;
        assert b.token_buy = a.token_sell;
    }
    execute_limit_order(ctx, a, a_user, a_taken, a_sold, b_sold);
    execute_limit_order(ctx, b, b_user, b_taken, b_sold, a_sold);
    return ();
}

struct Transfer {
    sender_public_key: felt,
    sender_vault_id: felt,
    receiver_public_key: felt,
    receiver_vault_id: felt,
    token: felt,
    amount: felt,
    nonce: felt,
    expiration_timestamp: felt,
    r: felt,
    s: felt,
}

// TRANSFER and CONDITIONAL_TRANSFER (conditional = 1): the condition is signed and written to
// the output, where L1 checks it against the registry and fact of the application data.
func execute_transfer{
    pedersen_ptr: HashBuiltin*,
    range_check_ptr,
    ecdsa_ptr: SignatureBuiltin*,
    vaults_dict: DictAccess*,
    orders_dict: DictAccess*,
    conditions: felt*,
}(ctx: BatchContext*, conditional) {
    alloc_locals;
    local t: Transfer;
    local user: FeeUser;
    local taken: FeeTaken;
    local condition;
    %{
        _load(ids.t, tx, ["sender_public_key", "sender_vault_id", "receiver_public_key",
                          "receiver_vault_id", "token", "amount", "nonce", "expiration_timestamp"])
        _load(ids.t, tx["signature"], ["r", "s"])
        _load_optional(ids.user, tx, "fee_info_user", ["token_id", "fee_limit", "source_vault_id"])
        _load_optional(ids.taken, tx, "fee_info_exchange",
                       ["fee_taken", "destination_vault_id", "destination_stark_key"])
        ids.condition = _felt(tx["condition"]) if ids.conditional else 0
    %}
    let (__fp__, _) = get_fp_and_pc();
    assert_amount(t.amount, 1);
    check_nonce_expiration(ctx, t.nonce, t.expiration_timestamp);
    if (conditional != 0) {
        with_attr error_message("condition") {
            assert_not_zero(condition);
            assert_lt_felt(condition, CONDITION_BOUND);
        }
        tempvar range_check_ptr = range_check_ptr;
    } else {
        assert condition = 0;
        tempvar range_check_ptr = range_check_ptr;
    }
    with_attr error_message("fee_info") {
        assert user.has * user.has = user.has;
        assert taken.has * taken.has = taken.has;
    }
    check_fee_presence(&user, &taken);
    if (user.has != 0) {
        with_attr error_message("order_fee") {
            assert_nn_le(taken.fee_taken, user.fee_limit);
            assert_nn_le(user.fee_limit, AMOUNT_BOUND - 1);
        }
        tempvar range_check_ptr = range_check_ptr;
    } else {
        tempvar range_check_ptr = range_check_ptr;
    }
    update_vault(ctx, t.sender_vault_id, t.sender_public_key, t.token, -t.amount);
    update_vault(ctx, t.receiver_vault_id, t.receiver_public_key, t.token, t.amount);
    pay_fee(ctx, t.sender_public_key, &user, &taken);
    local message_hash;
    if (user.has != 0) {
        let h = transfer_with_fees_hash(
            t.token,
            user.token_id,
            t.receiver_public_key,
            t.sender_vault_id,
            t.receiver_vault_id,
            user.source_vault_id,
            t.nonce,
            t.amount,
            user.fee_limit,
            t.expiration_timestamp,
            condition,
        );
        message_hash = h;
        tempvar pedersen_ptr = pedersen_ptr;
        tempvar range_check_ptr = range_check_ptr;
    } else {
        let h = hash_31(
            TRANSFER_ORDER + conditional,
            t.sender_vault_id,
            t.receiver_vault_id,
            t.amount,
            0,
            t.token,
            t.receiver_public_key,
            t.nonce,
            t.expiration_timestamp,
            condition,
        );
        message_hash = h;
        tempvar pedersen_ptr = pedersen_ptr;
        tempvar range_check_ptr = range_check_ptr;
    }
    local pedersen_ptr: HashBuiltin* = pedersen_ptr;
    with_attr error_message("signature") {
        check_signature(message_hash, t.sender_public_key, t.r, t.s);
    }
    let order_id = order_id_of(message_hash);
    fill_transfer(order_id, t.amount);
    if (conditional != 0) {
        assert conditions[0] = condition;
        let conditions = conditions + 1;
        return ();
    }
    return ();
}
