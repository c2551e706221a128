// An attack target (tests/verifier/test_cairo_statement.py): hashes (x, y) with the pedersen
// builtin, which this AIR does not implement yet: its statement is refused by name, since the
// hash cells would otherwise be unconstrained.
%builtins output pedersen
from starkware.cairo.common.cairo_builtins import HashBuiltin
from starkware.cairo.common.hash import hash2

func main{output_ptr: felt*, pedersen_ptr: HashBuiltin*}() {
    let (h) = hash2{hash_ptr=pedersen_ptr}(1, 2);
    assert [output_ptr] = h;
    let output_ptr = output_ptr + 1;
    return ();
}
