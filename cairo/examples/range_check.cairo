// Checks 0 <= a_i < bound for each input value with the range_check builtin, writes their sum.
%builtins output range_check
from starkware.cairo.common.math import assert_nn_le

func check_all{range_check_ptr}(values: felt*, n: felt, bound: felt) -> felt {
    if (n == 0) {
        return 0;
    }
    assert_nn_le(values[0], bound);
    let rest = check_all(values + 1, n - 1, bound);
    return values[0] + rest;
}

func main{output_ptr: felt*, range_check_ptr}() {
    alloc_locals;
    local values: felt*;
    local n;
    local bound;
    %{
        ids.values = segments.gen_arg(program_input["values"])
        ids.n = len(program_input["values"])
        ids.bound = program_input["bound"]
    %}
    let total = check_all(values, n, bound);
    assert output_ptr[0] = total;
    let output_ptr = output_ptr + 1;
    return ();
}
