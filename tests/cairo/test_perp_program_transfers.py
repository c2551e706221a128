"""DEPOSIT, WITHDRAWAL, TRANSFER, CONDITIONAL_TRANSFER in the Cairo batch program: a valid batch
gives the reference model's output word for word; each broken rule fails the run naming it."""
import pytest

from offchain.perpetual.batch import decode_output
from offchain.perpetual.errors import Reason
from offchain.perpetual.transactions import Deposit, Transfer
from perp_world import (
    ALICE, ALICE_SK, BOB, BOB_SK, BTC, CAROL, CAROL_SK, MIN_EXPIRATION, SYSTEM_TIME, Case,
    check_accepted, check_rejected, make_config, make_state, position, run_cases, transfer,
    withdrawal)


def funded_state(**config):
    cfg = make_config(**config) if config else None
    return make_state({10: position(ALICE, 10_000), 11: position(BOB, 500, BTC=(3, 0))},
                      config=cfg)


def negative_amount_transfer() -> Transfer:
    t = transfer(ALICE_SK, 10, BOB, 11, 5)
    return Transfer(**{**t.__dict__, "amount": -1})


VALID = [
    Case("mixed", funded_state(), [
        Deposit(position_id=12, public_key=CAROL, amount=777),
        Deposit(position_id=10, public_key=ALICE, amount=1000),
        withdrawal(ALICE_SK, 10, 2000),
        transfer(ALICE_SK, 10, BOB, 11, 1500),
        transfer(ALICE_SK, 10, CAROL, 12, 20, nonce=2),
        transfer(BOB_SK, 11, CAROL, 13, 100, condition_of=(0x1234, 0x5678)),
        withdrawal(CAROL_SK, 12, 797, nonce=3),  # empties position 12: it hashes as empty again
    ]),
    Case("validium", funded_state(data_availability_mode=0),
         [transfer(ALICE_SK, 10, CAROL, 14, 10)]),
    Case("empty", funded_state(), []),
]

REJECTED = [
    Case("deposit-other-key", funded_state(), [Deposit(position_id=10, public_key=BOB, amount=1)],
         "DEPOSIT: INVALID_PUBLIC_KEY", Reason.INVALID_PUBLIC_KEY),
    Case("deposit-amount", funded_state(), [Deposit(position_id=10, public_key=ALICE, amount=2**64)],
         "DEPOSIT: amount out of range", Reason.OUT_OF_RANGE_AMOUNT),
    Case("withdrawal-signature", funded_state(), [withdrawal(ALICE_SK, 10, 5, signer_sk=BOB_SK)],
         "WITHDRAWAL: invalid signature", Reason.INVALID_SIGNATURE),
    Case("withdrawal-balance", funded_state(), [withdrawal(ALICE_SK, 10, 10_001)],
         "WITHDRAWAL: ILLEGAL_POSITION_TRANSITION_NO_RISK_REDUCED_VALUE",
         Reason.ILLEGAL_POSITION_TRANSITION_NO_RISK_REDUCED_VALUE),
    Case("withdrawal-replay", funded_state(), [withdrawal(ALICE_SK, 10, 5)] * 2,
         "WITHDRAWAL: already withdrawn (orders tree)", Reason.INVALID_FULFILLMENT_INFO),
    Case("withdrawal-expired", funded_state(),
         [withdrawal(ALICE_SK, 10, 5, expiration=MIN_EXPIRATION - 1)],
         "WITHDRAWAL: expired", Reason.EXPIRED),
    Case("withdrawal-other-key", funded_state(), [withdrawal(BOB_SK, 10, 5)],
         "WITHDRAWAL: INVALID_PUBLIC_KEY", Reason.INVALID_PUBLIC_KEY),
    Case("transfer-balance", funded_state(), [transfer(ALICE_SK, 10, BOB, 11, 10_001)],
         "TRANSFER: sender: ILLEGAL_POSITION_TRANSITION_NO_RISK_REDUCED_VALUE",
         Reason.ILLEGAL_POSITION_TRANSITION_NO_RISK_REDUCED_VALUE),
    # Bob holds 3 BTC (value 300, risk 30) and 500 collateral: sending 780 leaves TV 20 < TR 30.
    Case("transfer-leverage", funded_state(), [transfer(BOB_SK, 11, ALICE, 10, 780)],
         "TRANSFER: sender: ILLEGAL_POSITION_TRANSITION_REDUCING_TOTAL_VALUE_RISK_RATIO",
         Reason.ILLEGAL_POSITION_TRANSITION_REDUCING_TOTAL_VALUE_RISK_RATIO),
    Case("transfer-signature", funded_state(),
         [transfer(ALICE_SK, 10, BOB, 11, 5, signer_sk=CAROL_SK)],
         "TRANSFER: invalid signature", Reason.INVALID_SIGNATURE),
    Case("transfer-receiver-key", funded_state(), [transfer(ALICE_SK, 10, CAROL, 11, 5)],
         "TRANSFER: receiver: INVALID_PUBLIC_KEY", Reason.INVALID_PUBLIC_KEY),
    Case("transfer-synthetic", funded_state(), [transfer(BOB_SK, 11, ALICE, 10, 1, asset_id=BTC)],
         "TRANSFER: asset is not the collateral", Reason.INVALID_COLLATERAL_ASSET_ID),
    # Past the batch minimum (0 here) but not after the system time.
    Case("transfer-expired", funded_state(),
         [transfer(ALICE_SK, 10, BOB, 11, 5, expiration=SYSTEM_TIME // 3600)],
         "TRANSFER: expired", Reason.EXPIRED, min_expiration=0),
    Case("transfer-replay", funded_state(), [transfer(ALICE_SK, 10, BOB, 11, 5)] * 2,
         "TRANSFER: already done (orders tree)", Reason.INVALID_FULFILLMENT_INFO),
    # -1 is P - 1 as a field element: it fits no 64-bit amount.
    Case("transfer-negative", funded_state(), [negative_amount_transfer()],
         "TRANSFER: field out of range", Reason.OUT_OF_RANGE_AMOUNT),
    Case("transfer-same-position", funded_state(), [transfer(ALICE_SK, 10, ALICE, 10, 5)],
         "TRANSFER: sender and receiver are the same position", Reason.SAME_POSITION_ID),
    Case("conditional-signature", funded_state(),
         [transfer(BOB_SK, 11, CAROL, 13, 100, condition_of=(0x1234, 0x5678),
                   signed_condition=777)],
         "CONDITIONAL_TRANSFER: invalid signature", Reason.INVALID_SIGNATURE),
]


@pytest.fixture(scope="module")
def runs():
    return run_cases(VALID + REJECTED)


def test_mixed_batch_matches_the_reference_model(runs):
    out = decode_output(check_accepted(runs["mixed"]))
    assert [(m.position_id, m.delta) for m in out.modifications] == [
        (12, 777), (10, 1000), (10, -2000), (12, -797)]
    assert len(out.conditions) == 1
    assert out.previous_state.positions_root != out.new_state.positions_root
    assert out.previous_state.orders_root != out.new_state.orders_root


def test_validium_batch_has_no_onchain_data(runs):
    assert decode_output(check_accepted(runs["validium"])).onchain_data is None


def test_empty_batch_keeps_the_state(runs):
    out = decode_output(check_accepted(runs["empty"]))
    assert out.previous_state == out.new_state


@pytest.mark.parametrize("name", [case.name for case in REJECTED])
def test_broken_rule_fails_the_run_naming_it(runs, name):
    check_rejected(runs[name])
