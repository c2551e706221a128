// Sums n, n-1, ..., 1 (n >= 1) in a loop closed by `jmp ... if ... != 0` and writes (n, sum):
// exercises the conditional relative jump both taken and not taken.
%builtins output

func main{output_ptr: felt*}() {
    alloc_locals;
    local n;
    %{ ids.n = program_input["n"] %}
    // Each iteration pushes (acc, i): acc is at [ap - 2] and i at [ap - 1] at the loop head.
    [ap] = 0, ap++;
    [ap] = n, ap++;

    loop:
    [ap] = [ap - 2] + [ap - 1], ap++;
    [ap] = [ap - 2] - 1, ap++;
    jmp loop if [ap - 1] != 0;

    assert output_ptr[0] = n;
    assert output_ptr[1] = [ap - 2];
    let output_ptr = output_ptr + 2;
    return ();
}
