// What users sign (docs/message-hashes.md), and the order id each signed message occupies in the
// orders tree. Every packed field is range-checked to its width first, so no field can spill
// into its neighbour.
from starkware.cairo.common.cairo_builtins import HashBuiltin
from starkware.cairo.common.hash import hash2
from starkware.cairo.common.math import assert_nn_le, split_felt, unsigned_div_rem

from perpetual.constants import AMOUNT_BOUND, EXPIRATION_BOUND, NONCE_BOUND, ORDER_ID_SHIFT, POSITION_ID_BOUND

const LIMIT_ORDER_WITH_FEES = 3;
const TRANSFER_TYPE = 4;
const CONDITIONAL_TRANSFER_TYPE = 5;
const WITHDRAWAL_TYPE = 6;

func assert_amount{range_check_ptr}(amount) {
    with_attr error_message("amount out of range [0, 2^64)") {
        assert_nn_le(amount, AMOUNT_BOUND - 1);
    }
    return ();
}

func assert_nonce{range_check_ptr}(nonce) {
    with_attr error_message("nonce out of range [0, 2^32)") {
        assert_nn_le(nonce, NONCE_BOUND - 1);
    }
    return ();
}

func assert_position_id{range_check_ptr}(position_id) {
    with_attr error_message("position id out of range [0, 2^64)") {
        assert_nn_le(position_id, POSITION_ID_BOUND - 1);
    }
    return ();
}

func assert_expiration{range_check_ptr}(expiration_timestamp) {
    with_attr error_message("expiration timestamp out of range [0, 2^32)") {
        assert_nn_le(expiration_timestamp, EXPIRATION_BOUND - 1);
    }
    return ();
}

func limit_order_hash{pedersen_ptr: HashBuiltin*, range_check_ptr}(
    asset_id_sell,
    asset_id_buy,
    asset_id_fee,
    amount_sell,
    amount_buy,
    amount_fee,
    nonce,
    position_id,
    expiration_timestamp,
) -> felt {
    assert_amount(amount_sell);
    assert_amount(amount_buy);
    assert_amount(amount_fee);
    assert_nonce(nonce);
    assert_position_id(position_id);
    assert_expiration(expiration_timestamp);
    let (h) = hash2{hash_ptr=pedersen_ptr}(asset_id_sell, asset_id_buy);
    let (h) = hash2{hash_ptr=pedersen_ptr}(h, asset_id_fee);
    let w4 = ((amount_sell * AMOUNT_BOUND + amount_buy) * AMOUNT_BOUND + amount_fee) *
        NONCE_BOUND + nonce;
    let (h) = hash2{hash_ptr=pedersen_ptr}(h, w4);
    let w5 = (
        ((LIMIT_ORDER_WITH_FEES * POSITION_ID_BOUND + position_id) * POSITION_ID_BOUND +
        position_id) * POSITION_ID_BOUND + position_id
    ) * EXPIRATION_BOUND + expiration_timestamp;
    let (h) = hash2{hash_ptr=pedersen_ptr}(h, w5 * 2 ** 17);
    return h;
}

// A transfer (condition = 0) or a conditional transfer (condition ≠ 0).
func transfer_hash{pedersen_ptr: HashBuiltin*, range_check_ptr}(
    asset_id,
    receiver_public_key,
    sender_position_id,
    receiver_position_id,
    amount,
    nonce,
    expiration_timestamp,
    condition,
) -> felt {
    alloc_locals;
    assert_amount(amount);
    assert_nonce(nonce);
    assert_position_id(sender_position_id);
    assert_position_id(receiver_position_id);
    assert_expiration(expiration_timestamp);
    let (h) = hash2{hash_ptr=pedersen_ptr}(asset_id, 0);
    let (local h) = hash2{hash_ptr=pedersen_ptr}(h, receiver_public_key);
    local order_type;
    if (condition == 0) {
        assert order_type = TRANSFER_TYPE;
        tempvar h = h;
        tempvar pedersen_ptr = pedersen_ptr;
    } else {
        assert order_type = CONDITIONAL_TRANSFER_TYPE;
        let (h_cond) = hash2{hash_ptr=pedersen_ptr}(h, condition);
        tempvar h = h_cond;
        tempvar pedersen_ptr = pedersen_ptr;
    }
    let w4 = ((sender_position_id * POSITION_ID_BOUND + receiver_position_id) *
        POSITION_ID_BOUND + sender_position_id) * NONCE_BOUND + nonce;
    let (h) = hash2{hash_ptr=pedersen_ptr}(h, w4);
    let w5 = ((order_type * AMOUNT_BOUND + amount) * AMOUNT_BOUND + 0) * EXPIRATION_BOUND +
        expiration_timestamp;
    let (h) = hash2{hash_ptr=pedersen_ptr}(h, w5 * 2 ** 81);
    return h;
}

func withdrawal_hash{pedersen_ptr: HashBuiltin*, range_check_ptr}(
    asset_id_collateral, position_id, nonce, amount, expiration_timestamp
) -> felt {
    assert_amount(amount);
    assert_nonce(nonce);
    assert_position_id(position_id);
    assert_expiration(expiration_timestamp);
    let w = (((WITHDRAWAL_TYPE * POSITION_ID_BOUND + position_id) * NONCE_BOUND + nonce) *
        AMOUNT_BOUND + amount) * EXPIRATION_BOUND + expiration_timestamp;
    let (h) = hash2{hash_ptr=pedersen_ptr}(asset_id_collateral, w * 2 ** 49);
    return h;
}

// msg >> 187: the top 64 bits of a message below 2^251 (split_felt's high part is msg >> 128,
// canonical, so the split is unique).
func order_id_of{range_check_ptr}(message_hash) -> felt {
    let (high, _) = split_felt(message_hash);
    let (order_id, _) = unsigned_div_rem(high, ORDER_ID_SHIFT / 2 ** 128);
    return order_id;
}
