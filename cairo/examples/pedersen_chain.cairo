// Folds the input values with the pedersen builtin, h = H(...H(H(0, v0), v1)..., v_n-1), and
// writes every intermediate hash, then idles in a loop of `idle` steps (the runner's trace must
// hold two blocks of the pedersen lane).
%builtins output pedersen
from starkware.cairo.common.cairo_builtins import HashBuiltin
from starkware.cairo.common.hash import hash2

func chain{output_ptr: felt*, pedersen_ptr: HashBuiltin*}(acc: felt, values: felt*, n: felt) {
    if (n == 0) {
        return ();
    }
    let (h) = hash2{hash_ptr=pedersen_ptr}(acc, values[0]);
    assert [output_ptr] = h;
    let output_ptr = output_ptr + 1;
    return chain(h, values + 1, n - 1);
}

func idle(n: felt) {
    if (n == 0) {
        return ();
    }
    return idle(n - 1);
}

func main{output_ptr: felt*, pedersen_ptr: HashBuiltin*}() {
    alloc_locals;
    local values: felt*;
    local n;
    local idle_steps;
    %{
        ids.values = segments.gen_arg(program_input["values"])
        ids.n = len(program_input["values"])
        ids.idle_steps = program_input.get("idle", 0)
    %}
    chain(0, values, n);
    idle(idle_steps);
    return ();
}
