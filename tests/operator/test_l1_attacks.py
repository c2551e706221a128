"""The attacks of issue 17 that stopped the exchange for good, replayed on the local node against
a running operator: each is now refused at the door, and the exchange goes on (the genuine
transaction after it lands on L1). Also: the L1 windows the gateway applies are the contract's."""
import dataclasses

import pytest
from ape.exceptions import ContractLogicError
from eth_utils import keccak

from clients import Gateway, gateway_client
from offchain.core.facts import fact as statement_fact
from offchain.core.gateway.access import Role
from offchain.perpetual.local import ETH_QUANTUM
from offchain.perpetual.windows import MAX_SYSTEM_TIME_LAG, MAX_SYSTEM_TIME_LEAD
from offchain.perpetual.batch import decode_output
from offchain.perpetual.transactions import FundingTick
from offchain.core.storage import BatchStatus
from tally import TALLY
from test_operator_l1 import ALICE, ALICE_POSITION, BOB, BOB_POSITION, alice_and_bob
from dev_registry import dev_registry


@pytest.fixture
def stack(project, accounts, chain, tmp_path):
    return alice_and_bob(project, accounts, chain, tmp_path, alice_deposit=None, run_cairo=False, **dev_registry(project, accounts[0]))


def refused(operator, role: Role, tx: dict, status: int, code: str, input_class: str) -> None:
    client = gateway_client(operator, role)
    tx_id = client.get("/gateway/testing/get_first_unused_tx_id").json()
    response = client.post("/gateway/add_transaction", json={"tx_id": tx_id, "tx": tx})
    TALLY.record(input_class, response.status_code)
    assert (response.status_code, response.json()["code"]) == (status, code), response.json()


def test_poisoned_funding_tick_is_refused_and_genuine_ticks_still_land(stack, chain):
    operator = stack.operator()
    gateway = Gateway(operator)
    poisoned = FundingTick(indices={}, timestamp=2**40).to_json()
    refused(operator, Role.PRICE_SOURCE, poisoned, 400, "INVALID_FUNDING_TICK_TIMESTAMP", "L1 attack: poisoned tick")
    refused(operator, Role.APPLICATION, poisoned, 403, "FORBIDDEN_TRANSACTION_TYPE", "L1 attack: poisoned tick")
    genuine = FundingTick(indices={}, timestamp=chain.pending_timestamp + 60).to_json()
    _, response = gateway.post(genuine)
    assert response.status_code == 200, response.json()
    assert [b.status for b in operator.drain()] == [BatchStatus.ACCEPTED]
    assert stack.deployment.exchange.lastBatchId() == 0


def test_unrequested_forced_withdrawal_and_front_run_deposit_are_refused(stack, accounts):
    exchange, collateral = stack.deployment.exchange, stack.deployment.collateral_asset_type
    operator = stack.operator()
    exchange.deposit(ALICE, collateral, ALICE_POSITION, 500, value=500 * ETH_QUANTUM, sender=accounts[2])
    # Right after the L1 deposit is mined, before the watcher reads it: a 1-unit DEPOSIT for it.
    front_run = {"type": "DEPOSIT", "position_id": ALICE_POSITION, "public_key": ALICE, "amount": 1}
    unrequested = {"type": "FORCED_WITHDRAWAL", "position_id": ALICE_POSITION, "public_key": ALICE, "amount": 1, "is_valid": 1}
    for role in Role:
        for tx in (front_run, unrequested):
            refused(operator, role, tx, 403, "FORBIDDEN_TRANSACTION_TYPE", "L1 attack: L1-made type")
    assert operator.watcher.poll() == [0]
    assert operator.store.get_transaction(0).tx == {**front_run, "amount": 500}  # the watcher's, whole
    assert [b.status for b in operator.drain()] == [BatchStatus.ACCEPTED]
    assert exchange.getPendingDeposit(ALICE, collateral, ALICE_POSITION) == 0


def test_deposit_the_model_refuses_does_not_stop_the_watcher(stack, accounts):
    """A deposit to a position that belongs to another key cannot be credited: it stays pending
    on L1 (its owner cancels and reclaims it), and the requests after it are still served."""
    exchange, collateral = stack.deployment.exchange, stack.deployment.collateral_asset_type
    exchange.deposit(ALICE, collateral, ALICE_POSITION, 500, value=500 * ETH_QUANTUM, sender=accounts[2])
    exchange.deposit(BOB, collateral, ALICE_POSITION, 70, value=70 * ETH_QUANTUM, sender=accounts[3])  # Alice's position
    exchange.deposit(BOB, collateral, BOB_POSITION, 80, value=80 * ETH_QUANTUM, sender=accounts[3])
    operator = stack.operator()
    assert operator.watcher.poll() == [0, 1]
    assert [t.tx["public_key"] for t in operator.store.transactions_in(0, 1)] == [ALICE, BOB]
    operator.drain()
    assert exchange.getPendingDeposit(BOB, collateral, ALICE_POSITION) == 70


def test_system_time_window_is_the_contracts(stack, accounts, chain):
    """offchain/perpetual/windows.py against the deployed exchange: a batch's system time just inside
    each bound passes updateState's check, just outside reverts SystemTimeOutOfRange."""
    exchange = stack.deployment.exchange
    operator = stack.operator()
    batch = operator.store.close_batch(1) or None
    assert batch is None  # nothing pending: build an empty batch by hand
    operator.store.add_transaction(0, FundingTick(indices={}, timestamp=chain.pending_timestamp).to_json(), origin="test")
    batch = operator.store.close_batch(1)
    result = operator.executor.execute(batch, operator.store.effective_transactions_in(0, 0))
    output = decode_output(result["output"])
    now = chain.pending_timestamp

    def update_with(system_time: int):
        words = dataclasses.replace(output, new_state=dataclasses.replace(output.new_state, system_time=system_time)).to_words()
        stack.fact_registry.registerFact(statement_fact(stack.program_hash, words), sender=stack.deployer)
        return lambda: exchange.updateState.call(words, result["application_data"], sender=stack.operator_account)

    margin = 120  # seconds: blocks mined while the test runs move L1's clock a little
    update_with(now + MAX_SYSTEM_TIME_LEAD - margin)()
    update_with(now - MAX_SYSTEM_TIME_LAG + margin)()
    # An eth_call's custom error comes back undecoded: matched by its selector.
    selector = keccak(b"SystemTimeOutOfRange(uint256)")[:4].hex()
    for outside in (now + MAX_SYSTEM_TIME_LEAD + margin, now - MAX_SYSTEM_TIME_LAG - margin):
        with pytest.raises(ContractLogicError) as reverted:
            update_with(outside)()
        assert selector in str(reverted.value)
