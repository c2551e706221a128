import ape
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offchain.perpetual.position import Position, PositionAsset

from .batch_builder import Modification, SharedState
from .conftest import QUANTUM, deploy_exchange
from .escape_value import funding_words, market, model_payout, model_value, packed_assets, price_words
from .stark_tree import SparseTree, pack_asset, position_leaf

WEEK = 7 * 24 * 3600
HEIGHT = 8  # keeps the tests fast (ape's anvil records every EVM step); the bench measures 64


@pytest.fixture(scope="module")
def _exchange(project, governor, operator, chain, escape_verifier):
    """Tree heights never change after genesis, so these exchanges start at height HEIGHT."""
    return deploy_exchange(project, governor, operator, chain, escape_verifier, positions_height=HEIGHT)


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


def _state_words(funding: dict[int, int], prices: dict[int, int]) -> list[int]:
    return SharedState(positions_height=HEIGHT, funding_indices=funding_words(funding),
                       oracle_prices=price_words(prices), system_time=1).words()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    collateral=st.integers(-(2**40), 2**40),
    assets=st.dictionaries(st.integers(1, 6), st.tuples(st.integers(-(2**30), 2**30).filter(bool),
                                                        st.integers(-(2**40), 2**40)), max_size=3),
    moves=st.lists(st.integers(-(2**40), 2**40), min_size=6, max_size=6),
    prices=st.lists(st.integers(1, 2**50), min_size=6, max_size=6),
)
def test_position_value_matches_model(escape_verifier, collateral, assets, moves, prices):
    """Random positions, funding moves and prices: the verifier's value equals the model's,
    down to the rounding of both floors."""
    position = Position(public_key=7, collateral_balance=collateral,
                        assets={a: PositionAsset(balance=b, cached_funding_index=f) for a, (b, f) in assets.items()})
    funding = {a: (assets[a][1] if a in assets else 0) + moves[a - 1] for a in range(1, 7)}
    price_map = {a: prices[a - 1] for a in range(1, 7)}
    words = _state_words(funding, price_map)
    assert escape_verifier.positionValue(collateral, packed_assets(position), words) == \
        model_value(position, market(funding, price_map))


def test_position_value_refuses_missing_entries_and_bad_state(escape_verifier):
    packed = [pack_asset(2, 0, 5), pack_asset(4, 0, -1)]
    with ape.reverts(escape_verifier.MissingOraclePrice, assetId=4):
        escape_verifier.positionValue(10, packed, _state_words({2: 1, 4: 1}, {2: 2**32, 3: 2**32}))
    with ape.reverts(escape_verifier.MissingFundingIndex, assetId=2):
        escape_verifier.positionValue(10, packed, _state_words({1: 1, 4: 1}, {2: 2**32, 4: 2**32}))
    good = _state_words({2: 1, 4: 1}, {2: 2**32, 4: 2**32})
    with ape.reverts(escape_verifier.InvalidSharedState):
        escape_verifier.positionValue(10, packed, good[:-1])
    with ape.reverts(escape_verifier.InvalidSharedState):
        escape_verifier.positionValue(10, packed, good[:7])
    # A position without synthetics is worth its collateral whatever the state holds.
    assert escape_verifier.positionValue(-3, [], good[:7]) == -3


def test_escape_pays_position_value_at_last_shared_state(exchange, alice, bob, outsider, alice_key, bob_key,
                                                       chain, escape_verifier):
    """A long and a short synthetic, funding moved since the cached indices, prices with
    fractions: the payout is the model's value; an underwater position is paid nothing."""
    c, t = exchange.contract, exchange.collateral
    alice_position = Position(public_key=alice_key, collateral_balance=1000, assets={
        1: PositionAsset(balance=3, cached_funding_index=10),
        2: PositionAsset(balance=-2, cached_funding_index=-5)})
    bob_position = Position(public_key=bob_key, collateral_balance=5, assets={
        2: PositionAsset(balance=4, cached_funding_index=-5)})
    funding = {1: 17, 2: -9}
    prices = {1: 3 * 2**32 + 12_345, 2: 2**31 + 7}
    tree = SparseTree(height=HEIGHT, leaves={5: alice_position.leaf_hash(), 6: bob_position.leaf_hash()})
    new_state = exchange.next_state(positions_root=tree.root(), positions_height=HEIGHT,
                                    funding_indices=funding_words(funding), oracle_prices=price_words(prices))
    exchange.submit(exchange.batch(new_state=new_state))
    words = new_state.words()
    exchange.freeze(alice, alice_key, 5, outsider)

    m = market(funding, prices)
    expected = model_payout(alice_position, m)
    assert expected == 1000 - 1 + (3 * prices[1] - 2 * prices[2]) // 2**32  # sanity: funding floors once
    packed = packed_assets(alice_position)
    tampered = list(words)
    tampered[-2] += 1  # the last oracle price
    with ape.reverts(c.EscapeSharedStateMismatch):
        c.escape(alice_key, 5, 1000, packed, tree.path(5), tampered, sender=alice)
    receipt = c.escape(alice_key, 5, 1000, packed, tree.path(5), words, sender=outsider)
    assert [e.quantizedAmount for e in receipt.events if e.event_name == "LogEscape"] == [expected]
    assert c.getWithdrawalBalance(alice_key, t) == expected
    with ape.reverts(c.PositionAlreadyEscaped):
        c.escape(alice_key, 5, 1000, packed, tree.path(5), words, sender=alice)

    # Bob is long the synthetic whose funding index fell: funding credits him, the price adds.
    assert model_value(bob_position, m) == c.escape(
        bob_key, 6, 5, packed_assets(bob_position), tree.path(6), words, sender=bob).events[0].quantizedAmount


def test_escape_refuses_position_without_price(exchange, alice, outsider, alice_key, chain, escape_verifier):
    c = exchange.contract
    position = Position(public_key=alice_key, collateral_balance=50, assets={
        3: PositionAsset(balance=-1, cached_funding_index=0)})
    tree = SparseTree(height=HEIGHT, leaves={5: position.leaf_hash()})
    new_state = exchange.next_state(positions_root=tree.root(), positions_height=HEIGHT,
                                    funding_indices=funding_words({3: 0}), oracle_prices=price_words({1: 2**32}))
    exchange.submit(exchange.batch(new_state=new_state))
    exchange.freeze(alice, alice_key, 5, outsider)
    with ape.reverts(escape_verifier.MissingOraclePrice):
        c.escape(alice_key, 5, 50, packed_assets(position), tree.path(5), new_state.words(), sender=alice)
    assert not c.isEscaped(5)


def test_underwater_position_escapes_with_nothing(exchange, alice, outsider, alice_key, chain):
    c, t = exchange.contract, exchange.collateral
    position = Position(public_key=alice_key, collateral_balance=10, assets={
        1: PositionAsset(balance=-5, cached_funding_index=0)})
    prices = {1: 3 * 2**32}
    tree = SparseTree(height=HEIGHT, leaves={5: position.leaf_hash()})
    new_state = exchange.next_state(positions_root=tree.root(), positions_height=HEIGHT,
                                    funding_indices=funding_words({1: 0}), oracle_prices=price_words(prices))
    exchange.submit(exchange.batch(new_state=new_state))
    exchange.freeze(alice, alice_key, 5, outsider)
    assert model_value(position, market({1: 0}, prices)) < 0
    receipt = c.escape(alice_key, 5, 10, packed_assets(position), tree.path(5), new_state.words(), sender=alice)
    assert receipt.events[0].quantizedAmount == 0
    assert c.isEscaped(5)
    assert c.getWithdrawalBalance(alice_key, t) == 0


def test_censorship_forced_withdrawal_freeze_escape(exchange, alice, bob, outsider, alice_key, bob_key, chain):
    """The operator takes deposits, then ignores a forced withdrawal: after 7 days anyone
    freezes the exchange and each position escapes with its value from L1 data alone."""
    c, t = exchange.contract, exchange.collateral
    c.deposit(alice_key, t, 5, 10, value=10 * QUANTUM, sender=alice)
    c.deposit(bob_key, t, 6, 4, value=4 * QUANTUM, sender=bob)
    alice_position = Position(public_key=alice_key, collateral_balance=10)
    bob_position = Position(public_key=bob_key, collateral_balance=4 + 3, assets={
        1: PositionAsset(balance=-2, cached_funding_index=0)})
    funding, prices = {1: 2}, {1: 2**32 + 2**30}
    tree = SparseTree(height=HEIGHT, leaves={5: alice_position.leaf_hash(), 6: bob_position.leaf_hash()})
    new_state = exchange.next_state(positions_root=tree.root(), positions_height=HEIGHT,
                                    funding_indices=funding_words(funding), oracle_prices=price_words(prices))
    exchange.submit(exchange.batch([Modification(alice_key, 5, 10), Modification(bob_key, 6, 4)],
                                   new_state=new_state))
    assert c.positionsRoot() == tree.root()
    words = new_state.words()

    path = tree.path(5)
    with ape.reverts(c.StateNotFrozen):
        c.escape(alice_key, 5, 10, [], path, words, sender=alice)

    receipt = c.forcedWithdrawalRequest(alice_key, 5, 10, False, sender=alice)
    chain.pending_timestamp = receipt.timestamp + WEEK + 1
    c.freezeRequest(receipt.events[0].requestKey, sender=outsider)

    with ape.reverts(c.EscapeProofInvalid):
        c.escape(alice_key, 5, 11, [], path, words, sender=alice)
    with ape.reverts(c.InvalidMerkleHeight):
        c.escape(alice_key, 5, 10, [], path[:-1], words, sender=alice)
    with ape.reverts(c.EscapeProofInvalid):
        c.escape(alice_key + 1, 5, 10, [], path, words, sender=alice)
    escape_receipt = c.escape(alice_key, 5, 10, [], path, words, sender=outsider)
    assert escape_receipt.events[0].event_name == "LogEscape"
    assert c.isEscaped(5)
    with ape.reverts(c.PositionAlreadyEscaped):
        c.escape(alice_key, 5, 10, [], path, words, sender=alice)
    before = alice.balance
    c.withdraw(alice_key, t, sender=outsider)
    assert alice.balance == before + 10 * QUANTUM
    # Bob's position is short a synthetic: it is paid its collateral after funding minus the short's value.
    expected = model_payout(bob_position, market(funding, prices))
    assert 0 < expected < 7
    c.escape(bob_key, 6, 7, packed_assets(bob_position), tree.path(6), words, sender=bob)
    assert c.getWithdrawalBalance(bob_key, t) == expected
    before = bob.balance
    c.withdraw(bob_key, t, sender=outsider)
    assert bob.balance == before + expected * QUANTUM
