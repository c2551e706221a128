"""The batch program under a malicious prover (issue 16): the same program, run with edited hint
bodies or program-input fields, refuses each class of attack a review found, where the program
before this change finished with a false output. Each attack has an honest control: the same
batch with honest hints and input gives exactly the reference model's output (or the model's
refusal), so the refusal is the attack's doing."""
import pytest

from offchain.core.batch_program import BatchRejected, BatchRun
from offchain.crypto.constants import FIELD_PRIME
from offchain.perpetual.batch import BatchRejected as ModelBatchRejected
from offchain.perpetual.batch import execute_batch, parse_program_input, program_input
from offchain.perpetual.errors import Reason
from offchain.perpetual.position import position_leaf_hash
from offchain.perpetual.transactions import Deposit, ForcedTrade
from malicious import Tamper, run_all, stored_position
from perp_world import (
    ALICE, ALICE_SK, BOB, BOB_SK, BTC, CAROL, CAROL_SK, COLLATERAL, ETH, FEE, FEE_POSITION,
    MIN_EXPIRATION, SYSTEM_TIME, make_state, order, position, trade, transfer, withdrawal,
    withdrawal_to_address)

P = FIELD_PRIME


def world(btc_price=None):
    # Alice: 1,000 collateral and 10 BTC at funding index 0; Bob: 100 ETH; Carol: cash.
    state = make_state({10: position(ALICE, 1000, BTC=(10, 0)),
                        11: position(BOB, 5000, ETH=(100, 0)), 12: position(CAROL, 10_000)})
    if btc_price is not None:
        state.oracle_prices[BTC] = btc_price
    return state


# With BTC at 2^-12 collateral units, even a balance of -2^64 keeps Alice's total value in range:
# the status checks do not see the alias, only the stored-position range checks do.
CHEAP_BTC = 2**20


# Class 1: a stored position whose packed fields alias another: a balance shifted by 2^64 against
# a cached funding index shifted by 1, or an asset id shifted by 1 against a funding index shifted
# by 2^64, packs to the same leaf word, so the previous root still matches.
BALANCE_ALIAS = stored_position(10, """
    asset_id, cached, balance = raw["assets"][0]  # BTC
    raw["assets"][0] = [asset_id, cached + 1, balance - 2**64]
""")
ASSET_ALIAS = stored_position(11, """
    asset_id, cached, balance = raw["assets"][0]  # ETH, loaded as BTC
    raw["assets"][0] = [asset_id - 1, cached + 2**64, balance]
""")


def test_aliased_packings_hash_to_the_honest_leaves():
    assert ETH - 1 == BTC
    """The premise of the class-1 attacks: only range checks tell the aliases apart."""
    state = world()
    alice, bob = state.position(10), state.position(11)
    assert position_leaf_hash(ALICE, 1000, ((BTC, 1, 10 - 2**64),)) == alice.leaf_hash()
    assert position_leaf_hash(BOB, 5000, ((BTC, 2**64, 100),)) == bob.leaf_hash()


def forced_trade(asset_id, amount_synthetic, amount_collateral, is_valid):
    """Carol (10,000 collateral) buys from Alice."""
    return ForcedTrade(public_key_party_a=CAROL, public_key_party_b=ALICE, position_id_party_a=12,
                       position_id_party_b=10, synthetic_asset_id=asset_id,
                       amount_collateral=amount_collateral, amount_synthetic=amount_synthetic,
                       is_party_a_buying_synthetic=True, nonce=1, is_valid=is_valid)


def stale_world():
    """The last tick was 10 days ago: the system time alone no longer stops old requests."""
    state = world()
    state.system_time = SYSTEM_TIME - 10 * 86400
    state.funding_timestamp = state.system_time
    return state


SIX_DAYS_AGO = SYSTEM_TIME // 3600 - 6 * 24  # hours
EXPIRED = withdrawal(ALICE_SK, 10, 900, expiration=SIX_DAYS_AGO)


def batch(state, txs, min_expiration=MIN_EXPIRATION, **edits):
    data = program_input(state, txs, min_expiration)
    data.update(edits)
    return data


def crowded_world():
    """Alice's and the fee position's total values are already at StarkEx's bound (a price moved)."""
    huge = position(ALICE, 2**63 - 10**9, BTC=(10**7, 0))
    return make_state({10: huge, 11: position(BOB, 5000), 12: position(CAROL, 10_000),
                       FEE_POSITION: position(FEE, huge.collateral_balance, BTC=(10**7, 0))})


TO_ADDRESS = withdrawal_to_address(ALICE_SK, 10, 0xC0FFEE, 900)
OTHER_FEE_POSITION_TRANSFER = transfer(CAROL_SK, 12, BOB, 11, 5, signed_fee_position_id=99)
ZERO_DEPOSIT = [Deposit(position_id=10, public_key=ALICE, amount=0),
                Deposit(position_id=11, public_key=BOB, amount=0)]
HUGE = 2**62

JOBS = {
    # class 1
    "deposit-honest": (batch(world(CHEAP_BTC), ZERO_DEPOSIT), ()),
    "deposit-balance-alias": (batch(world(CHEAP_BTC), ZERO_DEPOSIT), (BALANCE_ALIAS,)),
    "deposit-asset-alias": (batch(world(CHEAP_BTC), ZERO_DEPOSIT), (ASSET_ALIAS,)),
    # At the usual price the status range check refuses the same alias first.
    "deposit-balance-alias-priced": (batch(world(), ZERO_DEPOSIT), (BALANCE_ALIAS,)),
    # class 1: deposits, transfer receivers and fees take the one update path, status included
    "deposit-total-value": (batch(crowded_world(), [Deposit(position_id=10, public_key=ALICE, amount=1)]), ()),
    "receiver-total-value": (batch(crowded_world(), [transfer(CAROL_SK, 12, ALICE, 10, 1)]), ()),
    "fee-total-value": (batch(crowded_world(), [trade(
        order(CAROL_SK, 12, True, 1, 100, 1), order(BOB_SK, 11, False, 1, 100, 0), 100, 1, fee_a=1)]), ()),
    # class 2
    "expired-honest": (batch(stale_world(), [EXPIRED]), ()),
    "expired-min-expiration-wraps": (batch(stale_world(), [EXPIRED], minimum_expiration_timestamp=P - 1), ()),
    # class 3: asset 0 (and other ids no config lists) is no "collateral only" sentinel
    "sentinel-asset-valid": (batch(world(), [forced_trade(0, 0, 4000, True)]), ()),
    "sentinel-asset-invalid": (batch(world(), [forced_trade(0, 0, 4000, False),
                                               forced_trade(COLLATERAL, 1, 4000, False),
                                               forced_trade(2**200, 1, 4000, False),
                                               forced_trade(P - 1, 1, 4000, False)]), ()),
    # class 4: total value out of range is "invalid", not a failed run
    "extreme-trade-valid": (batch(world(), [forced_trade(BTC, HUGE, 0, True)]), ()),
    "extreme-trade-invalid": (batch(world(), [forced_trade(BTC, HUGE, 0, False)]), ()),
    # A plain transfer signed with a fee position other than its sender's (as StarkWare's message
    # allows): the hint that loads it cannot make the program hash that position.
    "transfer-fee-position-honest": (batch(world(), [OTHER_FEE_POSITION_TRANSFER]), ()),
    "transfer-fee-position-hint": (batch(world(), [OTHER_FEE_POSITION_TRANSFER]), (Tamper(
        "perpetual.transactions.transfer.load_transfer", "ids.tx.src_fee_position_id = 99"),)),
    # A withdrawal to an address, whose input the prover edits: another payee (itself), or an
    # aliased word (the address plus 2^160, which L1 would read as a Stark key).
    "to-address-honest": (batch(world(), [TO_ADDRESS]), ()),
    "to-address-input-payee": (batch(world(), [withdrawal_to_address(
        ALICE_SK, 10, 0xBAD0000000000000000000000000000000000BAD, 900, signed_address=0xC0FFEE)]), ()),
    "to-address-input-alias": (batch(world(), [withdrawal_to_address(
        ALICE_SK, 10, 2**160 + 0xC0FFEE, 900, signed_address=0xC0FFEE)]), ()),
}


@pytest.fixture(scope="module")
def runs():
    return run_all(JOBS)


def model_output(batch_input):
    """The model's output words for a program input, or its refusal."""
    state, txs, min_expiration = parse_program_input(batch_input)
    return execute_batch(state, txs, min_expiration).words


def refused(result, rule):
    assert isinstance(result, BatchRejected), "the program finished: the attack went through"
    assert rule in result.rule, result.rule


def model_refuses(name, reason):
    with pytest.raises(ModelBatchRejected) as model:
        model_output(JOBS[name][0])
    assert model.value.rejected.reason_code == reason


def gives_the_models_output(runs, name):
    result = runs[name]
    assert isinstance(result, BatchRun), result.rule
    assert result.output == model_output(JOBS[name][0])


def test_stored_positions_are_range_checked_where_they_are_hashed(runs):
    gives_the_models_output(runs, "deposit-honest")
    refused(runs["deposit-balance-alias"], "stored position field out of range")
    refused(runs["deposit-asset-alias"], "stored position field out of range")
    refused(runs["deposit-balance-alias-priced"], "DEPOSIT: OUT_OF_RANGE_TOTAL_VALUE")


@pytest.mark.parametrize("name, rule", [
    ("deposit-total-value", "DEPOSIT: OUT_OF_RANGE_TOTAL_VALUE"),
    ("receiver-total-value", "TRANSFER: receiver: OUT_OF_RANGE_TOTAL_VALUE"),
    ("fee-total-value", "TRADE: party a: fee position: OUT_OF_RANGE_TOTAL_VALUE"),
])
def test_every_position_change_checks_the_total_value_range(runs, name, rule):
    model_refuses(name, Reason.OUT_OF_RANGE_TOTAL_VALUE)
    refused(runs[name], rule)


def test_minimum_expiration_is_compared_as_an_integer(runs):
    model_refuses("expired-honest", Reason.EXPIRED)
    refused(runs["expired-honest"], "WITHDRAWAL: expired")
    refused(runs["expired-min-expiration-wraps"], "minimum expiration timestamp out of range")
    with pytest.raises(ValueError, match="minimum expiration"):
        model_output(JOBS["expired-min-expiration-wraps"][0])


@pytest.mark.parametrize("marked_valid, marked_invalid, reason", [
    # Class 3: an asset id no config lists (0 among them) is no "collateral only" sentinel.
    ("sentinel-asset-valid", "sentinel-asset-invalid", Reason.MISSING_SYNTHETIC_ASSET_ID),
    # Class 4: a total value out of range is "invalid", not a failed run.
    ("extreme-trade-valid", "extreme-trade-invalid", Reason.OUT_OF_RANGE_TOTAL_VALUE),
])
def test_such_forced_trades_are_provably_invalid(runs, marked_valid, marked_invalid, reason):
    model_refuses(marked_valid, reason)
    refused(runs[marked_valid], "FORCED_TRADE: validity mark does not match the rules")
    gives_the_models_output(runs, marked_invalid)


def test_a_plain_transfer_hashes_its_sender_as_the_fee_position(runs):
    model_refuses("transfer-fee-position-honest", Reason.INVALID_SIGNATURE)
    refused(runs["transfer-fee-position-honest"], "TRANSFER: invalid signature")
    refused(runs["transfer-fee-position-hint"], "TRANSFER: fee position is not the sender's")


def test_a_withdrawal_to_an_address_pays_the_signed_address_only(runs):
    gives_the_models_output(runs, "to-address-honest")
    refused(runs["to-address-input-payee"], "WITHDRAWAL_TO_ADDRESS: invalid signature")
    model_refuses("to-address-input-payee", Reason.INVALID_SIGNATURE)
    refused(runs["to-address-input-alias"], "WITHDRAWAL_TO_ADDRESS: eth address out of range (0, 2^160)")
    model_refuses("to-address-input-alias", Reason.INVALID_ETH_ADDRESS)
