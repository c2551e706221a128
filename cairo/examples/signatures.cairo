// Checks each (public key, message, r, s) of the input with the ecdsa builtin and writes the
// messages, then idles in a loop of `idle` steps (the runner's trace must hold two blocks of the
// ecdsa lane).
%builtins output ecdsa
from starkware.cairo.common.cairo_builtins import SignatureBuiltin
from starkware.cairo.common.signature import verify_ecdsa_signature

func check{output_ptr: felt*, ecdsa_ptr: SignatureBuiltin*}(entries: felt*, n: felt) {
    if (n == 0) {
        return ();
    }
    verify_ecdsa_signature(message=entries[1], public_key=entries[0], signature_r=entries[2],
        signature_s=entries[3]);
    assert [output_ptr] = entries[1];
    let output_ptr = output_ptr + 1;
    return check(entries + 4, n - 1);
}

func idle(n: felt) {
    if (n == 0) {
        return ();
    }
    return idle(n - 1);
}

func main{output_ptr: felt*, ecdsa_ptr: SignatureBuiltin*}() {
    alloc_locals;
    local entries: felt*;
    local n;
    local idle_steps;
    %{
        ids.entries = segments.gen_arg([v for e in program_input["signatures"] for v in e])
        ids.n = len(program_input["signatures"])
        ids.idle_steps = program_input.get("idle", 0)
    %}
    check(entries, n);
    idle(idle_steps);
    return ();
}
