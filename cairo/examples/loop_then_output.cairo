// An attack target (tests/verifier/test_cairo_statement.py): loops 120 times, then writes 7 as its
// only output. A proof of the loop's first steps alone, claiming an output those steps never
// wrote, is what the statement's end-of-run rules refuse.
%builtins output

func main{output_ptr: felt*}() {
    [ap] = 120, ap++;

    loop:
    [ap] = [ap - 1] - 1, ap++;
    jmp loop if [ap - 1] != 0;

    assert [output_ptr] = 7;
    let output_ptr = output_ptr + 1;
    return ();
}
