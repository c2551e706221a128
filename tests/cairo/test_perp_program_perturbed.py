"""Property under a malicious prover (issue 16): for random batches and random perturbations of
what the prover controls, the batch program either fails or writes exactly the reference model's
output.

Two kinds of perturbation, each run by cairo-lang on the real program:
- a program-input field (any number of the batch input: config, previous state, transactions,
  minimum expiration) moved by an adversarial amount: the program must agree with the model on
  the input it was given, accepting with the model's output exactly when the model accepts;
- a value a hint writes that is no copy of an input field (a position read from the previous
  state, shifted along the aliases its packed leaf word allows or not; an order's filled amount;
  a transaction type; a lookup's found flag; a new root): the constraints determine each, so the
  run must fail, or give the model's output for the honest input when the tampered value was
  never used.

Each example is one random batch and a few perturbations, run side by side; example counts are
small because each run is a cairo-run (about 4 s).
"""
from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offchain.core.batch_program import BatchRejected, BatchRun
from offchain.crypto.constants import FIELD_PRIME
from offchain.crypto.signature import private_to_public_key
from offchain.perpetual.batch import BatchRejected as ModelBatchRejected
from offchain.perpetual.batch import decode_output, execute_batch, parse_program_input, program_input
from offchain.perpetual.errors import TransactionRejected
from offchain.perpetual.execute import apply_transaction
from offchain.perpetual.transactions import Deposit, ForcedTrade, ForcedWithdrawal, FundingTick
from malicious import nth_call, run_all, stored_position
from perp_world import (
    BTC, ETH, FEE, FEE_POSITION, MIN_EXPIRATION, SYSTEM_TIME, make_state, order, position, trade,
    transfer, withdrawal, withdrawal_to_address)

P = FIELD_PRIME
KEYS = (0xA1, 0xB2, 0xC3)
PUBLIC = tuple(private_to_public_key(k) for k in KEYS)
POSITIONS = (3, 4, 5)
DELTAS = (1, -1, 2**32, -2**32, 2**63, -2**63, 2**64, -2**64, 2**128, "negate", "zero")


def marked(state, tx):
    """A forced action marked valid or invalid as the model decides against `state`."""
    if not isinstance(tx, (ForcedWithdrawal, ForcedTrade)):
        return tx
    try:
        apply_transaction(state.copy(), type(tx)(**{**tx.__dict__, "is_valid": True}))
        return type(tx)(**{**tx.__dict__, "is_valid": True})
    except TransactionRejected:
        return type(tx)(**{**tx.__dict__, "is_valid": False})


@st.composite
def batches(draw):
    """A state whose positions hold BTC and ETH at cached funding indices other than the global
    ones, and a batch the model accepts: forced actions marked as the model decides, and what it
    refuses dropped, as the gateway would."""
    def holding():
        return (draw(st.integers(-50, 50)), draw(st.integers(-2**36, 2**36)))
    state = make_state(
        {POSITIONS[i]: position(PUBLIC[i], draw(st.integers(10**5, 10**6)), BTC=holding(),
                                ETH=holding())
         for i in range(len(KEYS))} | {FEE_POSITION: position(FEE, 100)},
        funding={BTC: draw(st.integers(-2**36, 2**36)), ETH: draw(st.integers(-2**36, 2**36))})
    amounts = st.integers(0, 5000)
    party = st.integers(0, len(KEYS) - 1)
    scratch, txs = state.copy(), []
    for nonce in range(1, draw(st.integers(3, 6)) + 1):
        kind = draw(st.sampled_from(["deposit", "transfer", "conditional", "withdrawal", "withdrawal_to_address", "trade",
                                     "forced_withdrawal", "forced_trade", "funding_tick"]))
        a, b = draw(party), draw(party)
        if kind == "deposit":
            tx = Deposit(position_id=POSITIONS[a], public_key=PUBLIC[a], amount=draw(amounts))
        elif kind == "transfer":
            tx = transfer(KEYS[a], POSITIONS[a], PUBLIC[b], POSITIONS[b], draw(amounts), nonce=nonce)
        elif kind == "conditional":
            tx = transfer(KEYS[a], POSITIONS[a], PUBLIC[b], POSITIONS[b], draw(amounts), nonce=nonce,
                          condition_of=(0x1234, draw(st.integers(1, 2**256 - 1))),
                          src_fee_position_id=draw(st.integers(0, 2**64 - 1)))
        elif kind == "withdrawal":
            tx = withdrawal(KEYS[a], POSITIONS[a], draw(amounts), nonce=nonce)
        elif kind == "withdrawal_to_address":
            tx = withdrawal_to_address(KEYS[a], POSITIONS[a], draw(st.integers(1, 2**160 - 1)), draw(amounts),
                                       nonce=nonce)
        elif kind == "trade":
            synthetic, collateral = draw(st.integers(1, 5)), draw(st.integers(1, 600))
            fee = draw(st.integers(0, 3))
            buy = order(KEYS[a], POSITIONS[a], True, synthetic, collateral, fee, nonce=2 * nonce,
                        synthetic=draw(st.sampled_from([BTC, ETH])))
            sell = order(KEYS[b], POSITIONS[b], False, synthetic, collateral, 0,
                         nonce=2 * nonce + 1, synthetic=buy.asset_id_synthetic)
            tx = trade(buy, sell, collateral, synthetic, fee_a=fee)
        elif kind == "forced_withdrawal":
            tx = ForcedWithdrawal(position_id=POSITIONS[a], public_key=PUBLIC[b],
                                  amount=draw(amounts), is_valid=True)
        elif kind == "forced_trade":
            tx = ForcedTrade(
                public_key_party_a=PUBLIC[a], public_key_party_b=PUBLIC[b],
                position_id_party_a=POSITIONS[a], position_id_party_b=POSITIONS[(a + 1) % 3],
                synthetic_asset_id=draw(st.sampled_from([BTC, ETH])),
                amount_collateral=draw(amounts), amount_synthetic=draw(st.integers(0, 20)),
                is_party_a_buying_synthetic=draw(st.booleans()), nonce=nonce, is_valid=True)
        else:  # each index moves a little, well within the funding rate limit
            tx = FundingTick(indices={asset: index + draw(st.integers(-1000, 1000))
                                      for asset, index in scratch.funding_indices.items()},
                             timestamp=SYSTEM_TIME + 10 * nonce)
        tx = marked(scratch, tx)
        try:
            apply_transaction(scratch, tx, MIN_EXPIRATION)
        except TransactionRejected:
            continue
        txs.append(tx)
    return program_input(state, txs, MIN_EXPIRATION)


def numeric_leaves(data, path=()):
    """Paths of every number in the batch input (dict keys, the ids of positions and assets,
    are structure, not numbers a hint reads)."""
    if isinstance(data, dict):
        return [p for key, value in data.items() for p in numeric_leaves(value, path + (key,))]
    if isinstance(data, list):
        return [p for i, value in enumerate(data) for p in numeric_leaves(value, path + (i,))]
    return [path] if isinstance(data, int) else []


def perturbed(data: dict, path: tuple, delta) -> dict:
    """A copy of `data` with the number at `path` moved by `delta` (kept below P in size, the
    same field element for the model and the program)."""
    data = copy.deepcopy(data)
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    value = parent[path[-1]]
    value = {"negate": -value, "zero": 0}.get(delta, value) if isinstance(delta, str) else value + delta
    parent[path[-1]] = value % P if abs(value) >= P else value
    return data


def model_words(data: dict) -> list[int] | None:
    """The model's output words for a batch input, or None when it refuses it."""
    try:
        state, txs, min_expiration = parse_program_input(data)
        return execute_batch(state, txs, min_expiration).words
    except (ModelBatchRejected, ValueError):
        return None


def touched_positions(words: list[int]) -> list[int]:
    """The position ids in a batch output's on-chain data (rollup mode)."""
    data, ids = decode_output(words).onchain_data, []
    while data:
        ids.append(data[0])
        data = data[4 + 3 * data[3]:]
    return ids


def hint_tampers(data: dict, honest: list[int], draw) -> list[tuple]:
    """A tamper of a stored position the batch reads, and one of another value a hint writes
    (not a copy of an input field), at a call that happens in this batch."""
    tampers = []
    touched = touched_positions(honest)
    if touched:
        pid = draw(st.sampled_from(touched))
        stored = data["previous_state"]["positions"].get(str(pid), {"assets": {}})
        n_assets = len(stored["assets"])
        i, m = draw(st.integers(0, max(0, n_assets - 1))), draw(st.sampled_from([1, -1]))
        field = draw(st.sampled_from(["public_key", "collateral_balance", "n_assets"]))
        edits = {
            # Aliases: the same packed word, so the same leaf and previous root.
            "balance alias": f"raw['assets'][{i}][1] += {m}; raw['assets'][{i}][2] -= {m} * 2**64",
            "asset alias": f"raw['assets'][{i}][0] -= {m}; raw['assets'][{i}][1] += {m} * 2**64",
            "collateral alias": f"raw['collateral_balance'] += {m}; raw['n_assets'] -= {m} * 2**16",
            # A plain change: another leaf.
            "field": f"raw[{field!r}] += {m}",
        }
        kind = draw(st.sampled_from(sorted(edits) if n_assets else ["collateral alias", "field"]))
        tampers.append((f"position {pid} {kind}", stored_position(pid, edits[kind])))
    types = [tx["type"] for tx in data["transactions"]]
    n_fills = sum({"WITHDRAWAL": 1, "WITHDRAWAL_TO_ADDRESS": 1, "TRANSFER": 1, "CONDITIONAL_TRANSFER": 1,
                   "TRADE": 2}.get(t, 0)
                  for t in types)
    delta = draw(st.sampled_from([1, -1, 2**64, P - 1]))
    sites = {  # name: (scope, counter, calls in this batch, code)
        "filled": ("perpetual.state.fill_order", "filled", n_fills,
                   f"ids.filled = (ids.filled + {delta}) % PRIME"),
        "tx_type": ("__main__.execute_transaction", "tx_type", len(types),
                    f"ids.tx_type = (ids.tx_type + {delta}) % PRIME"),
        "found": ("perpetual.lookup.find_sorted", "present", 3 if touched else 0,
                  "ids.present = 1 - ids.present"),
        "positions root": ("perpetual.finalize.finalize_positions", "root", 1,
                           f"ids.new_root = (ids.new_root + {delta}) % PRIME"),
        "orders root": ("perpetual.finalize.finalize_orders", "root", 1,
                        f"ids.new_root = (ids.new_root + {delta}) % PRIME"),
        "condition": ("perpetual.transactions.transfer.execute_conditional_transfer",
                      "condition", types.count("CONDITIONAL_TRANSFER"),
                      f"ids.condition = (ids.condition + {delta}) % PRIME"),
    }
    name = draw(st.sampled_from(sorted(n for n, site in sites.items() if site[2] > 0)))
    scope, counter, calls, code = sites[name]
    k = draw(st.integers(1, calls))
    tampers.append((f"{name} (call {k}, {delta})", nth_call(scope, counter, k, code)))
    return tampers


def leaf_paths(data: dict, draw) -> tuple:
    """A number of the batch input, from the transactions most often, then the previous state."""
    part = draw(st.sampled_from(["transactions"] * 3 + ["previous_state"] * 2 + ["other"]))
    leaves = numeric_leaves(data)
    chosen = [p for p in leaves if p[0] == part] or [p for p in leaves
                                                   if p[0] not in ("transactions", "previous_state")]
    return draw(st.sampled_from(chosen))


@settings(max_examples=5, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(batches(), st.data())
def test_perturbed_runs_fail_or_give_the_models_output(data, draw_data):
    draw = draw_data.draw
    honest = model_words(data)
    assert honest is not None
    jobs, expected = {}, {}
    for _ in range(3):
        path, delta = leaf_paths(data, draw), draw(st.sampled_from(DELTAS))
        changed = perturbed(data, path, delta)
        name = f"input {'/'.join(map(str, path))} {delta}"
        jobs[name], expected[name] = (changed, ()), model_words(changed)
    for name, tamper in hint_tampers(data, honest, draw):
        jobs[name], expected[name] = (data, (tamper,)), honest
    results = run_all(jobs)
    for name, result in results.items():
        if isinstance(result, BatchRun):
            assert expected[name] is not None, f"{name}: the program accepted what the model refuses"
            assert result.output == expected[name], f"{name}: the program wrote a false output"
        else:
            assert isinstance(result, BatchRejected)
            if name.startswith("input"):
                assert expected[name] is None, f"{name}: the program refused what the model accepts: {result.rule}"
