from offchain.crypto import messages
from offchain.perpetual.errors import Reason
from offchain.perpetual.execute import apply_transaction

from .world import (
    ALICE, ALICE_PK, BOB, BTC, CAROL, funded, make_state, transfer)

REGISTRY = 0x12AA12AA12AA12AA12AA12AA12AA12AA12AA12AA
FACT = 0x12FF * (2**240 // 0xFFFF)


def test_transfer_moves_collateral():
    state = make_state({1: funded(ALICE, 1000)})
    out = apply_transaction(state, transfer(ALICE_PK, 1, 2, BOB, 300))
    assert state.position(1).collateral_balance == 700
    assert state.position(2).collateral_balance == 300 and state.position(2).public_key == BOB
    assert out.modifications == [] and out.touched_positions == {1, 2}


def test_transfer_to_same_position(rejects):
    rejects(make_state({1: funded(ALICE, 1000)}), transfer(ALICE_PK, 1, 1, ALICE, 1),
            Reason.SAME_POSITION_ID)


def test_transfer_of_a_synthetic(rejects):
    rejects(make_state({1: funded(ALICE, 1000, btc=5)}),
            transfer(ALICE_PK, 1, 2, BOB, 1, asset_id=BTC), Reason.INVALID_COLLATERAL_ASSET_ID)


def test_transfer_to_position_of_another_key(rejects):
    state = make_state({1: funded(ALICE, 1000), 2: funded(CAROL, 5)})
    rejects(state, transfer(ALICE_PK, 1, 2, BOB, 1), Reason.INVALID_PUBLIC_KEY)


def test_transfer_with_tampered_amount(rejects):
    state = make_state({1: funded(ALICE, 1000)})
    tx = transfer(ALICE_PK, 1, 2, BOB, 10)
    rejects(state, tx.__class__(**{**tx.__dict__, "amount": 11}), Reason.INVALID_SIGNATURE)


def test_transfer_above_balance(rejects):
    rejects(make_state({1: funded(ALICE, 1000)}), transfer(ALICE_PK, 1, 2, BOB, 1001),
            Reason.ILLEGAL_POSITION_TRANSITION_NO_RISK_REDUCED_VALUE)


def test_transfer_replay(rejects):
    state = make_state({1: funded(ALICE, 1000)})
    tx = transfer(ALICE_PK, 1, 2, BOB, 10)
    apply_transaction(state, tx)
    rejects(state, tx, Reason.INVALID_FULFILLMENT_INFO)


def test_transfer_amount_out_of_range(rejects):
    rejects(make_state({1: funded(ALICE, 1000)}),
            transfer(ALICE_PK, 1, 2, BOB, 0).__class__(
                **{**transfer(ALICE_PK, 1, 2, BOB, 0).__dict__, "amount": 2**64}),
            Reason.OUT_OF_RANGE_AMOUNT)


def test_conditional_transfer_outputs_its_condition():
    state = make_state({1: funded(ALICE, 1000)})
    out = apply_transaction(state, transfer(ALICE_PK, 1, 2, BOB, 50,
                                            condition_of=(REGISTRY, FACT)))
    assert out.conditions == [messages.fact_to_condition(REGISTRY.to_bytes(20, "big"),
                                                         FACT.to_bytes(32, "big"))]
    assert state.position(2).collateral_balance == 50


def test_conditional_transfer_needs_its_own_signature(rejects):
    state = make_state({1: funded(ALICE, 1000)})
    tx = transfer(ALICE_PK, 1, 2, BOB, 50, condition_of=(REGISTRY, FACT))
    rejects(state, tx.__class__(**{**tx.__dict__, "fact": FACT + 1}), Reason.INVALID_SIGNATURE)
    plain = transfer(ALICE_PK, 1, 2, BOB, 50)
    rejects(state, tx.__class__(**{**tx.__dict__, "signature": plain.signature}),
            Reason.INVALID_SIGNATURE)
