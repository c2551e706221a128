// TEST ONLY: writes the words of its input to the output segment, unchanged. Its runs are proven
// by the project's prover (it needs no builtin but output), so a test can register a batch's fact
// through the real verifier chain (CairoFactRegistry over the STARK verifier) for an exchange whose
// program hash is this program's: the path L1 takes, without the batch program's pedersen and
// ecdsa builtins that the prover does not cover yet.
%builtins output
from starkware.cairo.common.memcpy import memcpy

func main{output_ptr: felt*}() {
    alloc_locals;
    local n;
    local words: felt*;
    %{
        ids.n = len(program_input["words"])
        ids.words = segments.gen_arg(program_input["words"])
    %}
    memcpy(dst=output_ptr, src=words, len=n);
    let output_ptr = output_ptr + n;
    return ();
}
