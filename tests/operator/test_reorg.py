"""L1 reorganisations, made by the local node itself (`anvil_reorg`): a deposit in a block that
is reorganised away never becomes a DEPOSIT (the watcher reads at a confirmation depth), and a
state update (and its fact) dropped by a reorganisation is proven and sent again."""
import pytest

from clients import gateway_client
from offchain.perpetual.local import ETH_QUANTUM
from offchain.core.storage import BatchStatus
from test_operator_l1 import ALICE, ALICE_POSITION, BOB, alice_and_bob, user_transactions
from dev_registry import dev_registry

DEPTH = 3


@pytest.fixture
def stack(project, accounts, chain, tmp_path):
    stack = alice_and_bob(project, accounts, chain, tmp_path, alice_deposit=None, run_cairo=False, **dev_registry(project, accounts[0]))
    stack.settings.confirmations = DEPTH  # the watcher's and the pipeline's
    return stack


def reorg(chain, depth: int) -> None:
    """Replaces the last `depth` blocks with empty ones: their transactions are gone."""
    chain.provider.make_request("anvil_reorg", [depth, []])


def test_deposit_reorganised_away_before_its_confirmations_is_never_made(stack, accounts, chain):
    exchange, collateral = stack.deployment.exchange, stack.deployment.collateral_asset_type
    operator = stack.operator()
    exchange.deposit(ALICE, collateral, ALICE_POSITION, 700, value=700 * ETH_QUANTUM, sender=accounts[2])
    assert operator.watcher.poll() == []  # not yet DEPTH blocks on top
    reorg(chain, 1)
    assert exchange.getPendingDeposit(ALICE, collateral, ALICE_POSITION) == 0  # L1 no longer has it
    chain.mine(DEPTH + 1)
    assert operator.watcher.poll() == []
    assert operator.store.first_unused_tx_id() == 0
    # A deposit that stays is made once it is deep enough, and its batch lands.
    exchange.deposit(ALICE, collateral, ALICE_POSITION, 500, value=500 * ETH_QUANTUM, sender=accounts[2])
    assert operator.watcher.poll() == []
    chain.mine(DEPTH)
    assert operator.watcher.poll() == [0]
    assert operator.store.get_transaction(0).tx["amount"] == 500


def test_state_update_dropped_by_a_reorganisation_is_sent_again(stack, accounts, chain):
    exchange, collateral = stack.deployment.exchange, stack.deployment.collateral_asset_type
    exchange.deposit(ALICE, collateral, ALICE_POSITION, 1000, value=1000 * ETH_QUANTUM, sender=accounts[2])
    chain.mine(DEPTH)
    operator = stack.operator()
    operator.watcher.poll()
    client = gateway_client(operator)
    for tx_id, tx in enumerate(user_transactions(stack), start=1):
        assert client.post("/gateway/add_transaction", json={"tx_id": tx_id, "tx": tx}).status_code == 200
    fact_block = chain.blocks.height + 1
    assert operator.drain() == []  # sent, but not yet DEPTH confirmations: SUBMITTED, waiting
    batch = operator.store.get_batch(0)
    assert batch.status is BatchStatus.SUBMITTED and exchange.lastBatchId() == 0
    assert batch.data["update_state_block"] == chain.blocks.height

    reorg(chain, chain.blocks.height - fact_block + 1)  # the fact and the update are gone
    assert exchange.lastBatchId() == 2**256 - 1
    assert not stack.fact_registry.isValid(bytes.fromhex(batch.data["fact"][2:]))
    operator.pipeline.step()  # L1 does not hold it: back to EXECUTED
    assert operator.store.get_batch(0).status is BatchStatus.EXECUTED
    operator.drain()  # proves and sends again; waits for the confirmations
    chain.mine(DEPTH)
    accepted = operator.drain()
    assert [b.batch_id for b in accepted] == [0]
    assert operator.store.get_batch(0).data["rewound"] == 1
    assert exchange.lastBatchId() == 0
    assert exchange.positionsRoot() == operator.pipeline.executor.state.positions_root
    assert exchange.getPendingDeposit(ALICE, collateral, ALICE_POSITION) == 0
    assert exchange.getWithdrawalBalance(BOB, collateral) == 120  # credited exactly once
