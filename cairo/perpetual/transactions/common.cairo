// Checks shared by the signed user transactions: signatures and expiration.
from starkware.cairo.common.math import assert_le

from common.signature import check_signature
from perpetual.constants import SECONDS_PER_HOUR
from perpetual.objects import BatchContext, Market

// Expiration is in hours since the epoch; it must reach the batch's minimum expiration and lie
// after the system time (seconds). All three are range-checked where they enter (the message hash,
// main.cairo and load_market), so the comparisons are between integers, not field elements.
func check_expiration{range_check_ptr}(ctx: BatchContext*, market: Market*, expiration_timestamp) {
    with_attr error_message("expired") {
        assert_le(ctx.minimum_expiration_timestamp, expiration_timestamp);
        assert_le(market.system_time + 1, expiration_timestamp * SECONDS_PER_HOUR);
    }
    return ();
}
