"""A state update accepted through the real verifier chain — CairoFactRegistry over the STARK
verifier (96-bit minimum), no development registry anywhere: the project's prover proves a run of
a small Cairo program (prepared_output.cairo, which writes a prepared batch output; the batch
program's pedersen and ecdsa builtins are not covered by the prover yet), the on-chain verifier
registers its fact, and the exchange, deployed with that program's hash, accepts the update.
Before the fact, and for any output that differs from the proven one, it refuses.

The test runs on an anvil of its own, started without --steps-tracing: the node ape starts
records every EVM step of a mined transaction, and a mined verification of a default-parameter
proof (millions of steps over a large memory) drives it out of memory."""
import os
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from ape import accounts as ape_accounts
from ape import networks

from offchain.cairo_runner import compile_program, run_program
from offchain.facts import program_bytecode, program_hash
from offchain.l1.exchange import deploy_stark_perpetual
from offchain.l1.users import register_user
from offchain.prover.cairo.layout import SUPPORTED_RC_FILL
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


MNEMONIC = "test test test test test test test test test test test junk"  # ape-config.yaml's test mnemonic
ANVIL = Path(__file__).resolve().parents[2] / "node_modules" / ".bin" / "anvil"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def untraced_node():
    """An anvil like ape's, without step tracing; ape's provider is switched to it for the module."""
    port = _free_port()
    node = subprocess.Popen([str(ANVIL), "--port", str(port), "--mnemonic", MNEMONIC, "--accounts", "10",
                             "--balance", "1000000", "--block-base-fee-per-gas", "0", "--gas-price", "0",
                             "--hardfork", "cancun", "--gas-limit", "1000000000", "--disable-code-size-limit"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ))
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or node.poll() is not None:
                    raise RuntimeError(f"anvil did not start on port {port}")
                time.sleep(0.2)
        with networks.ethereum.local.use_provider("foundry", provider_settings={"host": f"http://127.0.0.1:{port}"}):
            yield
    finally:
        node.terminate()
        node.wait(timeout=30)


@pytest.fixture(scope="module")
def cairo_fact_registry(project, untraced_node):
    deployer = ape_accounts.test_accounts[0]
    airs = [deployer.deploy(getattr(project, f"CairoAirE{k}")) for k in SUPPORTED_RC_FILL]
    air = deployer.deploy(project.CairoAir, list(SUPPORTED_RC_FILL), airs)
    verifier = deployer.deploy(project.StarkVerifier, air, MIN_SECURITY_BITS)
    return deployer.deploy(project.CairoFactRegistry, verifier)


def _transact(contract, method: str, sender, *args) -> dict:
    """A transaction sent straight to the node: ape would trace a multi-million-gas verification."""
    web3 = contract.provider.web3
    data = getattr(contract, method).encode_input(*args)
    tx_hash = web3.eth.send_transaction({"from": sender.address, "to": contract.address,
                                         "data": "0x" + bytes(data).hex(), "gas": 30_000_000})
    return web3.eth.wait_for_transaction_receipt(tx_hash)


def _prove(compiled: Path, words: list[int]):
    run = run_program(compiled, {"words": words}, Path(tempfile.mkdtemp(prefix="prepared-output-run-")))
    assert run.output() == words
    return prove_run(RunnerFiles.from_run(run))  # the prover's default (>= 96-bit) parameters


def test_update_accepted_through_the_stark_registry(project, compiled_program, untraced_node, cairo_fact_registry):
    governor, operator, alice = (ape_accounts.test_accounts[i] for i in (0, 1, 2))
    chain = networks.provider.chain_manager
    escape_verifier = governor.deploy(project.EscapeVerifier)
    program = program_bytecode(compiled_program)
    hash_ = int.from_bytes(program_hash(compiled_program), "big")  # bytecode and builtin list (issue 10)
    state = SharedState(system_time=chain.pending_timestamp)
    params = init_params(governor, escape_verifier, [cairo_fact_registry.address], [], state, mode=ROLLUP,
                         program_hash=hash_)
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
    assert _transact(cairo_fact_registry, "verifyProofAndRegister", governor, proof.to_bytes(), program)["status"] == 1
    assert cairo_fact_registry.isValid(program_output_fact(hash_, words))
    tampered = list(words)
    tampered[-2] += 1  # an on-chain data word: still a well-formed output, not the proven one
    refused(STARK, "updateState with an output the proof did not prove", lambda: update(tampered), "FactNotValid")

    update(words)
    assert contract.sequenceNumber() == 1
    assert contract.getPendingDeposit(key, exchange.collateral, 5) == 0
    assert contract.sharedStateHash() == output.new_state.keccak()
