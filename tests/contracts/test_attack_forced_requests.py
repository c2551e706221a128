"""Forced requests under attack. A forced request a batch cannot list freezes the exchange once
its grace period is over, so every field must be one a batch can serve (StarkEx: a known
synthetic asset other than the collateral, words below P, keys on the curve). And a forced
trade carries its counterparty's signature for one trade: once served it must stay served
(StarkEx's FORCED_TRADE_REPLAYED), or the same signature executes the trade again."""
from dataclasses import replace

import pytest

from offchain.perpetual.signing import ForcedTradeRequest as Trade
from offchain.perpetual.signing import forced_trade_signature

from .adversary import refused
from .batch_builder import ForcedTradeAction
from .conftest import SYNTHETIC_ASSET_ID

PRIME = 2**251 + 17 * 2**192 + 1
WEEK = 7 * 24 * 3600
UNSERVABLE = "forced trade: unservable field"
REPLAY = "forced trade: replay"


def _trade(exchange, alice_key, bob_key, **changes) -> Trade:
    base = Trade(alice_key, bob_key, 5, 6, exchange.collateral, SYNTHETIC_ASSET_ID, 1000, 2, True, 7)
    return replace(base, **changes)


def _request(exchange, trade: Trade, bob, alice, chain, premium=False):
    c = exchange.contract
    expiration = chain.pending_timestamp + 3600
    signature = forced_trade_signature(bob.private_key, trade, expiration, c.address, 31337)
    return c.forcedTradeRequest(trade.as_tuple(), expiration, signature, premium, sender=alice)


@pytest.mark.parametrize("label, changes, error", [
    ("synthetic asset id = P", {"syntheticAssetId": PRIME}, "UnknownSyntheticAsset"),
    ("synthetic asset id = 2^256 - 1", {"syntheticAssetId": 2**256 - 1}, "UnknownSyntheticAsset"),
    ("synthetic asset id not in the configuration", {"syntheticAssetId": 7}, "UnknownSyntheticAsset"),
    ("synthetic asset id 0 (the program's 'no synthetic')", {"syntheticAssetId": 0}, "UnknownSyntheticAsset"),
    ("synthetic asset = the collateral", {"syntheticAssetId": "collateral"}, "UnknownSyntheticAsset"),
    ("collateral asset id not the collateral", {"collateralAssetId": 1}, "NotCollateralAsset"),
    ("position A = 2^64", {"positionIdA": 2**64}, "VaultIdOutOfRange"),
    ("position B = P", {"positionIdB": PRIME}, "VaultIdOutOfRange"),
    ("both positions the same", {"positionIdB": 5}, "ForcedTradeSamePosition"),
    ("amount collateral = 2^64", {"amountCollateral": 2**64}, "InvalidQuantizedAmount"),
    ("amount synthetic = 2^256 - 1", {"amountSynthetic": 2**256 - 1}, "InvalidQuantizedAmount"),
    ("nonce = 2^32", {"nonce": 2**32}, "NonceOutOfRange"),
])
def test_forced_trade_a_batch_cannot_serve_is_refused(exchange, alice, bob, alice_key, bob_key, chain,
                                                     label, changes, error):
    """Each of these, accepted, would let Alice freeze the exchange a week later: no batch can
    list the trade (its words are >= P, or the program refuses the asset or the positions)."""
    if changes.get("syntheticAssetId") == "collateral":
        changes = {"syntheticAssetId": exchange.collateral}
    trade = _trade(exchange, alice_key, bob_key, **changes)
    refused(UNSERVABLE, label, lambda: _request(exchange, trade, bob, alice, chain), error)


def test_same_party_on_both_sides_is_refused(exchange, alice, alice_key, bob_key, chain):
    trade = _trade(exchange, alice_key, bob_key, starkKeyB=alice_key)
    refused(UNSERVABLE, "key A = key B", lambda: _request(exchange, trade, alice, alice, chain),
            "ForcedTradeSameParty")


def test_a_servable_forced_trade_is_served_by_a_batch(exchange, alice, bob, alice_key, bob_key, chain):
    c = exchange.contract
    trade = _trade(exchange, alice_key, bob_key)
    key = _request(exchange, trade, bob, alice, chain).events[0].requestKey
    exchange.submit(exchange.batch(forced_actions=[_action(trade)]))
    assert c.forcedRequestTime(key) == 0


def _action(t: Trade) -> ForcedTradeAction:
    return ForcedTradeAction(t.starkKeyA, t.starkKeyB, t.positionIdA, t.positionIdB, t.syntheticAssetId,
                             t.amountCollateral, t.amountSynthetic, t.aIsBuyingSynthetic, t.nonce)


def test_served_forced_trade_cannot_be_replayed(exchange, alice, bob, outsider, alice_key, bob_key, chain):
    """Bob signed one trade. After a batch served it, Alice resubmits the same signature (before
    its expiry): accepted, it would have the program execute the trade a second time."""
    c = exchange.contract
    trade = _trade(exchange, alice_key, bob_key)
    expiration = chain.pending_timestamp + 3600
    signature = forced_trade_signature(bob.private_key, trade, expiration, c.address, 31337)
    receipt = c.forcedTradeRequest(trade.as_tuple(), expiration, signature, False, sender=alice)
    key = receipt.events[0].requestKey
    exchange.submit(exchange.batch(forced_actions=[_action(trade)]))
    for premium in (False, True):
        refused(REPLAY, f"same signed trade requested again (premium={premium})",
                lambda: c.forcedTradeRequest(trade.as_tuple(), expiration, signature, premium, sender=alice),
                "ForcedRequestReplayed")
    assert c.isForcedRequestServed(key)
    # A served trade can neither be served again nor freeze the exchange.
    output = exchange.batch(forced_actions=[_action(trade)])
    refused(REPLAY, "a batch lists the served trade again",
            lambda: exchange.submit(output), "ForcedRequestNotFound")
    chain.pending_timestamp += WEEK + 1
    refused(REPLAY, "freeze on the served trade", lambda: c.freezeRequest(key, sender=outsider),
            "ForcedRequestNotFound")
    assert c.forcedRequestTime(key) == 0


def test_forced_withdrawal_may_be_requested_again_once_served(exchange, alice, alice_key):
    """Withdrawals are not one-shot: the same amount from the same position can be forced again."""
    c = exchange.contract
    from .batch_builder import ForcedWithdrawalAction
    key = c.forcedWithdrawalRequest(alice_key, 5, 3, False, sender=alice).events[0].requestKey
    exchange.submit(exchange.batch(forced_actions=[ForcedWithdrawalAction(alice_key, 5, 3)]))
    assert not c.isForcedRequestServed(key)
    c.forcedWithdrawalRequest(alice_key, 5, 3, False, sender=alice)
    assert c.forcedRequestTime(key) != 0
