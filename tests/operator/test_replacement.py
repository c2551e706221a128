"""Recovery by replacement (StarkEx's mark_transaction_for_replacement and alternative
transactions): an acknowledged transaction that can no longer be executed is replaced instead of
blocking every batch after it.

On the local node: a transfer expires while the operator is down (L1's clock moves on), the
withdrawal that depended on it becomes invalid; the operator marks both, batches what comes
before, waits for the application's alternatives and then lands them on L1. In-process: the
application's own mark, cascades, REPLACED_BEFORE, and the operator replacing what it made from L1.
"""
import pytest

from clients import gateway_client
from offchain.core.gateway.intake import IntakeRejected, TransactionIntake
from offchain.perpetual import signing
from offchain.core.storage import OperatorStore
from test_gateway import ALICE_KEY, BOB, BOB_KEY, COLLATERAL, EXPIRATION, NOW, deposit, genesis, transfer
from test_operator_l1 import ALICE_POSITION, BOB_POSITION, alice_and_bob
from tally import TALLY
from dev_registry import dev_registry


@pytest.fixture
def stack(project, accounts, chain, tmp_path):
    return alice_and_bob(project, accounts, chain, tmp_path, run_cairo=False, **dev_registry(project, accounts[0]))


def signed(stack, hours_left: int, nonce: int):
    """Alice's transfer of 300 to Bob and Bob's withdrawal of 120, expiring hours_left from now."""
    expiration = stack.chain.pending_timestamp // 3600 + hours_left
    collateral = stack.deployment.collateral_asset_type
    transfer_ = signing.transfer(ALICE_KEY, asset_id=collateral, sender_position_id=ALICE_POSITION,
                                 receiver_position_id=BOB_POSITION, receiver_public_key=BOB, amount=300,
                                 nonce=nonce, expiration_timestamp=expiration).to_json()
    withdrawal = signing.withdrawal(BOB_KEY, collateral_asset_id=collateral, position_id=BOB_POSITION, amount=120,
                                    nonce=nonce, expiration_timestamp=stack.chain.pending_timestamp // 3600 + 48).to_json()
    return transfer_, withdrawal


def test_transaction_expired_while_the_operator_was_down_is_replaced(stack, accounts, chain):
    operator = stack.operator()
    client = gateway_client(operator)
    operator.watcher.poll()  # tx 0: Alice's deposit
    transfer_, withdrawal = signed(stack, hours_left=2, nonce=1)  # just admissible: 2 hours left
    for tx_id, tx in ((1, transfer_), (2, withdrawal)):
        assert client.post("/gateway/add_transaction", json={"tx_id": tx_id, "tx": tx}).status_code == 200

    chain.mine(1, deltatime=2 * 3600)  # the operator was down for two hours: the transfer expired
    accepted = operator.drain()
    # The deposit still landed; the transfer is marked, and the withdrawal that needed its funds too.
    assert [b.tx_ids for b in accepted] == [range(0, 1)]
    status = client.get("/gateway/get_transaction", params={"tx_id": 1}).json()
    assert status["status"] == "REPLACEMENT_REQUESTED" and "EXPIRED" in status["replacement_reason"], status
    assert client.get("/gateway/get_transaction", params={"tx_id": 2}).json()["status"] == "REPLACEMENT_REQUESTED"
    assert operator.drain() == []  # nothing can batch past tx 1 until it is replaced

    # The application re-signs: an alternative for each; an invalid alternative is refused first.
    new_transfer, new_withdrawal = signed(stack, hours_left=24, nonce=2)
    out_of_order = client.post("/gateway/add_alternative_transactions", json={"tx_id": 1, "alternative_txs": [new_withdrawal]})
    TALLY.record("recovery: invalid alternative", out_of_order.status_code)
    assert out_of_order.status_code == 400  # Bob has nothing before the transfer: his withdrawal cannot stand in for it
    assert "alternative 0" in out_of_order.json()["message"]
    for tx_id, alternatives in ((1, [new_transfer]), (2, [new_withdrawal])):
        answer = client.post("/gateway/add_alternative_transactions", json={"tx_id": tx_id, "alternative_txs": alternatives})
        assert answer.json() == {"code": "ALTERNATIVE_TRANSACTIONS_RECEIVED", "tx_id": tx_id}
    again = client.post("/gateway/add_alternative_transactions", json={"tx_id": 1, "alternative_txs": []})
    assert (again.status_code, again.json()["code"]) == (409, "REPLACED_BEFORE")

    accepted = operator.drain()
    assert [b.tx_ids for b in accepted] == [range(1, 3)]
    assert client.get("/gateway/get_transaction", params={"tx_id": 1}).json()["status"] == "ACCEPTED"
    exchange, collateral = stack.deployment.exchange, stack.deployment.collateral_asset_type
    assert exchange.positionsRoot() == operator.pipeline.executor.state.positions_root
    assert exchange.getWithdrawalBalance(BOB, collateral) == 120
    # A restarted operator replays the alternatives, not the replaced transactions.
    assert stack.operator().intake.state.positions_root == operator.pipeline.executor.state.positions_root


@pytest.fixture
def intake(tmp_path):
    return TransactionIntake(OperatorStore(f"sqlite:///{tmp_path}/operator.sqlite"), genesis(), clock=lambda: NOW)


def test_application_marks_and_replaces_with_nothing(intake):
    intake.submit_from_l1(deposit(1000), "0xd:0")
    intake.submit(1, transfer(400))
    intake.submit(2, transfer(600, nonce=2))
    intake.submit(3, signing.withdrawal(BOB_KEY, collateral_asset_id=COLLATERAL, position_id=2, amount=900, nonce=1,
                                        expiration_timestamp=EXPIRATION).to_json())
    intake.mark_for_replacement(1, "the user cancelled")
    # Without the 400 Bob cannot withdraw 900: the withdrawal is marked too; the other transfer still applies.
    statuses = [intake.store.get_transaction(i).status for i in range(4)]
    assert statuses == [None, "REPLACEMENT_REQUESTED", None, "REPLACEMENT_REQUESTED"]
    assert intake.store.close_batch(10).tx_ids == range(0, 1)  # batching stops before tx 1
    intake.add_alternatives(1, [])
    intake.add_alternatives(3, [])
    assert intake.store.close_batch(10).tx_ids == range(1, 4)
    assert intake.store.effective_transactions_in(1, 3) == [transfer(600, nonce=2)]
    with pytest.raises(IntakeRejected) as batched:
        intake.mark_for_replacement(2, "too late")
    assert batched.value.code == "TRANSACTION_ALREADY_BATCHED"


def test_operator_replaces_what_it_made_from_l1(intake):
    """Bob's forced withdrawal, valid while Alice's transfer stood, is served as invalid once the
    transfer is replaced: the operator flips it itself (no client could), and refuses to let the
    application mark it."""
    intake.submit_from_l1(deposit(1000), "0xd:0")
    intake.submit(1, transfer(400))
    forced = {"type": "FORCED_WITHDRAWAL", "position_id": 2, "public_key": BOB, "amount": 300, "is_valid": 1}
    assert intake.submit_from_l1(forced, "0xf:0") == 2
    with pytest.raises(IntakeRejected) as forbidden:
        intake.mark_for_replacement(2, "not yours")
    assert forbidden.value.status == 403
    intake.mark_for_replacement(1, "the user cancelled")
    replaced = intake.store.get_transaction(2)
    assert replaced.status == "REPLACED" and replaced.alternatives == [{**forced, "is_valid": 0}]
    intake.add_alternatives(1, [])
    assert intake.store.close_batch(10).tx_ids == range(0, 3)
