"""A Cairo program's proof from the Python prover verifies on-chain with the generated Cairo AIR,
and registers offchain/facts.py's fact; tampering with the proof, the statement, the program or
the output is rejected; no verifier exists below the 96-bit floor."""
import pytest
from eth_abi import encode

from offchain.core.facts import fact as expected_fact
from offchain.prover.cairo.prove import verify_run
from offchain.prover.cairo.statement import HEADER, CairoStatement, program_code_hash
from offchain.prover.params import MIN_SECURITY_BITS_FLOOR, TEST_PARAMS, ProofParams
from tools.stark_codegen import cairo_air as codegen

from . import rpc
from .cairo_proofs import EXPECTED_OUTPUT, bytecode, cairo_proof, known, program_hash
from .proofs import bump, replace_word, word_at


def test_generated_contracts_are_up_to_date():
    assert codegen.main(["--check"]) == 0


def test_cairo_proof_verifies(cairo_verifier):
    proof = cairo_proof()
    statement = verify_run(proof, known())
    assert statement.output() == EXPECTED_OUTPUT
    n, public_inputs = rpc.verify(cairo_verifier, proof.to_bytes())
    assert (n, public_inputs) == (proof.trace_length, proof.public_inputs)


def test_registry_registers_program_output_fact(cairo_registry, deployer):
    proof = cairo_proof()
    fact = expected_fact(program_hash(), EXPECTED_OUTPUT)
    assert rpc.call(cairo_registry, "verifyProofAndRegister", proof.to_bytes()) == fact
    assert cairo_registry.programHashOf(proof.public_inputs) == program_hash()
    assert list(cairo_registry.outputOf(proof.public_inputs)) == EXPECTED_OUTPUT
    receipt = rpc.transact(cairo_registry, "verifyProofAndRegister", deployer, proof.to_bytes())
    assert receipt["status"] == 1 and cairo_registry.isValid(fact)


def test_the_statement_names_its_program_by_code_hash(cairo_programs):
    """The statement holds keccak256 of the bytecode words; the store holds the bytecode under it,
    written in chunks and registered by the hash of their concatenation."""
    statement = CairoStatement.from_field_elements(cairo_proof().public_inputs, known())
    assert statement.program_code_hash == program_code_hash(bytecode())
    assert statement.program() == list(bytecode())
    assert cairo_programs.length(statement.program_code_hash) == len(bytecode())
    assert list(cairo_programs.words(statement.program_code_hash, 0, len(bytecode()))) == list(bytecode())
    assert list(cairo_programs.words(statement.program_code_hash, 3, 2)) == list(bytecode()[3:5])


def _public_input_index(proof, k: int) -> int:
    start = next(s for name, s, _ in proof.layout() if name == "public_inputs")
    return start + 1 + k


def _tampers(proof):
    """(label, word index) covering the statement, the output, and each part of the proof."""
    n_cells = (len(proof.public_inputs) - HEADER) // 2
    output_cell = n_cells - 1
    out = [(f"header {k}", _public_input_index(proof, k)) for k in range(HEADER)]
    out += [("output value", _public_input_index(proof, HEADER + 1 + 2 * output_cell)),
            ("caller frame value", _public_input_index(proof, HEADER + 1)),
            ("public memory address", _public_input_index(proof, HEADER + 2 * output_cell))]
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
        verify_run(tampered, known())
    with pytest.raises(rpc.Reverted):
        rpc.verify(cairo_verifier, tampered)
    with pytest.raises(rpc.Reverted):
        rpc.call(cairo_registry, "verifyProofAndRegister", tampered)


def test_no_verifier_below_the_security_floor(project, deployer, cairo_stack, cairo_air, cairo_verifier):
    """Both verifiers compute n_queries * log2(blowup) + grinding_bits and refuse less than 96 bits;
    neither can be set up to accept less."""
    assert cairo_verifier.MIN_SECURITY_BITS_FLOOR() == MIN_SECURITY_BITS_FLOOR == 96
    assert cairo_verifier.minSecurityBits() == MIN_SECURITY_BITS_FLOOR
    with pytest.raises(rpc.Reverted) as e:
        rpc.deploy_call(project.StarkVerifier, cairo_verifier.provider.web3, cairo_air.address,
                        MIN_SECURITY_BITS_FLOOR - 1, cairo_stack.statements.address)
    expected = rpc.selector("MinSecurityBelowFloor(uint256,uint256)") + encode(["uint256", "uint256"], [95, 96]).hex()
    assert e.value.data == expected
    rpc.deploy_call(project.StarkVerifier, cairo_verifier.provider.web3, cairo_air.address,
                    MIN_SECURITY_BITS_FLOOR, cairo_stack.statements.address)
    with pytest.raises(ValueError, match="below the floor"):
        verify_run(cairo_proof().to_bytes(), known(), min_security_bits=MIN_SECURITY_BITS_FLOOR - 1)
    weak = cairo_proof(params=TEST_PARAMS)
    assert weak.params.security_bits < MIN_SECURITY_BITS_FLOOR
    with pytest.raises(Exception, match="below the minimum 96"):
        verify_run(weak.to_bytes(), known())
    with pytest.raises(rpc.Reverted) as e:
        rpc.verify(cairo_verifier, weak.to_bytes())
    assert e.value.selector == rpc.selector("SecurityTooLow(uint256,uint256)")


@pytest.mark.parametrize("text", ["4:40:17", "2:80:16"])
def test_faster_cairo_proofs_against_96_bit_minimum(cairo_verifier, text):
    """The faster parameter sets `ape run operator --proof-params` offers (blowup 4, 40 queries,
    17 grinding bits: 97 bits; blowup 2, 80 queries, 16 bits: 96, where the composition's two
    cosets are the whole LDE domain), made by the native core, are accepted on-chain as the
    default set is."""
    params = ProofParams.parse(text)
    proof = cairo_proof(params=params)
    assert params.security_bits >= 96
    assert rpc.verify(cairo_verifier, proof.to_bytes())[1] == proof.public_inputs


def test_tampered_transaction_registers_nothing(project, cairo_stack, deployer):
    registry = deployer.deploy(project.CairoFactRegistry, cairo_stack.verifier, cairo_stack.programs)
    index = _public_input_index(PROOF, HEADER + 1)  # value of the first listed public memory cell
    data = PROOF.to_bytes()
    tampered = replace_word(data, index, bump(word_at(data, index)))
    receipt = rpc.transact(registry, "verifyProofAndRegister", deployer, tampered)
    assert receipt["status"] == 0
    assert receipt["logs"] == []
    assert not registry.isValid(expected_fact(program_hash(), EXPECTED_OUTPUT))


def test_only_the_registry_registers_its_facts(cairo_registry, deployer):
    """register() records what its own verification returned: a direct call is refused."""
    with pytest.raises(rpc.Reverted):
        rpc.call(cairo_registry, "register", cairo_proof().public_inputs)
    receipt = rpc.transact(cairo_registry, "register", deployer, cairo_proof().public_inputs)
    assert receipt["status"] == 0
