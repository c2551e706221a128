"""Properties: random deposits, transfers and trades conserve collateral and synthetic and keep
balances in range; the sparse tree matches a naive one under any updates."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offchain.crypto.signature import private_to_public_key
from offchain.perpetual.constants import BALANCE_UPPER_BOUND
from offchain.perpetual.errors import TransactionRejected
from offchain.perpetual.execute import apply_transaction
from offchain.perpetual.merkle import SparseMerkleTree
from offchain.perpetual.transactions import Deposit, Trade

from .test_merkle import naive_levels
from .world import (
    ALICE_PK, BOB_PK, BTC, CAROL_PK, FEE_POSITION, funded, make_state, order, snapshot, transfer)

USERS = [(ALICE_PK, 1), (BOB_PK, 2), (CAROL_PK, 3)]

deposit_step = st.tuples(st.just("deposit"), st.integers(0, 2), st.integers(0, 2**62))
transfer_step = st.tuples(st.just("transfer"), st.integers(0, 2), st.integers(0, 2),
                          st.integers(0, 2**62))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(deposit_step, transfer_step), min_size=1, max_size=10))
def test_collateral_is_conserved_and_in_range(steps):
    state = make_state()
    total = 0
    for nonce, step in enumerate(steps):
        if step[0] == "deposit":
            _, user, amount = step
            pk, position_id = USERS[user]
            tx = Deposit(position_id=position_id, public_key=private_to_public_key(pk),
                         amount=amount)
        else:
            _, a, b, amount = step
            (pk_a, pos_a), (pk_b, pos_b) = USERS[a], USERS[b]
            tx = transfer(pk_a, pos_a, pos_b, private_to_public_key(pk_b), amount, nonce=nonce)
        before = snapshot(state)
        try:
            out = apply_transaction(state, tx)
        except TransactionRejected:
            assert snapshot(state) == before
            continue
        total += sum(delta for _, _, delta in out.modifications)
        balances = [state.position(p).collateral_balance for _, p in USERS]
        assert sum(balances) == total
        assert all(-BALANCE_UPPER_BOUND < b < BALANCE_UPPER_BOUND for b in balances)
        assert all(b >= 0 for b in balances)  # no synthetic: collateral cannot go negative


@settings(max_examples=15, deadline=None)
@given(st.lists(st.dictionaries(st.integers(0, 7), st.integers(0, 5), max_size=4),
                min_size=1, max_size=4))
def test_sparse_tree_matches_naive_after_any_updates(batches):
    tree = SparseMerkleTree(3, 0)
    leaves = {}
    for batch in batches:
        tree.update(batch)
        leaves.update(batch)
        assert tree.root == naive_levels(3, leaves, 0)[-1][0]


trade_step = st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(1, 3000),
                       st.integers(90, 110), st.integers(0, 50), st.integers(0, 50))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(trade_step, min_size=1, max_size=6))
def test_trades_conserve_collateral_and_synthetic(steps):
    keys = [private_to_public_key(pk) for pk, _ in USERS]
    state = make_state({pos: funded(keys[i], 1_000_000) for i, (_, pos) in enumerate(USERS)})
    positions = [pos for _, pos in USERS] + [FEE_POSITION]
    total = sum(state.position(p).collateral_balance for p in positions)
    for nonce, (buyer, seller, synthetic, price, fee_a, fee_b) in enumerate(steps):
        (pk_a, pos_a), (pk_b, pos_b) = USERS[buyer], USERS[seller]
        collateral = synthetic * price
        tx = Trade(party_a_order=order(pk_a, pos_a, True, synthetic, collateral, 50, nonce=nonce),
                   party_b_order=order(pk_b, pos_b, False, synthetic, collateral, 50,
                                       nonce=nonce),
                   actual_collateral=collateral, actual_synthetic=synthetic,
                   actual_a_fee=fee_a, actual_b_fee=fee_b)
        before = snapshot(state)
        try:
            apply_transaction(state, tx)
        except TransactionRejected:
            assert snapshot(state) == before
            continue
        assert sum(state.position(p).collateral_balance for p in positions) == total
        assert sum(state.position(p).balance_of(BTC) for p in positions) == 0
