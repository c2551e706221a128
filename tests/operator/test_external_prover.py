"""An operator attached to an exchange it did not deploy (what `ape run operator --deployment`
does on a real network), proving through an external service: the batch waits at EXECUTED,
durable, with its job file written, until the verifier chain holds its fact; then it goes on
to L1. Here the service's registry is the local development one, written by the test."""
import json

import pytest
from clients import gateway_client
from dev_registry import dev_registry

from offchain.core.batching.pipeline import BatchPolicy
from offchain.core.facts import fact as statement_fact
from offchain.perpetual.deployment_file import DeploymentRecord
from offchain.core.l1.state_update import NO_BATCH
from offchain.perpetual.config import general_config_hash
from offchain.core.storage import BatchStatus

from test_operator_l1 import alice_and_bob, user_transactions


@pytest.fixture
def stack(project, accounts, chain, tmp_path):
    """Alice and Bob's stack whose verifier chain is a development registry: the test plays the
    external proving service that registers the fact."""
    return alice_and_bob(project, accounts, chain, tmp_path, **dev_registry(project, accounts[0]))


def test_attached_operator_waits_for_the_external_fact_then_updates_l1(stack, project, chain, tmp_path):
    record = DeploymentRecord.of(stack.deployment, stack.genesis, stack.program_hash, chain.chain_id,
                                 stack.settings.start_block)
    record.save(tmp_path / "deployment.json")
    loaded = DeploymentRecord.load(tmp_path / "deployment.json")
    assert (loaded.exchange, loaded.verifier_chain, loaded.program_hash, loaded.start_block) == \
        (record.exchange, record.verifier_chain, record.program_hash, record.start_block)
    assert general_config_hash(loaded.genesis.config) == general_config_hash(stack.genesis.config)
    assert loaded.genesis.shared_state() == stack.genesis.shared_state()
    workdir = tmp_path / "attached"
    workdir.mkdir()
    operator = loaded.operator(project, chain, stack.operator_account, workdir, BatchPolicy(max_size=10, max_age_seconds=0))
    operator.watcher.poll()
    client = gateway_client(operator)
    for tx in user_transactions(stack):
        tx_id = client.get("/gateway/testing/get_first_unused_tx_id").json()
        assert client.post("/gateway/add_transaction", json={"tx_id": tx_id, "tx": tx}).status_code == 200

    assert operator.drain() == []  # executed, then waiting for the service
    batch = operator.store.get_batch(0)
    assert batch.status is BatchStatus.EXECUTED
    assert stack.deployment.exchange.lastBatchId() == NO_BATCH
    job = json.loads((workdir / "proving-jobs" / "batch-0.json").read_text())
    fact = statement_fact(stack.program_hash, batch.data["output"])
    assert job["fact"] == "0x" + fact.hex() and job["program_hash"] == "0x" + stack.program_hash.hex()
    assert [int(w, 16) for w in job["output"]] == batch.data["output"]
    assert job["cairo_run"] is not None and (workdir / "batch-0").is_dir()

    stack.fact_registry.registerFact(fact, sender=stack.deployer)  # the proving service is done
    assert [b.batch_id for b in operator.drain()] == [0]
    assert stack.deployment.exchange.lastBatchId() == 0
    assert stack.deployment.exchange.positionsRoot() == operator.pipeline.executor.state.positions_root
    assert operator.store.get_batch(0).data["prover"] == "external"
