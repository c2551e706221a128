import ape

from .batch_builder import Modification
from .conftest import QUANTUM
from .stark_tree import SparseTree, pack_asset, position_leaf

WEEK = 7 * 24 * 3600


def test_position_leaf_matches_offchain(escape_verifier):
    assets = [pack_asset(1, -5, 100), pack_asset(2, 2**62, -(2**63) + 1)]
    for key, collateral, packed in [(0, 0, []), (123, -77, assets), (2**250, 2**63 - 1, assets[:1])]:
        assert escape_verifier.positionLeaf(key, collateral, packed) == position_leaf(key, collateral, packed)


def test_merkle_path_recomputes_root(escape_verifier):
    tree = SparseTree(height=8, leaves={5: position_leaf(1, 10, []), 200: position_leaf(2, -3, [])})
    assert escape_verifier.positionsRoot(200, 2, -3, [], tree.path(200)) == tree.root()
    assert escape_verifier.positionsRoot(5, 1, 10, [], tree.path(5)) == tree.root()
    with ape.reverts(escape_verifier.PositionIdOutOfRange):
        escape_verifier.positionsRoot(256, 2, -3, [], tree.path(200))
    assert escape_verifier.positionsRoot(200, 2, -4, [], tree.path(200)) != tree.root()
    with ape.reverts(escape_verifier.BalanceOutOfRange):
        escape_verifier.positionLeaf(1, 2**63, [])


def test_censorship_forced_withdrawal_freeze_escape(exchange, alice, bob, outsider, alice_key, bob_key, chain):
    """The operator takes a deposit, then ignores a forced withdrawal: after 7 days anyone
    freezes the exchange and the position escapes with its collateral from L1 data alone."""
    c, t = exchange.contract, exchange.collateral
    c.deposit(alice_key, t, 5, 10, value=10 * QUANTUM, sender=alice)
    c.deposit(bob_key, t, 6, 4, value=4 * QUANTUM, sender=bob)
    # Height 8 keeps the test fast (ape's anvil records every EVM step); the bench measures 64.
    tree = SparseTree(height=8, leaves={
        5: position_leaf(alice_key, 10, []),
        6: position_leaf(bob_key, 4, [pack_asset(1, 0, -2)]),
    })
    new_state = exchange.next_state(positions_root=tree.root(), positions_height=8)
    exchange.submit(exchange.batch([Modification(alice_key, 5, 10), Modification(bob_key, 6, 4)],
                                   new_state=new_state))
    assert c.positionsRoot() == tree.root()

    path = tree.path(5)
    with ape.reverts(c.StateNotFrozen):
        c.escape(alice_key, 5, 10, [], path, sender=alice)

    receipt = c.forcedWithdrawalRequest(alice_key, 5, 10, False, sender=alice)
    chain.pending_timestamp = receipt.timestamp + WEEK + 1
    c.freezeRequest(receipt.events[0].requestKey, sender=outsider)

    with ape.reverts(c.EscapeProofInvalid):
        c.escape(alice_key, 5, 11, [], path, sender=alice)
    with ape.reverts(c.InvalidMerkleHeight):
        c.escape(alice_key, 5, 10, [], path[:-1], sender=alice)
    escape_receipt = c.escape(alice_key, 5, 10, [], path, sender=outsider)
    assert escape_receipt.events[0].event_name == "LogEscape"
    print(f"escape gas (height 8): {escape_receipt.gas_used}")
    assert c.isEscaped(5)
    with ape.reverts(c.PositionAlreadyEscaped):
        c.escape(alice_key, 5, 10, [], path, sender=alice)
    before = alice.balance
    c.withdraw(alice_key, t, sender=outsider)
    assert alice.balance == before + 10 * QUANTUM
    # Bob's position holds a synthetic; the first version pays its collateral only.
    c.escape(bob_key, 6, 4, [pack_asset(1, 0, -2)], tree.path(6), sender=bob)
    assert c.getWithdrawalBalance(bob_key, t) == 4
