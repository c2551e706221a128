"""The Spot program under a malicious prover: for each of the program's own hints, an attack that
edits what the hint writes (tests/cairo/malicious.py: the same bytecode, edited hint bodies) is
refused, and the same batch with honest hints gives exactly the model's words."""
import copy

import pytest

from offchain.core.batch_program import SPOT_PROGRAM_DIR, BatchRejected

from .program import malicious, program_rule, run_model
from .spot_world import (ALICE, BOB, ETH, KEYS, NFT, R, batch, deposit, false_full_withdrawal,
                         fee_taken, full_withdrawal, order, settlement, transfer, vault)

Tamper, nth_call = malicious.Tamper, malicious.nth_call
VAULTS = {1: vault(ALICE, ETH, 100), 4: vault(BOB, NFT, 1), R + 3: vault(BOB, ETH, 50)}


def trade_batch(repeat=1):
    a = order(ALICE, 1, 2, amount_sell=10, amount_buy=1, token_sell=ETH, token_buy=NFT)
    b = order(BOB, 4, 5, amount_sell=1, amount_buy=8, token_sell=NFT, token_buy=ETH)
    return batch([settlement(a, b, 8, 1)] * repeat, VAULTS)


def t(scope, code):
    """A tamper of the hint of `scope` ("file.function"; main.cairo is cairo's __main__)."""
    return Tamper(scope.replace("main.", "__main__.", 1) if scope.startswith("main.")
                  else f"spot.{scope}", code)


def stored_vault(vault_id, fields):
    """The vault the dict hint writes for `vault_id` on its first read, whatever the previous
    state holds (the previous-root hint still hashes the honest vault)."""
    return t("hints.define_hint_helpers", f"""
        _honest_missing = _LazyVaults.__missing__
        def _tampered_missing(self, key):
            if key != {vault_id}:
                return _honest_missing(self, key)
            self[key] = segments.gen_arg({fields})
            return self[key]
        _LazyVaults.__missing__ = _tampered_missing
    """)


BASE = {
    "trade": trade_batch(),
    "withdrawals": batch([full_withdrawal(BOB, R + 3), false_full_withdrawal(BOB, 7),
                          deposit(ALICE, R + 1, ETH, 5)], VAULTS),
    "transfer": batch([transfer(BOB, R + 3, ALICE, R + 2, ETH, 5, fee=(ETH, 1, R + 3),
                                taken=fee_taken(1, 6))], VAULTS),
}

def helper(code):
    """Redefines helpers of the hints (cairo/spot/hints.cairo) before any other hint runs."""
    return t("hints.define_hint_helpers", code)


def edited(base, path, value):
    """The base batch with one input field changed (what a copying hint then writes)."""
    program_input = copy.deepcopy(BASE[base])
    obj = program_input
    for key in path[:-1]:
        obj = obj[key]
    if value is DELETE:
        del obj[path[-1]]
    else:
        obj[path[-1]] = value
    return program_input


DELETE = object()
TX = "transactions"

# Hints that copy the input: the prover's choice is an edited input (the honest hint then writes
# it). (input, the rule the run must fail with.)
INPUT_ATTACKS = {
    # main.main
    "expiration_beyond_2^22": (lambda: edited("trade", ["global_expiration_timestamp"], 2**22),
                               "expiration_bound"),
    "tree_height_32": (lambda: edited("trade", ["general_config", "validium_vault_tree_height"],
                                      32), "config_height"),
    # transactions.load_order: a better price than the user signed; a fee taken with no signed fee.
    "order_amount": (lambda: edited("trade", [TX, 0, "party_a_order", "amount_buy"], 0),
                     "signature"),
    "fee_presence": (lambda: edited("trade", [TX, 0, "settlement_info", "party_a_fee_info"],
                                    fee_taken(0, 6)), "fee_info"),
    # transactions.execute_settlement: more sold than the order's price allows.
    "oversold": (lambda: edited("trade", [TX, 0, "settlement_info", "party_a_sold"], 11),
                 "order_ratio"),
    # transactions.execute_modification: an amount beyond the balance bound.
    "deposit_amount": (lambda: edited("withdrawals", [TX, 2, "amount"], 2**63), "amount_bound"),
    # transactions.execute_full_withdrawal: a requester who does not own the vault.
    "full_withdrawal_key": (lambda: edited("withdrawals", [TX, 0, "stark_key"], KEYS[ALICE]),
                            "full_withdrawal"),
    # transactions.execute_false_full_withdrawal: the owner's own request called false.
    "false_full_withdrawal_key": (lambda: edited(
        "withdrawals", [TX, 1], false_full_withdrawal(ALICE, 1)), "false_full_withdrawal"),
    # transactions.execute_transfer: another amount than the sender signed.
    "transfer_amount": (lambda: edited("transfer", [TX, 0, "amount"], 6), "signature"),
}

# Hints that compute: the prover's choice is another result of the helper they call.
# (base batch, tampers, the rule the run must fail with, or None: refused by the dicts or trees.)
ATTACKS = {
    # main.execute_transaction: a type code no transaction has.
    "unknown_type": ("trade", [helper("_tx_type = lambda tx: 7")], "transaction_type"),
    # vaults.load_vault: a richer stored vault than the previous root holds.
    "richer_vault": ("trade", [stored_vault(1, f"[{KEYS[ALICE]}, {ETH}, 1100]")], None),
    # An empty stored vault that claims a key (the rules read an empty vault's key as 0): Bob's
    # false full withdrawal of empty vault 7 would be served against a vault "owned" by Alice.
    "empty_vault_with_a_key": ("withdrawals", [stored_vault(7, f"[{KEYS[ALICE]}, {ETH}, 0]")],
                               "stored_vault"),
    # vaults.fill_limit_order, fill_transfer: an order filled before reads as unfilled.
    "refilled_order": ("trade2", [helper("_filled = lambda orders, order_id: 0")], None),
    "replayed_transfer": ("transfer2", [helper("_filled = lambda orders, order_id: 0")], None),
    # finalize.tree_roots: a new root the updates do not give (each tree's second root).
    "new_root": ("trade", [helper("""
        _honest_root, _calls = _sparse_root, []
        def _sparse_root(leaves, height, empty_leaf, preimage):
            _calls.append(1)
            root = _honest_root(leaves, height, empty_leaf, preimage)
            return root + 1 if len(_calls) == 2 else root  # the validium tree's new root
    """)], None),
    # onchain.write_table: the tables in decreasing order.
    "table_unsorted": ("withdrawals", [helper("_table = lambda values: sorted(values, reverse=True)")],
                       "onchain_table"),
    # onchain.index_of: a change pointing at another entry of its table.
    "wrong_index": ("withdrawals", [helper("_index = lambda table, value: table.index(value) + 1")],
                    "onchain_table"),
}

BASE["trade2"] = trade_batch(repeat=2) | {"previous_state": {
    "vaults": {"1": vault(ALICE, ETH, 100), "4": vault(BOB, NFT, 2)}, "orders": {}}}
BASE["transfer2"] = batch(BASE["transfer"]["transactions"] * 2, VAULTS)


@pytest.fixture(scope="module")
def runs():
    jobs = {f"honest {name}": (program_input, ()) for name, program_input in BASE.items()}
    jobs |= {name: (BASE[base], tuple(tampers)) for name, (base, tampers, _) in ATTACKS.items()}
    jobs |= {name: (make(), ()) for name, (make, _) in INPUT_ATTACKS.items()}
    return malicious.run_all(jobs, program_dir=SPOT_PROGRAM_DIR)


@pytest.mark.parametrize("name", sorted(BASE))
def test_honest_controls_give_the_models_words(runs, name):
    result, model = runs[f"honest {name}"], run_model(BASE[name])
    if isinstance(model, list):
        assert not isinstance(result, BatchRejected), result.rule
        assert result.output == model
    else:  # the doubled batches: the model refuses them as the program does
        assert isinstance(result, BatchRejected) and program_rule(result) == model.rule


@pytest.mark.parametrize("name", sorted(INPUT_ATTACKS))
def test_every_edited_input_is_refused_by_name(runs, name):
    make, rule = INPUT_ATTACKS[name]
    result = runs[name]
    assert isinstance(result, BatchRejected), f"{name}: the edited input was accepted"
    assert program_rule(result) == (rule or run_model(make()).rule), result.rule


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_every_hint_attack_is_refused(runs, name):
    base, _, rule = ATTACKS[name]
    result = runs[name]
    assert isinstance(result, BatchRejected), f"{name}: the tampered run finished"
    if rule is not None:
        assert program_rule(result) == rule, result.rule
    else:  # refused by the dicts or the trees, not by the rule the honest run breaks (if any)
        honest = run_model(BASE[base])
        assert isinstance(honest, list) or program_rule(result) != honest.rule, result.rule
