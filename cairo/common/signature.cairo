// Signature checks shared by the batch programs.
from starkware.cairo.common.cairo_builtins import SignatureBuiltin
from starkware.cairo.common.signature import verify_ecdsa_signature

func check_signature{ecdsa_ptr: SignatureBuiltin*}(message, public_key, r, s) {
    with_attr error_message("invalid signature") {
        verify_ecdsa_signature(message=message, public_key=public_key, signature_r=r, signature_s=s);
    }
    return ();
}
