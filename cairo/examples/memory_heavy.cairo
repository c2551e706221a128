// Fills a freshly allocated array with squares, then sums it back: many memory writes and reads
// in a segment of its own.
%builtins output
from starkware.cairo.common.alloc import alloc

func fill(array: felt*, i: felt, n: felt) {
    if (i == n) {
        return ();
    }
    assert array[i] = i * i;
    return fill(array, i + 1, n);
}

func sum(array: felt*, n: felt) -> felt {
    if (n == 0) {
        return 0;
    }
    let rest = sum(array + 1, n - 1);
    return array[0] + rest;
}

func main{output_ptr: felt*}() {
    alloc_locals;
    local n;
    %{ ids.n = program_input["n"] %}
    let (array: felt*) = alloc();
    fill(array, 0, n);
    let total = sum(array, n);
    assert output_ptr[0] = total;
    let output_ptr = output_ptr + 1;
    return ();
}
