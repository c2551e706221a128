"""Model and program agree on random batches (hypothesis): the same output words, or the same
broken rule. Batches mix every transaction type over a few keys, assets and vaults of both
trees, with amounts near the bounds often enough to break rules."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .program import assert_agree
from .spot_world import (ALICE, BOB, CAROL, ETH, GAME, NFT, OPERATOR, R, USDC, batch, deposit,
                         false_full_withdrawal, fee_taken, full_withdrawal, order, settlement,
                         transfer, vault, withdrawal)

WHO = st.sampled_from([ALICE, BOB, CAROL])
ASSET = st.sampled_from([ETH, USDC, NFT, GAME])
VAULT = st.sampled_from([1, 2, 3, 4, R + 1, R + 2])
AMOUNT = st.one_of(st.integers(0, 20), st.sampled_from([2**63 - 1, 2**63]))
PREVIOUS = {1: vault(ALICE, ETH, 100), 2: vault(BOB, USDC, 100), R + 1: vault(CAROL, NFT, 3)}


@st.composite
def transactions(draw):
    kind = draw(st.sampled_from(["deposit", "withdrawal", "transfer", "conditional", "settlement",
                                 "full", "false_full"]))
    if kind in ("deposit", "withdrawal"):
        make = deposit if kind == "deposit" else withdrawal
        return make(draw(WHO), draw(VAULT), draw(ASSET), draw(AMOUNT))
    if kind in ("full", "false_full"):
        make = full_withdrawal if kind == "full" else false_full_withdrawal
        return make(draw(WHO), draw(VAULT))
    if kind in ("transfer", "conditional"):
        fee = draw(st.none() | st.tuples(ASSET, st.integers(0, 3), VAULT))
        taken = None if fee is None else fee_taken(draw(st.integers(0, 4)), draw(VAULT))
        vaults = (draw(VAULT), draw(VAULT)) if fee else (draw(VAULT.filter(lambda v: v < R)),
                                                          draw(VAULT.filter(lambda v: v < R)))
        return transfer(draw(WHO), vaults[0], draw(WHO), vaults[1], draw(ASSET), draw(AMOUNT),
                        nonce=draw(st.integers(0, 3)), fee=fee, taken=taken,
                        condition_fact=(0xABC, draw(st.integers(1, 9))) if kind == "conditional"
                        else None)
    sell, buy = draw(st.permutations([ETH, USDC, NFT]))[:2]
    parties = []
    for who, token_sell, token_buy in ((draw(WHO), sell, buy), (draw(WHO), buy, sell)):
        fee = draw(st.none() | st.tuples(ASSET, st.integers(0, 3), VAULT))
        vaults = (draw(VAULT), draw(VAULT)) if fee else (draw(VAULT.filter(lambda v: v < R)),
                                                          draw(VAULT.filter(lambda v: v < R)))
        parties.append((order(who, vaults[0], vaults[1], draw(st.integers(1, 20)),
                              draw(st.integers(1, 20)), token_sell, token_buy,
                              nonce=draw(st.integers(0, 3)), fee=fee),
                        None if fee is None else fee_taken(draw(st.integers(0, 3)), 4, OPERATOR)))
    (a, a_fee), (b, b_fee) = parties
    return settlement(a, b, draw(st.integers(0, 20)), draw(st.integers(0, 20)), a_fee, b_fee)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(transactions(), min_size=1, max_size=4))
def test_model_and_program_agree_on_random_batches(txs):
    assert_agree(batch(txs, PREVIOUS, validium=3, rollup=2))
