from offchain.perpetual.errors import Reason
from offchain.perpetual.execute import apply_transaction
from offchain.perpetual.transactions import ForcedTrade, ForcedWithdrawal

from .world import ALICE, BOB, BTC, CAROL, funded, make_state


def test_valid_forced_withdrawal():
    state = make_state({1: funded(ALICE, 1000)})
    out = apply_transaction(state, ForcedWithdrawal(position_id=1, public_key=ALICE, amount=400,
                                                    is_valid=True))
    assert state.position(1).collateral_balance == 600
    assert out.modifications == [(ALICE, 1, -400)]
    assert out.forced_actions == [[0, ALICE, 1, 400]]


def test_invalid_forced_withdrawal_is_recorded_without_moving_funds():
    state = make_state({1: funded(ALICE, 1000)})
    out = apply_transaction(state, ForcedWithdrawal(position_id=1, public_key=BOB, amount=400,
                                                    is_valid=False))
    assert state.position(1).collateral_balance == 1000
    assert out.modifications == []
    assert out.forced_actions == [[0, BOB, 1, 400]]


def test_forced_withdrawal_marked_invalid_but_valid(rejects):
    rejects(make_state({1: funded(ALICE, 1000)}),
            ForcedWithdrawal(position_id=1, public_key=ALICE, amount=400, is_valid=False),
            Reason.FORCED_ACTION_VALIDITY_MISMATCH)


def test_forced_withdrawal_marked_valid_but_invalid(rejects):
    rejects(make_state({1: funded(ALICE, 1000)}),
            ForcedWithdrawal(position_id=1, public_key=ALICE, amount=1001, is_valid=True),
            Reason.ILLEGAL_POSITION_TRANSITION_NO_RISK_REDUCED_VALUE)


def forced_trade(is_valid, key_b=BOB, amount_collateral=10_000):
    return ForcedTrade(public_key_party_a=ALICE, public_key_party_b=key_b, position_id_party_a=1,
                       position_id_party_b=2, synthetic_asset_id=BTC,
                       amount_collateral=amount_collateral, amount_synthetic=100,
                       is_party_a_buying_synthetic=True, nonce=7, is_valid=is_valid)


def traders():
    return make_state({1: funded(ALICE, 100_000), 2: funded(BOB, 100_000)})


def test_valid_forced_trade():
    state = traders()
    out = apply_transaction(state, forced_trade(True))
    assert state.position(1).balance_of(BTC) == 100
    assert state.position(2).balance_of(BTC) == -100
    assert state.position(1).collateral_balance == 90_000
    assert out.forced_actions == [[1, ALICE, BOB, 1, 2, BTC, 10_000, 100, 1, 7]]


def test_invalid_forced_trade_is_recorded():
    state = traders()
    out = apply_transaction(state, forced_trade(False, key_b=CAROL))
    assert state.position(1).balance_of(BTC) == 0 and state.position(2).balance_of(BTC) == 0
    assert out.forced_actions == [[1, ALICE, CAROL, 1, 2, BTC, 10_000, 100, 1, 7]]


def test_forced_trade_validity_mismatch(rejects):
    rejects(traders(), forced_trade(False), Reason.FORCED_ACTION_VALIDITY_MISMATCH)
    rejects(traders(), forced_trade(True, key_b=CAROL), Reason.INVALID_PUBLIC_KEY)


def test_forced_trade_amount_out_of_range(rejects):
    rejects(traders(), forced_trade(False, amount_collateral=2**64), Reason.OUT_OF_RANGE_AMOUNT)
