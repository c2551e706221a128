"""Every cairo/examples program: its proof verifies in Python and on the local node (the one
generated Cairo AIR, whatever its counts of fill columns and lanes) and registers its fact; the
proof names exactly its program (its code hash): the registry hashes the store's bytecode of it."""
import pytest

from offchain.core.facts import fact as expected_fact
from offchain.prover.cairo.prove import verify_run
from offchain.prover.cairo.statement import CairoStatement, ProgramMismatch

from . import rpc
from .cairo_proofs import PROGRAMS, bytecode, cairo_proof, known, program_hash


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_example_verifies_in_python_and_registers_on_chain(name, cairo_registry):
    proof = cairo_proof(name)
    program, output = list(bytecode(name)), PROGRAMS[name][1]
    statement = verify_run(proof.to_bytes(), known())
    assert statement.output() == output
    statement.check_program(program)
    fact = expected_fact(program_hash(name), output)
    assert rpc.call(cairo_registry, "verifyProofAndRegister", proof.to_bytes()) == fact


def test_examples_cover_the_counts():
    """The AIR's counts vary with the run: one and eight fill columns, pedersen and ecdsa lanes."""
    statements = [CairoStatement.from_field_elements(cairo_proof(name).public_inputs) for name in PROGRAMS]
    assert {s.n_rc_fill for s in statements} >= {1, 8}
    assert max(s.n_pedersen_lanes for s in statements) >= 1
    assert max(s.n_ecdsa_lanes for s in statements) >= 1


@pytest.mark.parametrize("name", ["range_check", "recursion"])
def test_prefix_or_extension_of_the_program_is_not_its_program(name):
    proof = cairo_proof(name)
    statement = CairoStatement.from_field_elements(proof.public_inputs, known())
    program = list(bytecode(name))
    for wrong in (program[:-1], program[: len(program) // 2], [*program, 0], [program[0] ^ 1, *program[1:]]):
        with pytest.raises(ProgramMismatch):
            statement.check_program(wrong)
