// Writes fib(n) for the n given as program input: the smallest program that exercises
// the CPU, memory, program input hints and the output builtin, used by the foundation tests
// and as the first statement the STARK prover proves.
%builtins output

func fib(first: felt, second: felt, n: felt) -> felt {
    if (n == 0) {
        return first;
    }
    return fib(second, first + second, n - 1);
}

func main{output_ptr: felt*}() {
    alloc_locals;
    local n;
    %{ ids.n = program_input["n"] %}
    let result = fib(0, 1, n);
    assert output_ptr[0] = n;
    assert output_ptr[1] = result;
    let output_ptr = output_ptr + 2;
    return ();
}
