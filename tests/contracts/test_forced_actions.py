import ape
import fast_stark_crypto as fsc

from offchain.core.l1.users import register_user
from offchain.perpetual.signing import ForcedTradeRequest as Trade
from offchain.perpetual.signing import forced_trade_signature

from .reverts import reverts_with
from .conftest import SYNTHETIC_ASSET_ID
from .batch_builder import ForcedTradeAction, ForcedWithdrawalAction, Modification

WEEK = 7 * 24 * 3600
YEAR = 365 * 24 * 3600


def test_forced_withdrawal_request_and_serve(exchange, alice, bob, alice_key):
    c = exchange.contract
    with ape.reverts(c.NotStarkKeyOwner):
        c.forcedWithdrawalRequest(alice_key, 5, 3, False, sender=bob)
    with ape.reverts(c.VaultIdOutOfRange):
        c.forcedWithdrawalRequest(alice_key, 2**64, 3, False, sender=alice)
    with ape.reverts(c.InvalidQuantizedAmount):
        c.forcedWithdrawalRequest(alice_key, 5, 2**64, False, sender=alice)
    receipt = c.forcedWithdrawalRequest(alice_key, 5, 3, False, sender=alice)
    key = c.forcedWithdrawalKey(alice_key, 5, 3)
    assert receipt.events[0].requestKey == key
    assert c.forcedRequestTime(key) == receipt.timestamp
    with ape.reverts(c.ForcedRequestAlreadyPending):
        c.forcedWithdrawalRequest(alice_key, 5, 3, False, sender=alice)
    with ape.reverts(c.FreezeGracePeriodNotOver):
        c.freezeRequest(key, sender=bob)
    receipt = exchange.submit(exchange.batch(forced_actions=[ForcedWithdrawalAction(alice_key, 5, 3)]))
    assert "LogForcedRequestServed" in [e.event_name for e in receipt.events]
    assert c.forcedRequestTime(key) == 0
    with ape.reverts(c.ForcedRequestNotFound):
        c.freezeRequest(key, sender=bob)


def test_per_block_cap_and_premium(exchange, project, alice):
    c = exchange.contract
    burst = alice.deploy(project.ForcedRequestBurst)
    register_user(c, burst, 1000, sender=alice)
    key = fsc.get_public_key(1000)
    with reverts_with("TooManyForcedRequestsInBlock"):
        burst.burst(c, key, 0, 11, 0, sender=alice)
    receipt = burst.burst(c, key, 0, 10, 0, sender=alice)
    assert receipt.gas_used < 1_000_000
    assert all(c.forcedRequestTime(c.forcedWithdrawalKey(key, p, 1)) != 0 for p in (0, 9))
    # In one block, the 11th request passes the cap only as a premium one, burning ~1M gas.
    receipt = burst.burst(c, key, 100, 11, 1, sender=alice)
    assert receipt.gas_used > 1_000_000
    assert c.forcedRequestTime(c.forcedWithdrawalKey(key, 110, 1)) == receipt.timestamp


def _trade(exchange, alice_key, bob_key) -> Trade:
    return Trade(alice_key, bob_key, 5, 6, exchange.collateral, SYNTHETIC_ASSET_ID, 1000, 2, True, 7)


def test_forced_trade_request_and_serve(exchange, alice, bob, alice_key, bob_key, chain):
    c = exchange.contract
    trade = _trade(exchange, alice_key, bob_key)
    expiration = chain.pending_timestamp + 3600
    signature = forced_trade_signature(bob.private_key, trade, expiration, c.address, 31337)
    with ape.reverts(c.InvalidSignature):
        c.forcedTradeRequest(trade.as_tuple(), expiration + 1, signature, False, sender=alice)
    with ape.reverts(c.NotStarkKeyOwner):
        c.forcedTradeRequest(trade.as_tuple(), expiration, signature, False, sender=bob)
    with ape.reverts(c.InvalidSignature):
        c.forcedTradeRequest(trade.as_tuple(), expiration, signature[:64], False, sender=alice)
    bad_signer = forced_trade_signature(alice.private_key, trade, expiration, c.address, 31337)
    with ape.reverts(c.InvalidSignature):
        c.forcedTradeRequest(trade.as_tuple(), expiration, bad_signer, False, sender=alice)
    receipt = c.forcedTradeRequest(trade.as_tuple(), expiration, signature, False, sender=alice)
    key = c.forcedTradeKey(trade.as_tuple())
    assert receipt.events[0].requestKey == key
    assert c.forcedRequestTime(key) == receipt.timestamp
    action = ForcedTradeAction(alice_key, bob_key, 5, 6, trade.syntheticAssetId, 1000, 2, True, 7)
    exchange.submit(exchange.batch(forced_actions=[action]))
    assert c.forcedRequestTime(key) == 0


def test_forced_trade_reverts(exchange, alice, bob, alice_key, bob_key, chain):
    c = exchange.contract
    expiration = chain.pending_timestamp + 3600
    same_key = Trade(alice_key, alice_key, 5, 6, exchange.collateral, 1, 1, 1, True, 7)
    with ape.reverts(c.ForcedTradeSameParty):
        c.forcedTradeRequest(same_key.as_tuple(), expiration, b"", False, sender=alice)
    wrong_collateral = Trade(alice_key, bob_key, 5, 6, exchange.collateral + 1, 1, 1, 1, True, 7)
    with ape.reverts(c.NotCollateralAsset):
        c.forcedTradeRequest(wrong_collateral.as_tuple(), expiration, b"", False, sender=alice)
    trade = _trade(exchange, alice_key, bob_key)
    past = chain.pending_timestamp - 10
    signature = forced_trade_signature(bob.private_key, trade, past, c.address, 31337)
    with ape.reverts(c.ForcedTradeSubmissionExpired):
        c.forcedTradeRequest(trade.as_tuple(), past, signature, False, sender=alice)


def test_freeze_after_grace_period_and_unfreeze(exchange, alice, bob, outsider, alice_key, governor, chain):
    c = exchange.contract
    receipt = c.forcedWithdrawalRequest(alice_key, 5, 3, False, sender=alice)
    key = receipt.events[0].requestKey
    chain.pending_timestamp = receipt.timestamp + WEEK
    with ape.reverts(c.FreezeGracePeriodNotOver):
        c.freezeRequest(key, sender=outsider)
    chain.pending_timestamp = receipt.timestamp + WEEK + 1
    c.freezeRequest(key, sender=outsider)
    assert c.frozen()
    with ape.reverts(c.StateFrozen):
        c.freezeRequest(key, sender=outsider)
    with ape.reverts(c.StateFrozen):
        c.forcedWithdrawalRequest(alice_key, 5, 4, False, sender=alice)
    with ape.reverts(c.StateFrozen):
        c.deposit(alice_key, exchange.collateral, 5, 1, value=10**10, sender=alice)
    with ape.reverts(c.StateFrozen):
        c.updateState([], [], sender=exchange.operator)
    with ape.reverts(c.NotGovernor):
        c.unfreeze(sender=outsider)
    chain.pending_timestamp += YEAR  # UNFREEZE_DELAY
    c.unfreeze(sender=governor)
    assert not c.frozen()
    with ape.reverts(c.StateNotFrozen):
        c.unfreeze(sender=governor)


def test_unfreeze_gives_operator_a_fresh_grace_period(exchange, alice, outsider, alice_key, governor, chain):
    """A request older than the grace period froze the exchange; after governance unfreezes,
    that request (and any older one) may freeze again only a full grace period later."""
    c = exchange.contract
    assert c.lastUnfreezeTime() == 0
    first = c.forcedWithdrawalRequest(alice_key, 5, 3, False, sender=alice)
    second = c.forcedWithdrawalRequest(alice_key, 6, 3, False, sender=alice)
    chain.pending_timestamp = first.timestamp + WEEK + 1
    c.freezeRequest(first.events[0].requestKey, sender=outsider)
    chain.pending_timestamp += YEAR  # UNFREEZE_DELAY
    unfrozen = c.unfreeze(sender=governor)
    assert c.lastUnfreezeTime() == unfrozen.timestamp
    for request in (first, second):
        with ape.reverts(c.FreezeGracePeriodNotOver, freezableAt=unfrozen.timestamp + WEEK):
            c.freezeRequest(request.events[0].requestKey, sender=outsider)
    # A request made after the unfreeze still counts from its own time.
    chain.pending_timestamp = unfrozen.timestamp + 100
    later = c.forcedWithdrawalRequest(alice_key, 7, 3, False, sender=alice)
    chain.pending_timestamp = unfrozen.timestamp + WEEK
    with ape.reverts(c.FreezeGracePeriodNotOver):
        c.freezeRequest(second.events[0].requestKey, sender=outsider)
    chain.pending_timestamp = unfrozen.timestamp + WEEK + 1
    with ape.reverts(c.FreezeGracePeriodNotOver, freezableAt=later.timestamp + WEEK):
        c.freezeRequest(later.events[0].requestKey, sender=outsider)
    c.freezeRequest(second.events[0].requestKey, sender=outsider)
    assert c.frozen()
