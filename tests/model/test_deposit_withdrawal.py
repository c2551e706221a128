from dataclasses import replace

import pytest

from offchain.perpetual import signing
from offchain.perpetual.errors import Reason
from offchain.perpetual.execute import apply_transaction
from offchain.perpetual.transactions import Deposit

from .world import (
    ALICE, ALICE_PK, BOB, BOB_PK, COLLATERAL, EXPIRATION, SYSTEM_TIME, funded, make_state, withdrawal)


def test_deposit_creates_and_credits_a_position():
    state = make_state()
    out = apply_transaction(state, Deposit(position_id=5, public_key=ALICE, amount=1000))
    assert state.position(5).public_key == ALICE
    assert state.position(5).collateral_balance == 1000
    assert out.modifications == [(ALICE, 5, 1000)]
    apply_transaction(state, Deposit(position_id=5, public_key=ALICE, amount=1))
    assert state.position(5).collateral_balance == 1001


def test_deposit_into_someone_elses_position(rejects):
    state = make_state({5: funded(ALICE, 10)})
    rejects(state, Deposit(position_id=5, public_key=BOB, amount=1), Reason.INVALID_PUBLIC_KEY)


def test_deposit_with_zero_key(rejects):
    rejects(make_state(), Deposit(position_id=5, public_key=0, amount=1), Reason.INVALID_PUBLIC_KEY)


def test_deposit_amount_out_of_range(rejects):
    rejects(make_state(), Deposit(position_id=5, public_key=ALICE, amount=2**64),
            Reason.OUT_OF_RANGE_AMOUNT)
    rejects(make_state(), Deposit(position_id=5, public_key=ALICE, amount=-1),
            Reason.OUT_OF_RANGE_AMOUNT)


def test_deposit_balance_overflow(rejects):
    state = make_state({5: funded(ALICE, 2**63 - 10)})
    rejects(state, Deposit(position_id=5, public_key=ALICE, amount=10), Reason.OUT_OF_RANGE_BALANCE)
    apply_transaction(state, Deposit(position_id=5, public_key=ALICE, amount=9))


def test_deposit_position_id_out_of_tree(rejects):
    state = make_state(positions_tree_height=10)
    rejects(state, Deposit(position_id=1024, public_key=ALICE, amount=1),
            Reason.OUT_OF_RANGE_POSITION_ID)


def test_withdrawal_debits_and_records_negative_modification():
    state = make_state({5: funded(ALICE, 1000)})
    out = apply_transaction(state, withdrawal(ALICE_PK, 5, 400))
    assert state.position(5).collateral_balance == 600
    assert out.modifications == [(ALICE, 5, -400)]
    assert len(state.orders) == 1 and list(state.orders.values()) == [400]


def test_withdrawing_everything_empties_the_position():
    state = make_state({5: funded(ALICE, 1000)})
    apply_transaction(state, withdrawal(ALICE_PK, 5, 1000))
    assert state.position(5).is_empty and state.position(5).public_key == 0
    assert 5 not in state.positions


def test_withdrawal_signed_by_another_key(rejects):
    state = make_state({5: funded(ALICE, 1000)})
    tx = withdrawal(BOB_PK, 5, 10)
    rejects(state, tx.__class__(**{**tx.__dict__, "public_key": ALICE}), Reason.INVALID_SIGNATURE)


def test_withdrawal_from_position_of_another_key(rejects):
    state = make_state({5: funded(ALICE, 1000)})
    rejects(state, withdrawal(BOB_PK, 5, 10), Reason.INVALID_PUBLIC_KEY)


def test_withdrawal_above_balance(rejects):
    state = make_state({5: funded(ALICE, 1000)})
    rejects(state, withdrawal(ALICE_PK, 5, 1001),
            Reason.ILLEGAL_POSITION_TRANSITION_NO_RISK_REDUCED_VALUE)


def test_withdrawal_replay_is_refused(rejects):
    state = make_state({5: funded(ALICE, 1000)})
    tx = withdrawal(ALICE_PK, 5, 100)
    apply_transaction(state, tx)
    rejects(state, tx, Reason.INVALID_FULFILLMENT_INFO)


def test_withdrawal_expiration(rejects):
    state = make_state({5: funded(ALICE, 1000)})
    rejects(state, withdrawal(ALICE_PK, 5, 1), Reason.EXPIRED, min_expiration=EXPIRATION + 1)
    rejects(state, withdrawal(ALICE_PK, 5, 1, expiration=SYSTEM_TIME // 3600 - 1), Reason.EXPIRED)


def test_withdrawal_nonce_out_of_range(rejects):
    state = make_state({5: funded(ALICE, 1000)})
    tx = withdrawal(ALICE_PK, 5, 1)
    rejects(state, tx.__class__(**{**tx.__dict__, "nonce": 2**32}), Reason.OUT_OF_RANGE_NONCE)


def test_withdrawal_that_leaves_position_undercollateralized(rejects):
    # 1000 BTC units at price 100 (value 100_000, risk 10_000) against -95_000 collateral.
    state = make_state({5: funded(ALICE, -95_000 + 10_000, btc=1000)})
    apply_transaction(state, withdrawal(ALICE_PK, 5, 5000, nonce=1))
    rejects(state, withdrawal(ALICE_PK, 5, 1, nonce=2),
            Reason.ILLEGAL_POSITION_TRANSITION_REDUCING_TOTAL_VALUE_RISK_RATIO)


PAYEE = 0x00000000000000000000000000000000DEADBEEF  # an L1 address no Stark key is bound to


def withdrawal_to_address(private_key, position_id, eth_address, amount, nonce=1):
    return signing.withdrawal_to_address(private_key, collateral_asset_id=COLLATERAL, position_id=position_id,
                                         eth_address=eth_address, amount=amount, nonce=nonce,
                                         expiration_timestamp=EXPIRATION)


def test_withdrawal_to_address_credits_the_address():
    state = make_state({5: funded(ALICE, 1000)})
    out = apply_transaction(state, withdrawal_to_address(ALICE_PK, 5, PAYEE, 400))
    assert state.position(5).collateral_balance == 600
    # The modification's key word is the address, which L1 credits (docs/program-output.md).
    assert out.modifications == [(PAYEE, 5, -400)]


def test_withdrawal_to_address_signs_the_address(rejects):
    state = make_state({5: funded(ALICE, 1000)})
    tx = withdrawal_to_address(ALICE_PK, 5, PAYEE, 400)
    rejects(state, replace(tx, eth_address=PAYEE + 1), Reason.INVALID_SIGNATURE)
    # A plain withdrawal's signature over the same fields is another message (type 6, no address).
    plain = withdrawal(ALICE_PK, 5, 400)
    rejects(state, replace(tx, signature=plain.signature), Reason.INVALID_SIGNATURE)
    rejects(state, withdrawal_to_address(BOB_PK, 5, PAYEE, 400), Reason.INVALID_PUBLIC_KEY)


@pytest.mark.parametrize("address", [0, 2**160, 2**160 + PAYEE, 2**251])
def test_withdrawal_to_address_out_of_range(rejects, address):
    state = make_state({5: funded(ALICE, 1000)})
    tx = replace(withdrawal_to_address(ALICE_PK, 5, PAYEE, 400), eth_address=address)
    rejects(state, tx, Reason.INVALID_ETH_ADDRESS)


def test_withdrawal_to_address_replay_and_balance(rejects):
    state = make_state({5: funded(ALICE, 1000)})
    tx = withdrawal_to_address(ALICE_PK, 5, PAYEE, 400)
    apply_transaction(state, tx)
    rejects(state, tx, Reason.INVALID_FULFILLMENT_INFO)
    rejects(state, withdrawal_to_address(ALICE_PK, 5, PAYEE, 601, nonce=2),
            Reason.ILLEGAL_POSITION_TRANSITION_NO_RISK_REDUCED_VALUE)
