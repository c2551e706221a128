// Checks shared by the signed user transactions: signatures and expiration.
from starkware.cairo.common.cairo_builtins import SignatureBuiltin
from starkware.cairo.common.math import assert_le
from starkware.cairo.common.signature import verify_ecdsa_signature

from perpetual.constants import SECONDS_PER_HOUR
from perpetual.objects import BatchContext, Market

func check_signature{ecdsa_ptr: SignatureBuiltin*}(message, public_key, r, s) {
    with_attr error_message("invalid signature") {
        verify_ecdsa_signature(message=message, public_key=public_key, signature_r=r, signature_s=s);
    }
    return ();
}

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
