"""A Cairo program's proof from the Python prover verifies on-chain with the generated Cairo AIR,
and registers offchain/facts.py's fact; tampering with the proof, the statement, the program or
the output is rejected."""
import pytest
from eth_utils import keccak

from offchain.facts import fact as expected_fact, words_hash
from offchain.prover import ProofParams
from offchain.prover.cairo.prove import verify_run
from offchain.prover.cairo.statement import CairoStatement
from tools.stark_codegen import cairo_air as codegen

from . import rpc
from .cairo_proofs import EXPECTED_OUTPUT, bytecode, cairo_proof
from .proofs import bump, replace_word, word_at

HEADER = 14  # CairoStatement header words (statement._HEADER)


def test_generated_constraints_are_up_to_date():
    assert codegen.main(["--check"]) == 0


def test_cairo_proof_verifies(cairo_verifier):
    proof = cairo_proof()
    statement = verify_run(proof, min_security_bits=0)
    assert statement.output() == EXPECTED_OUTPUT
    n, public_inputs = rpc.verify(cairo_verifier, proof.to_bytes())
    assert (n, public_inputs) == (proof.trace_length, proof.public_inputs)


def test_registry_registers_program_output_fact(cairo_registry, deployer):
    proof = cairo_proof()
    program = list(bytecode())
    fact = expected_fact(words_hash(program), EXPECTED_OUTPUT)
    assert not cairo_registry.isValid(fact)
    receipt = rpc.transact(cairo_registry, "verifyProofAndRegister", deployer, proof.to_bytes(), program)
    assert receipt["status"] == 1
    assert cairo_registry.isValid(fact)
    assert receipt["logs"][0]["topics"][:2] == [keccak(text="FactRegistered(bytes32,bytes32,bytes32)"), fact]


def test_wrong_program_is_rejected(cairo_registry, deployer):
    proof = cairo_proof()
    program = list(bytecode())
    wrongs = ([*program[:-1], program[-1] + 1], [program[0] ^ 1, *program[1:]], [*program, 0], [])
    for wrong in wrongs:
        with pytest.raises(rpc.Reverted):
            rpc.call(cairo_registry, "verifyProofAndRegister", proof.to_bytes(), wrong)
    # One as a transaction (anvil executes transactions much more slowly than calls).
    assert rpc.transact(cairo_registry, "verifyProofAndRegister", deployer, proof.to_bytes(), wrongs[0])["status"] == 0
    for wrong in wrongs:
        assert not cairo_registry.isValid(expected_fact(words_hash(wrong), EXPECTED_OUTPUT))


def _public_input_index(proof, k: int) -> int:
    start = next(s for name, s, _ in proof.layout() if name == "public_inputs")
    return start + 1 + k


def _tampers(proof):
    """(label, word index) covering the statement, the output, and each part of the proof."""
    statement = CairoStatement.from_field_elements(proof.public_inputs)
    pairs = proof.public_inputs[HEADER + 1:]
    addresses = pairs[0::2]
    out = [(f"header {k}", _public_input_index(proof, k)) for k in range(HEADER)]
    output_cell = addresses.index(statement.output_begin + 1)
    program_cell = addresses.index(statement.initial_pc + 3)
    out += [("output value", _public_input_index(proof, HEADER + 2 + 2 * output_cell)),
            ("program word", _public_input_index(proof, HEADER + 2 + 2 * program_cell)),
            ("public memory address", _public_input_index(proof, HEADER + 1 + 2 * program_cell))]
    sections = {name: (start, count) for name, start, count in proof.layout()}
    for name in ("trace_roots", "ood_trace", "ood_composition", "fri_roots", "fri_remainder"):
        start, count = sections[name]
        out.append((f"{name} first", start + 1))
        out.append((f"{name} last", start + count - 1))
    out += [("composition_root", sections["composition_root"][0]), ("pow_nonce", sections["pow_nonce"][0])]
    for name in ("query 1 trace 0 row", "query 1 trace 1 row", "query 1 trace 1 path", "query 1 composition row",
                 "query 1 fri layer 0 values", "query 1 fri layer 0 path"):
        start, count = sections[name]
        out.append((name, start + count - 1))
    return out


PROOF = cairo_proof()
TAMPERS = _tampers(PROOF)


@pytest.mark.parametrize("label,index", TAMPERS, ids=[t[0] for t in TAMPERS])
def test_tampering_is_rejected(cairo_verifier, cairo_registry, label, index):
    data = PROOF.to_bytes()
    old = word_at(data, index)
    new = old + 1 if label == "pow_nonce" else bump(old, "root" in label or "path" in label)
    if "root" in label or "path" in label:
        new = old ^ 1
    tampered = replace_word(data, index, new)
    with pytest.raises(Exception):
        verify_run(tampered, min_security_bits=0)
    with pytest.raises(rpc.Reverted):
        rpc.verify(cairo_verifier, tampered)
    with pytest.raises(rpc.Reverted):
        rpc.call(cairo_registry, "verifyProofAndRegister", tampered, list(bytecode()))


def test_default_params_cairo_proof_against_96_bit_minimum(secure_cairo_verifier):
    proof = cairo_proof(params=ProofParams())
    assert proof.params.security_bits >= 96
    assert rpc.verify(secure_cairo_verifier, proof.to_bytes())[1] == proof.public_inputs
    with pytest.raises(rpc.Reverted) as e:
        rpc.verify(secure_cairo_verifier, cairo_proof().to_bytes())
    assert e.value.selector == rpc.selector("SecurityTooLow(uint256,uint256)")


def test_blowup_four_cairo_proof_against_96_bit_minimum(secure_cairo_verifier):
    """The faster parameter set of bench/cairo_prover.py (blowup 4, 40 queries, 17 grinding bits:
    97 bits), made by the native core, is accepted on-chain as the default set is."""
    params = ProofParams(blowup=4, n_queries=40, grinding_bits=17)
    proof = cairo_proof(params=params)
    assert params.security_bits == 97
    assert rpc.verify(secure_cairo_verifier, proof.to_bytes())[1] == proof.public_inputs


def test_tampered_transaction_registers_nothing(project, cairo_verifier, deployer):
    registry = deployer.deploy(project.CairoFactRegistry, cairo_verifier)
    index = _public_input_index(PROOF, HEADER + 1 + 2 * 0 + 1)  # value of the first public memory cell
    data = PROOF.to_bytes()
    tampered = replace_word(data, index, bump(word_at(data, index)))
    receipt = rpc.transact(registry, "verifyProofAndRegister", deployer, tampered, list(bytecode()))
    assert receipt["status"] == 0
    assert receipt["logs"] == []
    assert not registry.isValid(expected_fact(words_hash(list(bytecode())), EXPECTED_OUTPUT))
