// The orders-tree key of a signed message (StarkEx Perpetual's, used by Spot too).
from starkware.cairo.common.math import split_felt, unsigned_div_rem

const ORDER_ID_SHIFT = 2 ** 187;  // order id = msg_hash >> 187

// msg >> 187: the top 64 bits of a message below 2^251 (split_felt's high part is msg >> 128,
// canonical, so the split is unique).
func order_id_of{range_check_ptr}(message_hash) -> felt {
    let (high, _) = split_felt(message_hash);
    let (order_id, _) = unsigned_div_rem(high, ORDER_ID_SHIFT / 2 ** 128);
    return order_id;
}
