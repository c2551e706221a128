// Checks shared by the user transactions: signatures, expiration, ownership, touching positions.
from starkware.cairo.common.cairo_builtins import SignatureBuiltin
from starkware.cairo.common.dict_access import DictAccess
from starkware.cairo.common.math import assert_le
from starkware.cairo.common.signature import verify_ecdsa_signature

from perpetual.constants import SECONDS_PER_HOUR
from perpetual.objects import BatchContext, Market, Position
from perpetual.position import position_apply_funding, position_new
from perpetual.state import load_position

func check_signature{ecdsa_ptr: SignatureBuiltin*}(message, public_key, r, s) {
    with_attr error_message("invalid signature") {
        verify_ecdsa_signature(message=message, public_key=public_key, signature_r=r, signature_s=s);
    }
    return ();
}

// Expiration is in hours since the epoch; it must reach the batch's minimum expiration (which
// L1 checks is not in the past) and lie after the system time (seconds).
func check_expiration{range_check_ptr}(ctx: BatchContext*, market: Market*, expiration_timestamp) {
    with_attr error_message("expired") {
        assert_le(ctx.minimum_expiration_timestamp, expiration_timestamp);
        assert_le(market.system_time + 1, expiration_timestamp * SECONDS_PER_HOUR);
    }
    return ();
}

// Reads a position and pays its funding: returns the stored value (the dict's previous value)
// and the funded one every rule is checked on.
func touch_position{range_check_ptr, positions_dict: DictAccess*}(market: Market*, position_id) -> (
    stored: Position*, funded: Position*
) {
    alloc_locals;
    let stored = load_position(position_id);
    let funded = position_apply_funding(market, stored);
    return (stored=stored, funded=funded);
}

func assert_owned_by(position: Position*, public_key) {
    with_attr error_message("position not owned by the public key") {
        assert position.public_key = public_key;
    }
    return ();
}

// The position must be empty or already owned by `public_key`; it is then owned by it.
func claim_position(position: Position*, public_key) -> Position* {
    if (position.public_key != 0) {
        assert_owned_by(position, public_key);
        return position;
    }
    with_attr error_message("position owner key must be nonzero") {
        assert_not_zero_key(public_key);
    }
    // Built directly: position_new would reset the key of a still-empty position.
    tempvar claimed = new Position(
        public_key=public_key,
        collateral_balance=position.collateral_balance,
        n_assets=position.n_assets,
        assets=position.assets,
    );
    return claimed;
}

func assert_not_zero_key(public_key) {
    if (public_key == 0) {
        assert 1 = 0;
    }
    return ();
}
