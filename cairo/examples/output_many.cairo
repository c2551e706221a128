// Writes the first n powers of 3 to the output segment: a program whose statement is its output.
%builtins output

func write_powers{output_ptr: felt*}(value: felt, count: felt) {
    if (count == 0) {
        return ();
    }
    assert output_ptr[0] = value;
    let output_ptr = output_ptr + 1;
    return write_powers(value * 3, count - 1);
}

func main{output_ptr: felt*}() {
    alloc_locals;
    local n;
    %{ ids.n = program_input["n"] %}
    write_powers(1, n);
    return ();
}
