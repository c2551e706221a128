"""Property: on random batches, the Cairo program and the Python reference model agree.

Hypothesis draws a starting state and a sequence of deposits, transfers, withdrawals (to the key
or to an address) and trades between a few positions; the model drops what it rejects (as the gateway would), and
the program must then accept the rest and write exactly the model's output words, roots
included. Each example is one cairo-run, so the example count is small."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offchain.core.batch_program import run_batch
from offchain.crypto.signature import private_to_public_key
from offchain.perpetual.batch import execute_batch, program_input
from offchain.perpetual.transactions import Deposit

from perp_world import (
    BTC, MIN_EXPIRATION, make_state, order, position, trade, transfer, withdrawal, withdrawal_to_address)

KEYS = (0xA1, 0xB2, 0xC3)
PUBLIC = tuple(private_to_public_key(k) for k in KEYS)
POSITIONS = (3, 4, 5)


amounts = st.integers(min_value=0, max_value=3000)
party = st.integers(min_value=0, max_value=len(KEYS) - 1)


@st.composite
def batches(draw):
    state = make_state({POSITIONS[i]: position(PUBLIC[i], draw(st.integers(0, 5000)),
                                               BTC=(draw(st.integers(-20, 20)), 0))
                        for i in range(len(KEYS))})
    txs = []
    for nonce in range(draw(st.integers(min_value=1, max_value=5))):
        kind = draw(st.sampled_from(["deposit", "transfer", "withdrawal", "withdrawal_to_address", "trade"]))
        a, b = draw(party), draw(party)
        if kind == "deposit":
            txs.append(Deposit(position_id=POSITIONS[a], public_key=PUBLIC[a], amount=draw(amounts)))
        elif kind == "transfer":
            txs.append(transfer(KEYS[a], POSITIONS[a], PUBLIC[b], POSITIONS[b], draw(amounts), nonce=nonce))
        elif kind == "withdrawal":
            txs.append(withdrawal(KEYS[a], POSITIONS[a], draw(amounts), nonce=nonce))
        elif kind == "withdrawal_to_address":
            txs.append(withdrawal_to_address(KEYS[a], POSITIONS[a], draw(st.integers(1, 2**160 - 1)),
                                             draw(amounts), nonce=nonce))
        else:
            synthetic, collateral = draw(st.integers(1, 5)), draw(st.integers(1, 600))
            buy = order(KEYS[a], POSITIONS[a], True, synthetic, collateral, 0, nonce=2 * nonce)
            sell = order(KEYS[b], POSITIONS[b], False, synthetic, collateral, 0, nonce=2 * nonce + 1)
            txs.append(trade(buy, sell, collateral, synthetic))
    return state, txs


@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(batches())
def test_program_and_model_agree_on_random_batches(batch):
    state, drawn = batch
    valid = execute_batch(state, drawn, MIN_EXPIRATION, skip_rejected=True).transactions
    expected = execute_batch(state, valid, MIN_EXPIRATION)
    run = run_batch(program_input(state, valid, MIN_EXPIRATION))
    assert run.output == expected.words
