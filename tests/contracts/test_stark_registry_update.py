"""A state update accepted through the real verifier chain — CairoFactRegistry over the STARK
verifier (96-bit minimum), no development registry anywhere: the project's prover proves a run of
a small Cairo program (prepared_output.cairo, which writes a prepared batch output: no builtin, so the proof is small;
the batch program's own proofs are tests/operator's), the on-chain verifier
registers its fact, and the exchange, deployed with that program's hash, accepts the update.
Before the fact, and for any output that differs from the proven one, it refuses.

The verification is a mined transaction (register_proof, as the operator sends it): the node is
tools/bin/anvil, without the step tracing that ran out of memory on it."""
import tempfile
from pathlib import Path

import pytest
from ape import accounts as ape_accounts
from ape import networks

from offchain.core.cairo_runner import compile_program, run_program
from offchain.core.facts import program_bytecode, program_hash
from offchain.perpetual.exchange import deploy_stark_perpetual
from offchain.core.l1.stark import deploy_cairo_verifier, register_program, register_proof
from offchain.core.l1.users import register_user
from offchain.prover.cairo.prove import prove_run
from offchain.prover.cairo.runner_files import RunnerFiles

from .adversary import refused
from .batch_builder import ROLLUP, Modification, SharedState, program_output_fact
from .conftest import (
    ALICE_STARK_PRIVATE, ETH_ASSET_INFO, QUANTUM, Exchange, init_params, stark_key,
)

PROGRAM = Path(__file__).with_name("prepared_output.cairo")
MIN_SECURITY_BITS = 96
STARK = "state update through the STARK registry"


@pytest.fixture(scope="module")
def compiled_program() -> Path:
    return compile_program(PROGRAM, Path(tempfile.mkdtemp(prefix="prepared-output-")) / "prepared_output.json")


@pytest.fixture(scope="module")
def stack(project, compiled_program):
    """The Cairo verifier stack (offchain/core/l1/stark.py), the program in its store. The node ape
    starts is tools/bin/anvil, without step tracing, so a mined verification is affordable."""
    deployer = ape_accounts.test_accounts[0]
    stack = deploy_cairo_verifier(project, deployer, MIN_SECURITY_BITS)
    register_program(stack.programs, deployer, program_bytecode(compiled_program))
    return stack


def _prove(compiled: Path, words: list[int]):
    run = run_program(compiled, {"words": words}, Path(tempfile.mkdtemp(prefix="prepared-output-run-")))
    assert run.output() == words
    return prove_run(RunnerFiles.from_run(run))  # the prover's default (>= 96-bit) parameters


def test_update_accepted_through_the_stark_registry(project, compiled_program, stack):
    governor, operator, alice = (ape_accounts.test_accounts[i] for i in (0, 1, 2))
    chain = networks.provider.chain_manager
    escape_verifier = governor.deploy(project.EscapeVerifier)
    program, code = program_hash(compiled_program), program_bytecode(compiled_program)
    cairo_fact_registry = stack.registry
    state = SharedState(system_time=chain.pending_timestamp)
    params = init_params(governor, escape_verifier, [cairo_fact_registry.address], [], state, mode=ROLLUP,
                         program_hash=int.from_bytes(program, "big"))
    contract = deploy_stark_perpetual(project, governor, params)
    assert list(contract.getVerifierChain()) == [cairo_fact_registry.address]
    contract.registerOperator(operator, sender=governor)
    contract.registerCollateralAsset(ETH_ASSET_INFO, QUANTUM, sender=governor)
    exchange = Exchange(contract, cairo_fact_registry, None, governor, operator, chain, state,
                        collateral=contract.collateralAssetType())
    key = stark_key(ALICE_STARK_PRIVATE)
    register_user(contract, alice, ALICE_STARK_PRIVATE)
    contract.deposit(key, exchange.collateral, 5, 10, value=10 * QUANTUM, sender=alice)

    output = exchange.batch([Modification(key, 5, 10)], data_availability_mode=ROLLUP, onchain_data=[5, key])
    words = output.words()
    app = exchange.app_data().words()
    proof = _prove(compiled_program, words)
    assert proof.params.security_bits >= MIN_SECURITY_BITS

    update = lambda ws: contract.updateState(ws, app, sender=operator)  # noqa: E731
    refused(STARK, "updateState before the STARK proof registered its fact", lambda: update(words), "FactNotValid")
    registration = register_proof(stack, governor, proof.to_bytes(), [code])
    assert registration.fact == program_output_fact(int.from_bytes(program, "big"), words)
    assert cairo_fact_registry.isValid(registration.fact)
    tampered = list(words)
    tampered[-2] += 1  # an on-chain data word: still a well-formed output, not the proven one
    refused(STARK, "updateState with an output the proof did not prove", lambda: update(tampered), "FactNotValid")

    update(words)
    assert contract.sequenceNumber() == 1
    assert contract.getPendingDeposit(key, exchange.collateral, 5) == 0
    assert contract.sharedStateHash() == output.new_state.keccak()
