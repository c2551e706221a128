"""A batch's output words follow docs/program-output.md and decode back."""
import json

import pytest

from offchain.crypto import messages
from offchain.crypto.constants import FIELD_PRIME
from offchain.perpetual.batch import (
    BatchRejected, decode_output, execute_batch, parse_program_input)
from offchain.perpetual.config import asset_config_hash, general_config_hash
from offchain.perpetual.merkle import root_from_path
from offchain.perpetual.position import Position
from offchain.perpetual.state import PerpetualState
from offchain.perpetual.transactions import (
    Deposit, ForcedTrade, ForcedWithdrawal, FundingTick, transaction_from_json)

from .world import (
    ALICE, ALICE_PK, BOB, BOB_PK, BTC, CAROL, EXPIRATION, SYSTEM_TIME, funded, make_state,
    transfer, withdrawal)

REGISTRY = 0x12AA12AA12AA12AA12AA12AA12AA12AA12AA12AA
FACT = 0xABCDEF


def sample_transactions():
    return [
        Deposit(position_id=1, public_key=ALICE, amount=10_000),
        transfer(ALICE_PK, 1, 2, BOB, 3000),
        withdrawal(BOB_PK, 2, 1000),
        transfer(ALICE_PK, 1, 3, CAROL, 500, nonce=2, condition_of=(REGISTRY, FACT)),
        FundingTick(indices={BTC: 5}, timestamp=SYSTEM_TIME + 60),
        ForcedWithdrawal(position_id=2, public_key=BOB, amount=500, is_valid=True),
        ForcedTrade(public_key_party_a=ALICE, public_key_party_b=BOB, position_id_party_a=1,
                    position_id_party_b=2, synthetic_asset_id=BTC, amount_collateral=10,
                    amount_synthetic=10**9, is_party_a_buying_synthetic=True, nonce=3,
                    is_valid=False),
    ]


def test_batch_output_layout():
    state = make_state({9: funded(ALICE, 77)})
    before = (state.positions_root, dict(state.positions))
    result = execute_batch(state, sample_transactions(), minimum_expiration_timestamp=EXPIRATION)
    assert (state.positions_root, dict(state.positions)) == before  # input state untouched
    words = result.words
    assert all(0 <= w < FIELD_PRIME for w in words)
    config = state.config

    i = 0
    assert words[0] == general_config_hash(config) and words[1] == 1
    assert words[2:5] == [1, BTC, asset_config_hash(config.synthetic(BTC))]
    i = 5
    prev_size = words[i]
    prev = words[i + 1:i + 1 + prev_size]
    # The fields listed in docs/program-output.md count 8 + 2n + 2m (its formula says 9 + ...).
    assert prev_size == 8 + 2 * 1 + 2 * 1
    assert prev[0] == state.positions_root and prev[1] == 64 and prev[3] == 64
    i += 1 + prev_size
    new_size = words[i]
    new = words[i + 1:i + 1 + new_size]
    assert new[0] == result.state.positions_root and new[2] == result.state.orders_root
    assert new[4:7] == [1, BTC, 5] and new[7] == SYSTEM_TIME + 60
    assert new[-1] == SYSTEM_TIME + 60
    i += 1 + new_size
    assert words[i] == EXPIRATION
    i += 1
    assert words[i] == 3  # deposit, withdrawal, valid forced withdrawal
    mods = [words[i + 1 + 3 * k:i + 4 + 3 * k] for k in range(3)]
    assert mods == [[ALICE, 1, 2**64 + 10_000], [BOB, 2, 2**64 - 1000], [BOB, 2, 2**64 - 500]]
    i += 1 + 9
    forced_size = words[i]
    assert forced_size == 1 + 4 + 10 and words[i + 1] == 2
    assert words[i + 2:i + 6] == [0, BOB, 2, 500]
    assert words[i + 6:i + 16] == [1, ALICE, BOB, 1, 2, BTC, 10, 10**9, 1, 3]
    i += 1 + forced_size
    condition = messages.fact_to_condition(REGISTRY.to_bytes(20, "big"), FACT.to_bytes(32, "big"))
    assert words[i:i + 2] == [1, condition]
    i += 2
    onchain = words[i + 1:]
    assert words[i] == len(onchain)
    # Touched positions 1, 2, 3 in increasing id; untouched 9 is absent.
    assert onchain[0] == 1 and onchain[1] == ALICE
    ids = []
    j = 0
    while j < len(onchain):
        ids.append(onchain[j])
        position = result.state.position(onchain[j])
        assert onchain[j + 1] == position.public_key
        assert onchain[j + 2] == position.collateral_balance + 2**63
        j += 4 + 3 * onchain[j + 3]
    assert ids == [1, 2, 3]


def test_decode_round_trip():
    state = make_state()
    result = execute_batch(state, sample_transactions(), minimum_expiration_timestamp=EXPIRATION)
    decoded = decode_output(result.words)
    assert decoded == result.output
    assert decoded.to_words() == result.words
    assert decoded.new_state.funding_indices == {BTC: 5}
    assert [m.delta for m in decoded.modifications] == [10_000, -1000, -500]
    with pytest.raises(ValueError):
        decode_output(result.words + [0])
    with pytest.raises(ValueError):
        decode_output(result.words[:-1])


def test_validium_has_no_onchain_data():
    state = make_state(data_availability_mode=0)
    result = execute_batch(state, [Deposit(position_id=1, public_key=ALICE, amount=1)])
    decoded = decode_output(result.words)
    assert decoded.onchain_data is None and decoded.data_availability_mode == 0
    assert result.words[-3:] == [1, 0, 0]  # forced actions: size 1, count 0; no conditions
    assert decoded.to_words() == result.words


def test_negative_funding_index_is_a_field_element():
    state = make_state()
    result = execute_batch(state, [FundingTick(indices={BTC: -7}, timestamp=SYSTEM_TIME + 60)])
    assert FIELD_PRIME - 7 in result.words
    assert decode_output(result.words).new_state.funding_indices == {BTC: -7}


def test_program_input_json_round_trip():
    state = make_state({9: funded(ALICE, 77)})
    txs = sample_transactions()
    result = execute_batch(state, txs, minimum_expiration_timestamp=EXPIRATION)
    text = json.dumps(result.program_input)
    data = json.loads(text)
    assert [transaction_from_json(t) for t in data["transactions"]] == txs
    assert data["minimum_expiration_timestamp"] == EXPIRATION
    rebuilt = PerpetualState.from_json(state.config, data["previous_state"])
    assert rebuilt.positions_root == state.positions_root
    assert rebuilt.position(9) == Position.from_json(data["previous_state"]["positions"]["9"])
    # Replaying the input gives the same output.
    again = execute_batch(*parse_program_input(data))
    assert again.words == result.words


def test_the_input_is_read_as_the_program_reads_it():
    """Numbers become the field elements the program sees; a fact stays 32 bytes."""
    big_fact = 2**256 - 1  # above P: bytes, not a field element
    tx = transfer(ALICE_PK, 1, 3, CAROL, 500, condition_of=(REGISTRY, big_fact))
    assert transaction_from_json(json.loads(json.dumps(tx.to_json()))) == tx
    deposit = transaction_from_json({"type": "DEPOSIT", "position_id": 1, "public_key": -ALICE,
                                     "amount": -1})
    assert deposit == Deposit(position_id=1, public_key=FIELD_PRIME - ALICE,
                              amount=FIELD_PRIME - 1)
    state = PerpetualState.from_json(make_state().config, {
        "positions": {"1": {"public_key": ALICE, "collateral_balance": FIELD_PRIME - 5,
                            "assets": {str(BTC): {"balance": -3, "cached_funding_index": 7}}}},
        "funding_indices": {str(BTC): FIELD_PRIME - 9}})
    assert state.position(1).collateral_balance == -5
    assert state.funding_indices == {BTC: -9}
    with pytest.raises(ValueError, match="0 or 1"):
        transaction_from_json({"type": "FORCED_WITHDRAWAL", "position_id": 1, "public_key": ALICE,
                               "amount": 1, "is_valid": 2})


def test_a_rejected_transaction_rejects_the_batch():
    state = make_state()
    with pytest.raises(BatchRejected) as info:
        execute_batch(state, [Deposit(position_id=1, public_key=ALICE, amount=5),
                              withdrawal(ALICE_PK, 1, 6)])
    assert info.value.index == 1
    assert state.positions == {}


def test_skip_rejected_leaves_them_out_of_batch_and_input():
    state = make_state()
    txs = [Deposit(position_id=1, public_key=ALICE, amount=5), withdrawal(ALICE_PK, 1, 6),
           withdrawal(ALICE_PK, 1, 5, nonce=2)]
    result = execute_batch(state, txs, skip_rejected=True)
    assert [i for i, _ in result.rejected] == [1]
    assert result.transactions == [txs[0], txs[2]]
    assert len(result.program_input["transactions"]) == 2
    assert [m.delta for m in result.output.modifications] == [5, -5]


def test_position_paths_verify_against_the_new_root():
    result = execute_batch(make_state(), sample_transactions(), EXPIRATION)
    for position_id in (1, 2, 3, 4):
        leaf = result.state.position(position_id).leaf_hash()
        path = result.state.position_path(position_id)
        assert root_from_path(leaf, position_id, path) == result.output.new_state.positions_root
