// Computes n! by plain recursion and writes (n, n!): exercises call/ret and frame pointers.
%builtins output

func factorial(n: felt) -> felt {
    if (n == 0) {
        return 1;
    }
    let sub = factorial(n - 1);
    return n * sub;
}

func main{output_ptr: felt*}() {
    alloc_locals;
    local n;
    %{ ids.n = program_input["n"] %}
    let result = factorial(n);
    assert output_ptr[0] = n;
    assert output_ptr[1] = result;
    let output_ptr = output_ptr + 2;
    return ();
}
