// An attack target (tests/verifier/test_cairo_statement.py): uses the range_check builtin and no
// output. Relabelling its builtin as output would make its range-checked cells an output; the
// program hash covers the builtin list, so such a proof's fact is another program's.
%builtins range_check

func main{range_check_ptr}() {
    // Every 16-bit limb is 2^15, next to the biased instruction offsets: the run's range checks
    // stay in a narrow interval and need no more steps to fill it.
    assert [range_check_ptr] = 0x80008000800080008000800080008000;
    let range_check_ptr = range_check_ptr + 1;
    return ();
}
