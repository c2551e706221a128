// Output helpers shared by the batch programs.
from starkware.cairo.common.memcpy import memcpy

// A length-prefixed array.
func write_array{output_ptr: felt*}(start: felt*, end: felt*) {
    let size = end - start;
    assert output_ptr[0] = size;
    memcpy(output_ptr + 1, start, size);
    let output_ptr = output_ptr + 1 + size;
    return ();
}
