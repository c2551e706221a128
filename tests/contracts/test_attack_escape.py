"""Escape and unfreeze, made consistent. An escape pays a position out on L1 while the off-chain
state still holds it: if governance could unfreeze afterwards, batches would go on from a state
where that position still has its balance (paid twice), and its escape marker, which is per
position and not per freeze, would stop it from ever escaping again. Once any position escaped,
the freeze is final."""
import pytest

from offchain.perpetual.position import Position

from .adversary import refused
from .conftest import deploy_exchange
from .stark_tree import SparseTree

YEAR = 365 * 24 * 3600
HEIGHT = 8
ESCAPE = "escape vs unfreeze"


@pytest.fixture(scope="module")
def _exchange(project, governor, operator, chain, escape_verifier):
    return deploy_exchange(project, governor, operator, chain, escape_verifier, positions_height=HEIGHT)


def test_no_unfreeze_once_a_position_escaped(exchange, governor, alice, outsider, alice_key, chain):
    c = exchange.contract
    position = Position(public_key=alice_key, collateral_balance=10)
    tree = SparseTree(height=HEIGHT, leaves={5: position.leaf_hash()})
    new_state = exchange.next_state(positions_root=tree.root())
    exchange.submit(exchange.batch(new_state=new_state))
    exchange.freeze(alice, alice_key, 5, outsider)
    c.escape(alice_key, 5, 10, [], tree.path(5), new_state.words(), sender=outsider)
    assert c.getWithdrawalBalance(alice_key, exchange.collateral) == 10
    chain.pending_timestamp += YEAR
    refused(ESCAPE, "unfreeze after a position escaped (its balance is still in the L2 state)",
            lambda: c.unfreeze(sender=governor), "UnfreezeAfterEscape")
    assert c.frozen()
