// What a Spot user signs (docs/spot/message-hashes.md). The caller has range-checked amounts
// (< 2^63), nonces (< 2^31) and expirations (< 2^22); the vault ids are range-checked here to
// their width in the message, so no packed field spills into its neighbour.
from starkware.cairo.common.cairo_builtins import HashBuiltin
from starkware.cairo.common.hash import hash2
from starkware.cairo.common.math import assert_nn_le

const SETTLEMENT_ORDER = 0;
const TRANSFER_ORDER = 1;
const CONDITIONAL_TRANSFER_ORDER = 2;
const LIMIT_ORDER_WITH_FEES = 3;
const TRANSFER_WITH_FEES = 4;
const CONDITIONAL_TRANSFER_WITH_FEES = 5;

func assert_vault_bits{range_check_ptr}(vault_id, bound) {
    with_attr error_message("message_bound") {
        assert_nn_le(vault_id, bound - 1);
    }
    return ();
}

// H(partial, type(4) ‖ vault0(31) ‖ vault1(31) ‖ amount0(63) ‖ amount1(63) ‖ nonce(31) ‖
// expiration(22)), partial = H(token0, token1_or_key) [then H(partial, condition) if nonzero].
func hash_31{pedersen_ptr: HashBuiltin*, range_check_ptr}(
    order_type, vault0, vault1, amount0, amount1, token0, token1_or_key, nonce, expiration,
    condition,
) -> felt {
    alloc_locals;
    assert_vault_bits(vault0, 2 ** 31);
    assert_vault_bits(vault1, 2 ** 31);
    let packed = (((((order_type * 2 ** 31 + vault0) * 2 ** 31 + vault1) * 2 ** 63 + amount0) *
        2 ** 63 + amount1) * 2 ** 31 + nonce) * 2 ** 22 + expiration;
    let (partial) = hash2{hash_ptr=pedersen_ptr}(token0, token1_or_key);
    if (condition != 0) {
        let (with_condition) = hash2{hash_ptr=pedersen_ptr}(partial, condition);
        let (h) = hash2{hash_ptr=pedersen_ptr}(with_condition, packed);
        return h;
    }
    let (h) = hash2{hash_ptr=pedersen_ptr}(partial, packed);
    return h;
}

// Limit order with fees (type 3), 64-bit vault ids.
func limit_order_with_fees_hash{pedersen_ptr: HashBuiltin*, range_check_ptr}(
    token_sell, token_buy, fee_token, amount_sell, amount_buy, fee_limit, nonce, vault_fee,
    vault_sell, vault_buy, expiration,
) -> felt {
    assert_vault_bits(vault_fee, 2 ** 64);
    assert_vault_bits(vault_sell, 2 ** 64);
    assert_vault_bits(vault_buy, 2 ** 64);
    let (h) = hash2{hash_ptr=pedersen_ptr}(token_sell, token_buy);
    let (h) = hash2{hash_ptr=pedersen_ptr}(h, fee_token);
    let w4 = ((amount_sell * 2 ** 64 + amount_buy) * 2 ** 64 + fee_limit) * 2 ** 32 + nonce;
    let (h) = hash2{hash_ptr=pedersen_ptr}(h, w4);
    let w5 = (((LIMIT_ORDER_WITH_FEES * 2 ** 64 + vault_fee) * 2 ** 64 + vault_sell) * 2 ** 64 +
        vault_buy) * 2 ** 32 + expiration;
    let (h) = hash2{hash_ptr=pedersen_ptr}(h, w5 * 2 ** 17);
    return h;
}

// Transfer with fees (type 4), or conditional (type 5) when the condition is nonzero.
func transfer_with_fees_hash{pedersen_ptr: HashBuiltin*, range_check_ptr}(
    token, fee_token, receiver_key, sender_vault, receiver_vault, fee_vault, nonce, amount,
    fee_limit, expiration, condition,
) -> felt {
    alloc_locals;
    assert_vault_bits(sender_vault, 2 ** 64);
    assert_vault_bits(receiver_vault, 2 ** 64);
    assert_vault_bits(fee_vault, 2 ** 64);
    let (h) = hash2{hash_ptr=pedersen_ptr}(token, fee_token);
    let (h) = hash2{hash_ptr=pedersen_ptr}(h, receiver_key);
    local order_type;
    if (condition != 0) {
        let (h_condition) = hash2{hash_ptr=pedersen_ptr}(h, condition);
        order_type = CONDITIONAL_TRANSFER_WITH_FEES;
        tempvar h = h_condition;
        tempvar pedersen_ptr = pedersen_ptr;
    } else {
        order_type = TRANSFER_WITH_FEES;
        tempvar h = h;
        tempvar pedersen_ptr = pedersen_ptr;
    }
    let w4 = ((sender_vault * 2 ** 64 + receiver_vault) * 2 ** 64 + fee_vault) * 2 ** 32 + nonce;
    let (h) = hash2{hash_ptr=pedersen_ptr}(h, w4);
    let w5 = ((order_type * 2 ** 64 + amount) * 2 ** 64 + fee_limit) * 2 ** 32 + expiration;
    let (h) = hash2{hash_ptr=pedersen_ptr}(h, w5 * 2 ** 81);
    return h;
}
