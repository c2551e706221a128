"""Every cairo/examples program: its proof verifies in Python and on the local node (through the
CairoAir dispatcher, one generated AIR per range-check fill count) and registers its fact; the
registry refuses a prefix or an extension of the program (a changed program length, or any other
statement field: test_cairo_statement.py)."""
import pytest

from offchain.facts import fact as expected_fact, program_hash_of
from offchain.prover.cairo.prove import verify_run
from offchain.prover.cairo.statement import CairoStatement, ProgramMismatch

from . import rpc
from .cairo_proofs import PROGRAMS, bytecode, cairo_proof, program_hash


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_example_verifies_in_python_and_registers_on_chain(name, cairo_registry):
    proof = cairo_proof(name)
    program, output = list(bytecode(name)), PROGRAMS[name][1]
    statement = verify_run(proof.to_bytes())
    assert statement.output() == output
    statement.check_program(program)
    # The fact verifyProofAndRegister returns, by a call: the local node keeps a step trace of every
    # transaction (gigabytes for a STARK verification); test_cairo.py sends one that registers.
    fact = expected_fact(program_hash(name), output)
    assert rpc.call(cairo_registry, "verifyProofAndRegister", proof.to_bytes(), program) == fact


def test_examples_cover_more_than_one_fill_count():
    counts = {CairoStatement.from_field_elements(cairo_proof(name).public_inputs).n_rc_fill for name in PROGRAMS}
    assert counts == {1, 8}


@pytest.mark.parametrize("name", ["range_check", "recursion"])
def test_prefix_or_extension_of_the_program_is_refused(name, cairo_registry):
    proof = cairo_proof(name)
    statement = CairoStatement.from_field_elements(proof.public_inputs)
    program = list(bytecode(name))
    # The extension is the real next public cell, so only the pinned length can tell them apart.
    next_cell = dict(statement.public_memory)[statement.initial_pc + len(program)]
    for wrong in (program[:-1], program[: len(program) // 2], [*program, next_cell]):
        with pytest.raises(ProgramMismatch):
            statement.check_program(wrong)
        with pytest.raises(rpc.Reverted) as e:
            rpc.call(cairo_registry, "verifyProofAndRegister", proof.to_bytes(), wrong)
        assert e.value.selector == rpc.selector("ProgramLengthMismatch(uint256,uint256)")
        assert not cairo_registry.isValid(expected_fact(program_hash_of(statement.builtin_names(), wrong),
                                                        PROGRAMS[name][1]))
