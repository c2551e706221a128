"""Model and program agree on random batches (hypothesis): the same output words, or the same
broken rule. Batches mix every transaction type over three keys, four assets and vaults of both
trees: mostly each key's own vault of an asset, mirror orders at one price, small amounts, so
that about a third of the batches are accepted (150 drawn through the model: 44 accepted, the
rest refused by eight different rules), and otherwise any vault, price or bound."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .program import assert_agree
from .spot_world import (ALICE, BOB, CAROL, ETH, GAME, NFT, OPERATOR, R, USDC, batch, deposit,
                         false_full_withdrawal, fee_taken, full_withdrawal, order, settlement,
                         transfer, vault, withdrawal)

WHO = st.sampled_from([ALICE, BOB, CAROL])
ASSETS = [ETH, USDC, NFT, GAME]
ASSET = st.sampled_from(ASSETS)
RANDOM_VAULT = st.sampled_from([1, 2, 3, 4, R + 1, R + 2])
AMOUNT = st.sampled_from([1, 2, 3, 5, 8, 13, 20, 40, 0, 2**63 - 1, 2**63])  # mostly small


def own_vault(who, asset):
    """Each key's vault of each asset (validium), so most requests meet their owner rule."""
    return 4 * who + ASSETS.index(asset)


PREVIOUS = {own_vault(w, a): vault(w, a, 50) for w in (ALICE, BOB, CAROL) for a in ASSETS}
PREVIOUS[R + 1] = vault(CAROL, NFT, 3)


def vault_of(draw, who, asset, rollup_ok=True):
    """Mostly the key's own vault of the asset; sometimes any vault (to break owner rules)."""
    if draw(st.integers(0, 7)) == 0:
        return draw(RANDOM_VAULT if rollup_ok else RANDOM_VAULT.filter(lambda v: v < R))
    return own_vault(who, asset)


@st.composite
def transactions(draw):
    kind = draw(st.sampled_from(["deposit", "withdrawal", "transfer", "conditional", "settlement",
                                 "full", "false_full"]))
    who, asset = draw(WHO), draw(ASSET)
    if kind in ("deposit", "withdrawal"):
        make = deposit if kind == "deposit" else withdrawal
        return make(who, vault_of(draw, who, asset), asset, draw(AMOUNT))
    if kind in ("full", "false_full"):
        if kind == "full":  # mostly the requester's own vault
            return full_withdrawal(who, vault_of(draw, who, asset))
        return false_full_withdrawal(who, vault_of(draw, draw(WHO), asset))
    if kind in ("transfer", "conditional"):
        to = draw(WHO)
        fee = draw(st.none() | st.tuples(ASSET, st.integers(0, 3), st.just(None)))
        if fee is not None:
            fee = (fee[0], fee[1], vault_of(draw, who, fee[0]))
        taken = None if fee is None else fee_taken(
            draw(st.integers(0, fee[1] + 1)), own_vault(CAROL, fee[0]), CAROL)
        amount = draw(AMOUNT)
        tx = transfer(who, vault_of(draw, who, asset, fee is not None), to,
                      vault_of(draw, to, asset, fee is not None), asset, min(amount, 2**63 - 1),
                      nonce=draw(st.integers(0, 3)), fee=fee, taken=taken,
                      condition_fact=(0xABC, draw(st.integers(1, 9))) if kind == "conditional"
                      else None)
        tx["amount"] = amount  # 2^63 cannot be signed; it breaks amount_bound first
        return tx
    sell, buy = draw(st.permutations([ETH, USDC, NFT]))[:2]
    # Mostly a mirror pair at one price, filled by a half or in full; sometimes anything.
    u, v = draw(st.integers(1, 10)), draw(st.integers(1, 10))
    mirror = draw(st.integers(0, 3)) > 0
    amounts = [(2 * u, 2 * v), (2 * v, 2 * u) if mirror else (draw(st.integers(1, 20)),
                                                              draw(st.integers(1, 20)))]
    parties = []
    for (who, token_sell, token_buy), (amount_sell, amount_buy) in zip(
            ((draw(WHO), sell, buy), (draw(WHO), buy, sell)), amounts):
        fee = draw(st.none() | st.tuples(ASSET, st.integers(0, 3)))
        if fee is not None:
            fee = (fee[0], fee[1], vault_of(draw, who, fee[0]))
        rollup_ok = fee is not None
        parties.append((order(who, vault_of(draw, who, token_sell, rollup_ok),
                              vault_of(draw, who, token_buy, rollup_ok), amount_sell, amount_buy,
                              token_sell, token_buy, nonce=draw(st.integers(0, 3)), fee=fee),
                        None if fee is None else fee_taken(draw(st.integers(0, fee[1] + 1)),
                                                           own_vault(CAROL, fee[0]), CAROL)))
    half = draw(st.booleans())
    a_sold, b_sold = (u, v) if half else (2 * u, 2 * v)
    if not mirror:
        a_sold, b_sold = draw(st.integers(0, 20)), draw(st.integers(0, 20))
    (a, a_fee), (b, b_fee) = parties
    return settlement(a, b, a_sold, b_sold, a_fee, b_fee)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(transactions(), min_size=1, max_size=4))
def test_model_and_program_agree_on_random_batches(txs):
    assert_agree(batch(txs, PREVIOUS, validium=4, rollup=2))
