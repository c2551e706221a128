"""A Spot batch proven by this project's STARK prover and accepted by StarkExchange through the
STARK verifier chain alone (no development registry anywhere).

On the local node: the Cairo verifier stack (offchain/core/l1/stark.py) with Spot's and Perpetual's
batch programs in its CairoProgramStore; StarkExchange in rollup mode (no committee), its verifier
chain that stack's CairoFactRegistry and its program hash Spot's. Alice and Bob deposit on L1; one
batch of cairo/spot (real cairo-lang) takes both deposits, settles two signed orders with fees,
transfers with a fee and withdraws; the operator's StarkFactProver proves its run and registers
the fact; updateState succeeds and Bob's withdrawal pays on L1.

What a forger tries, each refused:
- the proven output with one word changed (the withdrawal's amount): its fact is not registered;
- the Spot proof claimed as a run of Perpetual's program (its statement's program code hash and
  length Perpetual's): both verifiers refuse the statement; and an exchange whose program hash is
  Perpetual's refuses the Spot output (the fact binds the program);
- a truncated run (the first half of the steps, the withdrawal's amount forged in the output
  cells): both verifiers refuse it by the statement's FINAL_PC rule.
"""
from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import ape
import pytest
from ape import accounts as ape_accounts
from ape import networks

from offchain.core.batch_program import PROGRAM_DIR, SPOT_PROGRAM_DIR, compiled_program, run_batch
from offchain.core.batching.executor import RUN_PREFIX
from offchain.core.facts import fact as batch_fact, program_bytecode, program_hash
from offchain.core.l1.stark import StarkFactProver, deploy_cairo_verifier, register_program
from offchain.core.l1.users import register_user
from offchain.core.storage.store import BatchRecord, BatchStatus
from offchain.prover import Proof, ProofError, ProofParams, prove
from offchain.prover.cairo.air import CairoAir
from offchain.prover.cairo.prove import verify_run
from offchain.prover.cairo.runner_files import PublicMemoryCell, RunnerFiles, Segment
from offchain.prover.cairo.statement import CairoStatement, Programs, StatementError, program_code_hash
from offchain.prover.cairo.trace import build_trace
from offchain.prover.params import MIN_SECURITY_BITS_FLOOR
from offchain.spot.assets import TokenKind, asset_info, asset_type
from offchain.spot.batch import execute_batch
from offchain.spot.exchange import deploy_stark_exchange
from offchain.spot.output import HEADER_SIZE, WORDS_PER_MODIFICATION, decode, decode_onchain_data
from offchain.spot.state import GeneralConfig, SpotState
from verifier import rpc
from verifier.forgeries import revert_verdict, rules_off

from .spot_world import ALICE, BOB, CAROL, KEYS, PRIVATE_KEYS, R, batch, deposit, fee_taken, order, settlement, \
    transfer, withdrawal

ROLLUP = 1  # SpotInitParams.dataAvailabilityMode (contracts/core/MainConstants.sol)
ETH_QUANTUM = 10**10
USDC_QUANTUM = 1000
ALICE_ETH, BOB_USDC, ALICE_USDC, BOB_ETH, CAROL_USDC, FEE_ETH, FEE_USDC = (R + i for i in range(1, 8))
BOB_WITHDRAWS = 4  # quantized ETH
NO_BATCH = 2**256 - 1


@pytest.fixture(scope="module")
def programs():
    """Spot's compiled batch program, and Perpetual's (the forger's other known program)."""
    return compiled_program(SPOT_PROGRAM_DIR), compiled_program(PROGRAM_DIR)


@pytest.fixture(scope="module")
def stack(project, programs):
    """The Cairo verifier stack as `ape run deploy` deploys it, both batch programs registered."""
    deployer = ape_accounts.test_accounts[0]
    stack = deploy_cairo_verifier(project, deployer, MIN_SECURITY_BITS_FLOOR)
    for compiled in programs:
        register_program(stack.programs, deployer, program_bytecode(compiled))
    return stack


def deploy_spot(project, stack, program: Path):
    """StarkExchange (rollup) at the genesis state, its verifier chain the STARK registry alone."""
    governor, operator, token_admin = (ape_accounts.test_accounts[i] for i in (0, 1, 4))
    config = GeneralConfig()
    validium, rollup, orders = SpotState(config).roots()
    params = (governor.address, governor.deploy(project.VaultEscapeVerifier).address, [stack.registry.address], [],
              int.from_bytes(program_hash(program), "big"), ROLLUP, 0,
              validium, config.validium_vault_tree_height, rollup, config.rollup_vault_tree_height,
              orders, config.order_tree_height)
    contract = deploy_stark_exchange(project, governor, params)
    contract.registerOperator(operator, sender=governor)
    contract.registerTokenAdmin(token_admin, sender=governor)
    return contract


@pytest.fixture(scope="module")
def world(project, stack, programs):
    """The exchange with ETH and an ERC-20 registered, Alice's and Bob's deposits pending."""
    contract = deploy_spot(project, stack, programs[0])
    token_admin, alice, bob = (ape_accounts.test_accounts[i] for i in (4, 2, 3))
    usdc = token_admin.deploy(project.MintableERC20)
    eth = contract.registerToken(asset_info(TokenKind.ETH), ETH_QUANTUM, sender=token_admin).events[0].assetType
    contract.registerToken(asset_info(TokenKind.ERC20, usdc.address), USDC_QUANTUM, sender=token_admin)
    usdc_type = asset_type(TokenKind.ERC20, USDC_QUANTUM, usdc.address)
    assert eth == asset_type(TokenKind.ETH, ETH_QUANTUM)
    for who, account in ((ALICE, alice), (BOB, bob)):
        register_user(contract, account, PRIVATE_KEYS[who])
    contract.deposit(KEYS[ALICE], eth, ALICE_ETH, 100, value=100 * ETH_QUANTUM, sender=alice)
    usdc.mint(bob, 5000 * USDC_QUANTUM, sender=bob)
    usdc.approve(contract, 5000 * USDC_QUANTUM, sender=bob)
    contract.deposit(KEYS[BOB], usdc_type, BOB_USDC, 5000, sender=bob)
    return contract, eth, usdc_type


def batch_input(eth: int, usdc: int) -> dict:
    """Both deposits, a settlement with a fee from each party (Alice sells 10 ETH for 500 USDC),
    Alice's transfer of 200 USDC to Carol with a fee, Bob's withdrawal of 4 ETH."""
    hours = networks.provider.chain_manager.pending_timestamp // 3600
    expiration = hours + 24 * 365
    a = order(ALICE, ALICE_ETH, ALICE_USDC, 10, 500, eth, usdc, expiration=expiration, fee=(eth, 1, ALICE_ETH))
    b = order(BOB, BOB_USDC, BOB_ETH, 500, 10, usdc, eth, expiration=expiration, fee=(usdc, 5, BOB_USDC))
    transactions = [
        deposit(ALICE, ALICE_ETH, eth, 100), deposit(BOB, BOB_USDC, usdc, 5000),
        settlement(a, b, 10, 500, a_fee=fee_taken(1, FEE_ETH), b_fee=fee_taken(5, FEE_USDC)),
        transfer(ALICE, ALICE_USDC, CAROL, CAROL_USDC, usdc, 200, expiration=expiration,
                 fee=(usdc, 2, ALICE_USDC), taken=fee_taken(2, FEE_USDC)),
        withdrawal(BOB, BOB_ETH, eth, BOB_WITHDRAWS),
    ]
    return batch(transactions, global_expiration=hours + 2)


@pytest.fixture(scope="module")
def proven(world, stack, programs):
    """The batch run by the Spot program in the operator's run folder, proven and its fact
    registered by the operator's StarkFactProver."""
    contract, eth, usdc = world
    program_input = batch_input(eth, usdc)
    runs = Path(tempfile.mkdtemp(prefix="spot-proven-"))
    run = run_batch(program_input, runs / f"{RUN_PREFIX}0", program=programs[0])
    assert run.output == execute_batch(program_input).words
    prover = StarkFactProver(stack, ape_accounts.test_accounts[1], programs[0], runs)
    record = BatchRecord(0, 0, len(program_input["transactions"]) - 1, BatchStatus.EXECUTED, {"output": run.output})
    result = prover.prove(record)
    return run, prover, record, result, program_input


def test_a_proven_spot_batch_is_accepted_through_the_stark_registry(world, stack, programs, proven):
    contract, eth, usdc = world
    run, prover, record, result, program_input = proven
    operator, bob = ape_accounts.test_accounts[1], ape_accounts.test_accounts[3]
    words = run.output
    fact = batch_fact(program_hash(programs[0]), words)
    assert result["fact"] == "0x" + fact.hex() and result["prover"] == "stark"
    assert result["registration_transactions"] and stack.registry.isValid(fact)
    assert prover.proof_file(0).exists()
    # A retried step (a restarted operator): the fact is valid, nothing is proven or sent again.
    assert prover.prove(record) == {"fact": result["fact"], "prover": "stark"}

    output = decode(words)
    changes = sorted((m.vault_id, m.diff) for m in output.modifications)
    assert changes == [(ALICE_ETH, 100), (BOB_USDC, 5000), (BOB_ETH, -BOB_WITHDRAWS)]
    after = execute_batch(program_input).state
    assert decode_onchain_data(output.onchain_data) == {i: v.normalized() for i, v in after.vaults.items()}
    assert len(after.vaults) == 7
    contract.updateState(words, [0, NO_BATCH], sender=operator)
    assert contract.sequenceNumber() == 1
    assert (contract.getValidiumVaultRoot(), contract.getRollupVaultRoot(), contract.getOrderRoot()) == \
        output.final_roots
    assert contract.getPendingDeposit(KEYS[ALICE], eth, ALICE_ETH) == 0
    assert contract.getPendingDeposit(KEYS[BOB], usdc, BOB_USDC) == 0
    assert contract.getWithdrawalBalance(KEYS[BOB], eth) == BOB_WITHDRAWS
    before = bob.balance
    receipt = contract.withdraw(KEYS[BOB], eth, sender=bob)
    assert bob.balance == before + BOB_WITHDRAWS * ETH_QUANTUM - receipt.total_fees_paid


# --- what a forger tries -------------------------------------------------------------------


def with_bob_withdrawing_400(words: list[int]) -> list[int]:
    """The output with the withdrawal's action word (docs/spot/program-output.md) changed: Bob
    withdraws 400, a well-formed output but not the proven one."""
    i = next(i for i, m in enumerate(decode(words).modifications) if m.diff < 0)
    at = HEADER_SIZE + WORDS_PER_MODIFICATION * i + 2
    assert words[at] % 2**64 == 2**63 - BOB_WITHDRAWS  # the biased diff
    return words[:at] + [words[at] - 396] + words[at + 1:]


def verdicts(stack, proof: bytes, programs: Programs) -> tuple[tuple, tuple]:
    """(the Python verifier's, the on-chain StarkVerifier's) verdict: ("accepted", None) or the
    failed check and, for a refused statement, the rule's name. On L1 a whole proof is verified
    in one call (an eth_call): a refused statement reverts before the proof is read, while an
    honest batch's proof needs the split registration (register_proof) to fit the gas limit."""
    try:
        verify_run(proof, programs)
        python = ("accepted", None)
    except ProofError as e:
        cause = e.__cause__
        python = (e.check, cause.rule.name if isinstance(cause, StatementError) else None)
    try:
        rpc.verify(stack.verifier, proof)
        solidity = ("accepted", None)
    except rpc.Reverted as e:
        solidity = revert_verdict(e)
    return python, solidity


def known_programs(programs) -> Programs:
    return Programs([program_bytecode(p) for p in programs])


def test_a_changed_output_word_is_refused(world, proven):
    contract = world[0]
    words = with_bob_withdrawing_400(proven[0].output)
    with ape.reverts(contract.FactNotValid):
        contract.updateState(words, [0, NO_BATCH], sender=ape_accounts.test_accounts[1])


def test_the_spot_proof_claimed_for_perpetuals_program_is_refused(project, stack, programs, proven):
    prover = proven[1]
    proof_bytes = prover.proof_file(0).read_bytes()
    known = known_programs(programs)
    assert verify_run(proof_bytes, known).output() == proven[0].output  # (on L1: the first test)
    proof = Proof.from_bytes(proof_bytes)
    perpetual = program_bytecode(programs[1])
    code_hash = int.from_bytes(program_code_hash(perpetual), "big")
    statement = CairoStatement.from_field_elements(list(proof.public_inputs))
    # The hash alone (the length is Spot's: no known program has both), then hash and length.
    hash_only = replace(statement, program_hash_high=code_hash >> 128, program_hash_low=code_hash % 2**128)
    both = replace(hash_only, program_length=len(perpetual))
    for claimed, rule in ((hash_only, "PROGRAM_SEGMENT"), (both, "INITIAL_AP")):
        forged = replace(proof, public_inputs=claimed.to_field_elements()).to_bytes()
        assert verdicts(stack, forged, known) == (("StatementRejected", rule),) * 2
    # And the fact binds the program: an exchange running Perpetual's program refuses the output.
    perpetual_exchange = deploy_spot(project, stack, programs[1])
    with ape.reverts(perpetual_exchange.FactNotValid):
        perpetual_exchange.updateState(proven[0].output, [0, NO_BATCH], sender=ape_accounts.test_accounts[1])


def test_a_truncated_spot_run_is_refused(world, stack, programs, proven):
    """The first half of the run's steps claimed as the whole run, with the withdrawal's amount
    forged in the output cells the statement lists; the forger's own prover proves it, its rules
    and checks off."""
    run = proven[0].run
    files = RunnerFiles.from_run(run)
    pi = files.public_input
    steps = len(files.trace) // 2
    last = files.trace[steps - 1]
    output = pi.segments["output"]
    forged_output = with_bob_withdrawing_400(proven[0].output)
    cells = [PublicMemoryCell(c.address, forged_output[c.address - output.begin]
                              if output.begin <= c.address < output.stop else c.value) for c in pi.public_memory]
    forged_pi = replace(pi, n_steps=steps, public_memory=tuple(cells), segments={
        **pi.segments, "program": Segment(pi.initial_pc, last.pc), "execution": Segment(pi.initial_ap, last.ap)})
    known = known_programs(programs)
    with rules_off():
        trace = build_trace(replace(files, trace=files.trace[:steps], public_input=forged_pi))
        assert trace.statement.output() == forged_output
        proof = prove(CairoAir.knowing(known)(len(trace.main[0]), trace.statement.to_field_elements()),
                      trace.main, ProofParams(), check=False)
    assert verdicts(stack, proof.to_bytes(), known) == (("StatementRejected", "FINAL_PC"),) * 2
    assert not stack.registry.isValid(batch_fact(program_hash(programs[0]), forged_output))
