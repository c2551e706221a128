"""Every forced action L1 accepts is provable one way or the other (issue 16): random extreme
FORCED_WITHDRAWAL and FORCED_TRADE requests against positions at the edges of their ranges
(balances near ±2^63, funding indices at ±2^63, prices from 0 to 2^64 − 1, keys that are not the
owner's or are 0, asset ids no config lists) are marked valid or invalid as the model decides;
the program proves every mark, and a flipped mark fails the run.

What L1 must refuse, because no batch can serve it either way: an amount of 2^64 or more, a
position id outside the positions tree, and a forced trade between a position and itself.
"""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offchain.core.batch_program import BatchRejected, BatchRun
from offchain.crypto.constants import FIELD_PRIME
from offchain.perpetual.batch import execute_batch, program_input
from offchain.perpetual.errors import TransactionRejected
from offchain.perpetual.execute import apply_transaction
from offchain.perpetual.transactions import ForcedTrade, ForcedWithdrawal
from malicious import run_all
from perp_world import ALICE, BOB, BTC, CAROL, COLLATERAL, ETH, FEE_POSITION, MIN_EXPIRATION, make_state, position

OWNERS = {20: ALICE, 21: BOB, 22: CAROL}
POSITION_IDS = (20, 21, 22, 23, FEE_POSITION)  # 23 is empty
# Extremes mixed with ordinary values, so that valid requests are drawn too.
AMOUNTS = (st.sampled_from([0, 1, 2**32, 2**62, 2**63 - 1, 2**63, 2**64 - 1])
           | st.integers(0, 1000) | st.integers(0, 2**64 - 1))
BALANCES = (st.sampled_from([-(2**63) + 1, -(2**62), -1, 1, 2**62, 2**63 - 1])
            | st.integers(-1000, 1000) | st.integers(10**5, 10**7))
FUNDING = st.sampled_from([-(2**63), -1, 0, 1, 2**63 - 1]) | st.integers(-2**32, 2**32)
PRICES = st.sampled_from([0, 1, 2**32, 2**63, 2**64 - 1]) | st.integers(1, 2**40)
ASSETS = st.sampled_from([BTC, ETH]) | st.sampled_from([0, COLLATERAL, 7, 2**120, 2**200, FIELD_PRIME - 1])


@st.composite
def extreme_states(draw):
    positions = {pid: position(key, draw(BALANCES), BTC=(draw(BALANCES), draw(FUNDING)),
                               ETH=(draw(BALANCES), draw(FUNDING)))
                 for pid, key in OWNERS.items()}
    state = make_state(positions, funding={BTC: draw(FUNDING), ETH: draw(FUNDING)})
    state.oracle_prices.update({BTC: draw(PRICES), ETH: draw(PRICES)})
    return state


@st.composite
def requests(draw):
    def key(position_id):  # mostly the owner's (any key may claim the empty position 23)
        owner = OWNERS.get(position_id, draw(st.sampled_from([ALICE, BOB, CAROL])))
        return draw(st.sampled_from([owner, owner, ALICE, 0]))
    if draw(st.booleans()):
        pid = draw(st.sampled_from(POSITION_IDS))
        return ForcedWithdrawal(position_id=pid, public_key=key(pid), amount=draw(AMOUNTS),
                                is_valid=True)
    a, b = draw(st.lists(st.sampled_from(POSITION_IDS), min_size=2, max_size=2, unique=True))
    return ForcedTrade(public_key_party_a=key(a), public_key_party_b=key(b),
                       position_id_party_a=a, position_id_party_b=b,
                       synthetic_asset_id=draw(ASSETS), amount_collateral=draw(AMOUNTS),
                       amount_synthetic=draw(AMOUNTS),
                       is_party_a_buying_synthetic=draw(st.booleans()), nonce=draw(st.integers(0, 2**32)),
                       is_valid=True)


def marked(state, request):
    """The request marked as the model decides against `state` (which it then advances)."""
    trial = state.copy()
    try:
        apply_transaction(trial, request)
        valid = True
    except TransactionRejected:
        valid = False
    request = type(request)(**{**request.__dict__, "is_valid": valid})
    apply_transaction(state, request)
    return request


@settings(max_examples=3, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(extreme_states(), st.lists(requests(), min_size=4, max_size=8), st.data())
def test_extreme_forced_actions_are_provable_as_the_model_marks_them(state, drawn, data):
    scratch = state.copy()
    batch = [marked(scratch, request) for request in drawn]
    expected = execute_batch(state, batch, MIN_EXPIRATION).words
    flips = data.draw(st.lists(st.integers(0, len(batch) - 1), min_size=2, max_size=2, unique=True))
    jobs = {"marked": (program_input(state, batch, MIN_EXPIRATION), ())}
    for j in flips:
        wrong = list(batch)
        wrong[j] = type(wrong[j])(**{**wrong[j].__dict__, "is_valid": not wrong[j].is_valid})
        jobs[f"flipped {j}"] = (program_input(state, wrong, MIN_EXPIRATION), ())
    results = run_all(jobs)
    assert isinstance(results["marked"], BatchRun), results["marked"].rule
    assert results["marked"].output == expected
    for j in flips:
        result = results[f"flipped {j}"]
        assert isinstance(result, BatchRejected), f"request {j}'s flipped mark was proven"
        assert "validity mark does not match the rules" in result.rule, result.rule
