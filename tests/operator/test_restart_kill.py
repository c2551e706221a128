"""kill -9 for real: the operator runs as a process of its own (`starkex-operator run-local`)
against the test's local node and SIGKILLs itself at a named pipeline step (STARKEX_CRASH_AT).

One chain of processes over one database and one chain: each process resumes from the crash of
the one before and then dies at the next point, so every point is crashed at and resumed from
once, with 8 process starts instead of 14 (a start costs ~10 s here: Ape's import and
connection). Between two processes the store and L1 are checked to be exactly at the crash
point; at the end every transaction must have been applied exactly once: the L1 positions root
is the model's root of all transactions, batch ids are consecutive, L1 saw one state update per
batch, and the withdrawal is paid once.

Batches are run by the Cairo program and proven by the STARK prover, their facts registered
through the on-chain STARK verifier, so the chain also crashes inside proving: with the proof
written and nothing sent (PROOF_WRITTEN: the next process does not prove again), and with every
statement on L1 but not the fact (STATEMENTS_REGISTERED: none is sent twice).
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from offchain.core.batching import crash
from offchain.core.batching.pipeline import BatchPolicy
from offchain.cli import save_stack
from offchain.core.gateway.access import Role
from offchain.core.facts import fact as statement_fact
from offchain.core.l1.state_update import NO_BATCH
from offchain.perpetual.local import ETH_QUANTUM
from offchain.perpetual.batch import execute_batch
from offchain.perpetual.transactions import transaction_from_json
from offchain.core.storage import BatchStatus, OperatorStore
# The same users and transactions as the in-process flow.
from test_operator_l1 import ALICE, ALICE_POSITION, BOB, alice_and_bob, user_transactions

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# A free port, not the operator's default: a demo or another session may hold 8642.
GATEWAY_PORT = int(os.environ.get("STARKEX_TEST_GATEWAY_PORT") or _free_port())
DEADLINE = 400.0  # seconds for any one wait: far above what each takes (a batch's proof: ~20 s)


@pytest.fixture
def stack(project, accounts, chain, tmp_path):
    return alice_and_bob(project, accounts, chain, tmp_path, batch_policy=BatchPolicy(max_size=2, max_age_seconds=2.0))


class OperatorProcess:
    def __init__(self, stack_file: Path, logfile: Path, provider_uri: str, crash_at: str | None, headers: dict):
        env = {**os.environ, "APE_FOUNDRY_HOST": provider_uri, "PYTHONPATH": str(ROOT)}
        env.pop(crash.ENVIRONMENT_VARIABLE, None)
        if crash_at:
            env[crash.ENVIRONMENT_VARIABLE] = crash_at
        self.logfile = logfile
        with logfile.open("w") as log:  # the child keeps its own descriptor
            self.process = subprocess.Popen(
                [sys.executable, "-m", "offchain.cli", "run-local", "--stack", str(stack_file), "--port", str(GATEWAY_PORT)],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{GATEWAY_PORT}", timeout=30, headers=headers)
        # A process resuming a batch may reach its crash point before its gateway is polled.
        wait_for(lambda: self._alive() or self.exited(), "the gateway to answer")
        if self.exited() and self.process.returncode != -signal.SIGKILL:
            raise AssertionError(f"the operator died while starting:\n{self.logfile.read_text()[-3000:]}")

    def _alive(self) -> bool:
        try:
            return self.client.get("/gateway/is_alive").status_code == 200
        except httpx.TransportError:
            return False

    def exited(self) -> bool:
        return self.process.poll() is not None

    def kill(self) -> None:
        if not self.exited():
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.client.close()

    def log_entries(self) -> list[dict]:
        return [json.loads(line) for line in self.logfile.read_text().splitlines() if line.startswith("{")]


def wait_for(condition, what: str, process: OperatorProcess | None = None) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if process is not None and process.exited():
            raise AssertionError(f"the operator died while waiting for {what}:\n{process.logfile.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def post(process: OperatorProcess, tx_id: int, tx: dict) -> httpx.Response | None:
    """None when the process died before answering: the client does not know if it was stored."""
    try:
        return process.client.post("/gateway/add_transaction", json={"tx_id": tx_id, "tx": tx})
    except httpx.TransportError:
        return None


def status_of(process: OperatorProcess, tx_id: int) -> str:
    return process.client.get("/gateway/get_transaction", params={"tx_id": tx_id}).json()["status"]


# Batch 0 ({deposit, transfer}) is crashed at each of its steps in turn; then a process dies
# while storing the withdrawal (tx 2), so that the client's resend meets a process that lives.
CHAIN = (crash.EXECUTED, crash.PROOF_WRITTEN, crash.STATEMENTS_REGISTERED, crash.FACT_REGISTERED, crash.UPDATE_SENT,
         crash.ACCEPTED, crash.TX_STORED)


def check_stopped_at(point: str, stack, store: OperatorStore) -> None:
    """What the store and L1 hold right after a crash at `point`."""
    batch = store.get_batch(0)
    exchange = stack.deployment.exchange
    if point == crash.TX_STORED:
        assert store.first_unused_tx_id() == 3  # durable although never answered
        return
    fact = statement_fact(stack.program_hash, batch.data["output"])
    proof_file = stack.settings.workdir / "batch-0" / "proof.bin"
    statements = list(stack.stark.statements.StatementRegistered.range(stack.settings.start_block,
                                                                       stack.chain.blocks.height + 1))
    if point == crash.EXECUTED:
        assert batch.status is BatchStatus.EXECUTED and not stack.fact_registry.isValid(fact)
        assert not proof_file.exists() and not statements
    elif point == crash.PROOF_WRITTEN:  # proven, nothing sent
        assert batch.status is BatchStatus.EXECUTED and proof_file.exists() and not statements
    elif point == crash.STATEMENTS_REGISTERED:  # every statement on L1, once; not the fact
        assert batch.status is BatchStatus.EXECUTED and not stack.fact_registry.isValid(fact)
        facts = [bytes(e.fact) for e in statements]
        assert facts and len(facts) == len(set(facts))
    elif point == crash.FACT_REGISTERED:  # an L1 effect the store does not know of
        assert batch.status is BatchStatus.EXECUTED and stack.fact_registry.isValid(fact)
    elif point == crash.UPDATE_SENT:  # the same, for the state update
        assert batch.status is BatchStatus.PROVED and exchange.lastBatchId() == 0
    elif point == crash.ACCEPTED:
        assert batch.status is BatchStatus.ACCEPTED and exchange.lastBatchId() == 0
    if point in (crash.EXECUTED, crash.PROOF_WRITTEN, crash.STATEMENTS_REGISTERED, crash.FACT_REGISTERED):
        assert exchange.lastBatchId() == NO_BATCH


def test_operator_killed_at_each_step_resumes_exactly_once(stack, accounts, chain, tmp_path):
    assert sorted(CHAIN) == sorted(crash.POINTS)
    stack_file = tmp_path / "stack.pickle"
    save_stack(stack, stack_file)
    transfer, withdrawal = user_transactions(stack)
    uri = chain.provider.uri
    store = OperatorStore(stack.settings.database_url)
    progress: list[dict] = []
    headers = stack.settings.gateway_access.client(Role.APPLICATION).header()  # saved with the stack

    previous = None
    for n, point in enumerate(CHAIN):
        process = OperatorProcess(stack_file, tmp_path / f"{n}.log", uri, crash_at=point, headers=headers)
        try:
            if n == 0:
                wait_for(lambda: process.client.get("/gateway/testing/get_first_unused_tx_id").json() == 1,
                         "the L1 deposit", process)
                answer = post(process, 1, transfer)  # completes batch 0, which goes down the pipeline
                # The answer may race the crash at the end of batch 0's first step: stored either way.
                assert (answer is not None and answer.status_code == 200) or store.first_unused_tx_id() == 2
            if point == crash.TX_STORED:
                assert store.get_batch(0).status is BatchStatus.ACCEPTED and store.first_unused_tx_id() == 2
                assert post(process, 2, withdrawal) is None  # stored, then killed before answering
            wait_for(process.exited, f"the crash at {point}")
        finally:
            process.kill()
        assert process.process.returncode == -signal.SIGKILL, f"the process meant to die at {point} exited otherwise"
        check_stopped_at(point, stack, store)
        progress += process.log_entries()

    last = OperatorProcess(stack_file, tmp_path / "last.log", uri, crash_at=None, headers=headers)
    try:
        # The client never saw the answer: it sends the same transaction again, harmlessly.
        resent = post(last, 2, withdrawal)
        assert resent is not None and resent.status_code == 200, resent and resent.json()
        assert last.client.get("/gateway/testing/get_first_unused_tx_id").json() == 3  # nothing made twice
        wait_for(lambda: status_of(last, 2) == "ACCEPTED", "every transaction accepted", last)
    finally:
        last.kill()
    progress += last.log_entries()

    check_applied_exactly_once(stack, accounts)
    # Each batch was proven once: the process after the crash at PROOF_WRITTEN used the proof on disk.
    proofs = [e["batch_id"] for e in progress if e.get("stage") == "stark_prove" and e.get("event") == "started"]
    assert sorted(proofs) == sorted(set(proofs))
    # No statement was sent twice by the processes that resumed inside proving.
    statements = [bytes(e.fact) for e in stack.stark.statements.StatementRegistered.range(
        stack.settings.start_block, stack.chain.blocks.height + 1)]
    assert len(statements) == len(set(statements))
    # Long steps report their progress as structured lines with the elapsed time.
    stages = {(e["stage"], e["event"]) for e in progress if "stage" in e}
    assert {("execute", "started"), ("execute", "done"), ("prove", "started"), ("prove", "done"),
            ("stark_prove", "done")} <= stages
    assert all(e["elapsed_s"] >= 0 for e in progress if "stage" in e)


def check_applied_exactly_once(stack, accounts):
    exchange = stack.deployment.exchange
    collateral = stack.deployment.collateral_asset_type
    store = OperatorStore(stack.settings.database_url)
    stored = store.transactions_in(0, 10)
    assert [t.tx_id for t in stored] == [0, 1, 2]
    batches = list(store.iter_batches())
    assert [b.batch_id for b in batches] == list(range(len(batches)))
    assert all(b.status is BatchStatus.ACCEPTED for b in batches)
    assert [i for b in batches for i in b.tx_ids] == [0, 1, 2]  # each transaction in exactly one batch
    updates = list(exchange.LogStateUpdate.range(stack.settings.start_block, stack.chain.blocks.height + 1))
    assert [int(u.batchId) for u in updates] == [b.batch_id for b in batches]  # one update per batch
    assert exchange.lastBatchId() == batches[-1].batch_id
    model = execute_batch(stack.genesis, [transaction_from_json(t.tx) for t in stored]).state
    assert exchange.positionsRoot() == model.positions_root
    assert exchange.getPendingDeposit(ALICE, collateral, ALICE_POSITION) == 0
    assert exchange.getWithdrawalBalance(BOB, collateral) == 120
    before = accounts[3].balance
    receipt = exchange.withdraw(BOB, collateral, sender=accounts[3])
    assert accounts[3].balance == before + 120 * ETH_QUANTUM - receipt.total_fees_paid
    assert exchange.getWithdrawalBalance(BOB, collateral) == 0
