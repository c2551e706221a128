"""The adversarial suite: for every state-changing function of the exchange, a stranger's call;
for every value read from calldata, the out-of-range and >= P cases (program output values are
in test_attack_update_state.py); reentrancy through a malicious ERC-20 and a malicious ETH
receiver on deposit, reclaim, withdraw and escape. The attack flows of the issue have their own
modules (test_attack_*.py); all of them record every attempt in one tally (adversary.py),
printed at the end of the run with the number wrongly accepted."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from offchain.crypto.constants import EC_ORDER
from offchain.core.l1.users import register_user, registration_signature
from offchain.perpetual.position import Position
from offchain.perpetual.signing import ForcedTradeRequest, forced_trade_signature

from .adversary import observed, refused
from .batch_builder import Modification
from .conftest import (
    ALICE_STARK_PRIVATE, PROGRAM_HASH, QUANTUM, SYNTHETIC_ASSET_ID, SYNTHETIC_CONFIG_HASH, deploy_exchange,
    erc20_asset_info, init_params, off_curve, stark_key,
)
from .stark_tree import SparseTree

PRIME = 2**251 + 17 * 2**192 + 1
TWO_DAYS = 2 * 24 * 3600
STRANGER = "stranger calls"
CALLDATA = "calldata out of range"
REENTRY = "reentrancy"
ZERO = "0x" + "00" * 20
SECP256K1_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


# --- a stranger's call to every state-changing function -----------------------------------------

@dataclass
class Ctx:
    exchange: object
    c: object
    outsider: object
    alice: object
    alice_key: int
    governor: object
    chain: object
    escape_verifier: object


def _trade(x: Ctx) -> ForcedTradeRequest:
    return ForcedTradeRequest(x.alice_key, stark_key(0xB0B), 5, 6, x.exchange.collateral, SYNTHETIC_ASSET_ID, 1, 1,
                              True, 1)


# function name -> (how a stranger calls it, the rule that must refuse it). None: public by
# design; the test then checks the call did the stranger no good.
STRANGER_CALLS = {
    "acceptGovernance": (lambda x: x.c.acceptGovernance(sender=x.outsider), "NotGovernorCandidate"),
    "nominateGovernor": (lambda x: x.c.nominateGovernor(x.outsider, sender=x.outsider), "NotGovernor"),
    "cancelGovernorNomination": (lambda x: x.c.cancelGovernorNomination(x.outsider, sender=x.outsider), "NotGovernor"),
    "removeGovernor": (lambda x: x.c.removeGovernor(x.governor, sender=x.outsider), "NotGovernor"),
    "registerOperator": (lambda x: x.c.registerOperator(x.outsider, sender=x.outsider), "NotGovernor"),
    "unregisterOperator": (lambda x: x.c.unregisterOperator(x.exchange.operator, sender=x.outsider), "NotGovernor"),
    "cancelChange": (lambda x: x.c.cancelChange(b"\x01" * 32, sender=x.outsider), "NotGovernor"),
    "announceVerifierChain": (lambda x: x.c.announceVerifierChain([x.outsider], sender=x.outsider), "NotGovernor"),
    "applyVerifierChain": (lambda x: x.c.applyVerifierChain([x.outsider], sender=x.outsider), "NotGovernor"),
    "announceAvailabilityVerifiers": (lambda x: x.c.announceAvailabilityVerifiers([x.outsider], sender=x.outsider),
                                      "NotGovernor"),
    "applyAvailabilityVerifiers": (lambda x: x.c.applyAvailabilityVerifiers([x.outsider], sender=x.outsider),
                                   "NotGovernor"),
    "announceProgramHash": (lambda x: x.c.announceProgramHash(5, sender=x.outsider), "NotGovernor"),
    "applyProgramHash": (lambda x: x.c.applyProgramHash(5, sender=x.outsider), "NotGovernor"),
    "announceGlobalConfig": (lambda x: x.c.announceGlobalConfig(5, [], sender=x.outsider), "NotGovernor"),
    "applyGlobalConfig": (lambda x: x.c.applyGlobalConfig(5, [], sender=x.outsider), "NotGovernor"),
    "unfreeze": (lambda x: x.c.unfreeze(sender=x.outsider), "NotGovernor"),
    "initialize": (lambda x: x.c.initialize(init_params(x.outsider, x.escape_verifier,
                                                        [x.exchange.registry.address], [], x.exchange.state),
                                            sender=x.outsider), "AlreadyInitialized"),
    "registerCollateralAsset": (lambda x: x.c.registerCollateralAsset(b"\x01" * 4, 1, sender=x.outsider),
                                "NotGovernor"),
    # Alice's signature, but the stranger's address: the signature names Alice's.
    "registerEthAddress": (lambda x: x.c.registerEthAddress(
        x.outsider, stark_key(0xA1), registration_signature(x.alice.address, 0xA1), sender=x.outsider),
        "InvalidStarkSignature"),
    "deposit": (None, "a deposit is a gift to the key's position: the stranger pays, Alice is credited"),
    "depositCancel": (lambda x: x.c.depositCancel(x.alice_key, x.exchange.collateral, 5, sender=x.outsider),
                      "NotStarkKeyOwner"),
    "depositReclaim": (lambda x: x.c.depositReclaim(x.alice_key, x.exchange.collateral, 5, sender=x.outsider),
                       "NotStarkKeyOwner"),
    "withdraw": (None, "anyone may trigger a withdrawal: the key's eth address is paid, not the caller"),
    "forcedWithdrawalRequest": (lambda x: x.c.forcedWithdrawalRequest(x.alice_key, 5, 1, False, sender=x.outsider),
                                "NotStarkKeyOwner"),
    "forcedTradeRequest": (lambda x: x.c.forcedTradeRequest(_trade(x).as_tuple(), x.chain.pending_timestamp + 99,
                                                            b"", False, sender=x.outsider), "NotStarkKeyOwner"),
    "freezeRequest": (lambda x: x.c.freezeRequest(b"\x02" * 32, sender=x.outsider), "ForcedRequestNotFound"),
    "updateState": (lambda x: x.c.updateState([], [], sender=x.outsider), "NotOperator"),
    "escape": (lambda x: x.c.escape(x.alice_key, 5, 1, [], [], [], sender=x.outsider), "StateNotFrozen"),
    "proxyNominateAdmin": (lambda x: x.c.proxyNominateAdmin(x.outsider, sender=x.outsider), "NotProxyAdmin"),
    "proxyAcceptAdmin": (lambda x: x.c.proxyAcceptAdmin(sender=x.outsider), "NotPendingAdmin"),
    "proxyAnnounceUpgrade": (lambda x: x.c.proxyAnnounceUpgrade(x.c.proxyImplementation(), b"", sender=x.outsider),
                             "NotProxyAdmin"),
    "proxyCancelUpgrade": (lambda x: x.c.proxyCancelUpgrade(x.c.proxyImplementation(), b"", sender=x.outsider),
                           "NotProxyAdmin"),
    "proxyUpgrade": (lambda x: x.c.proxyUpgrade(x.c.proxyImplementation(), b"", sender=x.outsider), "NotProxyAdmin"),
}


@pytest.fixture
def ctx(exchange, outsider, alice, alice_key, governor, chain, escape_verifier) -> Ctx:
    return Ctx(exchange, exchange.contract, outsider, alice, alice_key, governor, chain, escape_verifier)


def test_every_state_changing_function_has_a_stranger_case(exchange):
    """A new external function must come with its stranger's case."""
    mutable = {abi.name for abi in exchange.contract.contract_type.mutable_methods}
    assert mutable == set(STRANGER_CALLS), (mutable ^ set(STRANGER_CALLS))


@pytest.mark.parametrize("name", sorted(n for n, (call, _) in STRANGER_CALLS.items() if call is not None))
def test_a_stranger_is_refused(ctx, name):
    call, error = STRANGER_CALLS[name]
    refused(STRANGER, f"{name} by a stranger", lambda: call(ctx), error)


def test_public_functions_do_a_stranger_no_good(ctx, bob):
    """deposit and withdraw are open to anyone by design: the stranger's deposit credits the key's
    position (his money), the withdrawal he triggers pays the key's owner (not him)."""
    x = ctx
    c, t = x.c, x.exchange.collateral
    c.deposit(x.alice_key, t, 5, 3, value=3 * QUANTUM, sender=x.outsider)
    assert c.getPendingDeposit(x.alice_key, t, 5) == 3
    observed(STRANGER, "deposit by a stranger benefits the stranger", accepted=False)
    x.exchange.submit(x.exchange.batch([Modification(x.alice_key, 5, 3)]))
    x.exchange.submit(x.exchange.batch([Modification(x.alice_key, 5, -3)]))
    alice_before, stranger_before = x.alice.balance, x.outsider.balance
    receipt = c.withdraw(x.alice_key, t, sender=x.outsider)
    assert x.alice.balance == alice_before + 3 * QUANTUM
    observed(STRANGER, "withdraw by a stranger pays the stranger",
             accepted=x.outsider.balance != stranger_before - receipt.total_fees_paid)


# --- every calldata value out of range -------------------------------------------------------------

def test_deposit_values(exchange, alice, alice_key, chain):
    c, t = exchange.contract, exchange.collateral
    chain.provider.set_balance(alice.address, 2**100)  # a deposit of 2^64 - 2 quantized units of ETH
    cases = [
        ("deposit to stark key 0", (0, t, 5, 1), "InvalidStarkKey"),
        ("deposit to stark key P", (PRIME, t, 5, 1), "InvalidStarkKey"),
        ("deposit to a key off the curve", (off_curve(1000), t, 5, 1), "InvalidStarkKey"),
        ("deposit of an unregistered asset", (alice_key, t + 1, 5, 1), "AssetNotRegistered"),
        ("deposit of asset 2^256 - 1", (alice_key, 2**256 - 1, 5, 1), "AssetNotRegistered"),
        ("deposit to position 2^64", (alice_key, t, 2**64, 1), "VaultIdOutOfRange"),
        ("deposit to position P", (alice_key, t, PRIME, 1), "VaultIdOutOfRange"),
        ("deposit of 0", (alice_key, t, 5, 0), "InvalidQuantizedAmount"),
        ("deposit of 2^64", (alice_key, t, 5, 2**64), "InvalidQuantizedAmount"),
    ]
    for label, args, error in cases:
        value = args[3] * QUANTUM if args[3] < 2**64 else 0
        refused(CALLDATA, label, lambda: c.deposit(*args, value=value, sender=alice), error)
    c.deposit(alice_key, t, 5, 2**64 - 2, value=(2**64 - 2) * QUANTUM, sender=alice)
    refused(CALLDATA, "deposits summing to 2^64", lambda: c.deposit(alice_key, t, 5, 2, value=2 * QUANTUM,
                                                                      sender=alice), "InvalidQuantizedAmount")
    refused(CALLDATA, "ETH deposit paying one wei less", lambda: c.deposit(alice_key, t, 6, 1, value=QUANTUM - 1,
                                                                             sender=alice), "EthTransferFailed")


def _raw(r: int, s: int, tail: bytes = b"") -> bytes:
    return r.to_bytes(32, "big") + s.to_bytes(32, "big") + tail


def test_registration_values(exchange, alice):
    c = exchange.contract
    key = stark_key(ALICE_STARK_PRIVATE)
    good = registration_signature(alice.address, ALICE_STARK_PRIVATE)
    r, s = int.from_bytes(good[:32], "big"), int.from_bytes(good[32:64], "big")
    tail = good[64:]
    cases = [
        ("stark key 0", (alice.address, 0, good), "InvalidStarkKey"),
        ("stark key P", (alice.address, PRIME, good), "InvalidStarkKey"),
        ("stark key 2^256 - 1", (alice.address, 2**256 - 1, good), "InvalidStarkKey"),
        ("stark key off the curve", (alice.address, off_curve(1000), good), "InvalidStarkKey"),
        ("the key's other point (x, -y)", (alice.address, key, _raw(r, s, (PRIME - int.from_bytes(tail, "big"))
                                                                      .to_bytes(32, "big"))), "InvalidStarkSignature"),
        ("y off the curve", (alice.address, key, _raw(r, s, (int.from_bytes(tail, "big") + 1).to_bytes(32, "big"))),
         "InvalidStarkKey"),
        ("eth address 0", (ZERO, key, good), "InvalidEthKey"),
        ("r = 0", (alice.address, key, _raw(0, s, tail)), "StarkSignatureROutOfRange"),
        ("r = 2^251", (alice.address, key, _raw(2**251, s, tail)), "StarkSignatureROutOfRange"),
        ("s = 0", (alice.address, key, _raw(r, 0, tail)), "StarkSignatureSOutOfRange"),
        ("s = EC_ORDER", (alice.address, key, _raw(r, EC_ORDER, tail)), "StarkSignatureSOutOfRange"),
        ("w = s^-1 >= 2^251", (alice.address, key, _raw(r, pow(2**251 + 1, -1, EC_ORDER), tail)),
         "StarkSignatureWOutOfRange"),
        ("signature one byte short", (alice.address, key, good[:-1]), "InvalidStarkSignatureLength"),
        ("signature one byte long", (alice.address, key, good + b"\x00"), "InvalidStarkSignatureLength"),
    ]
    for label, args, error in cases:
        refused(CALLDATA, f"registerEthAddress: {label}", lambda: c.registerEthAddress(*args, sender=alice), error)


def test_forced_withdrawal_values(exchange, alice, alice_key):
    c = exchange.contract
    for label, args, error in [
        ("position 2^64", (alice_key, 2**64, 1), "VaultIdOutOfRange"),
        ("position P", (alice_key, PRIME, 1), "VaultIdOutOfRange"),
        ("amount 2^64", (alice_key, 5, 2**64), "InvalidQuantizedAmount"),
        ("amount 2^256 - 1", (alice_key, 5, 2**256 - 1), "InvalidQuantizedAmount"),
        ("stark key P (no one can own it)", (PRIME, 5, 1), "NotStarkKeyOwner"),
    ]:
        refused(CALLDATA, f"forcedWithdrawalRequest: {label}",
                lambda: c.forcedWithdrawalRequest(*args, False, sender=alice), error)


def test_forced_trade_expired_and_badly_signed(exchange, alice, bob, alice_key, bob_key, chain):
    c = exchange.contract
    trade = ForcedTradeRequest(alice_key, bob_key, 5, 6, exchange.collateral, SYNTHETIC_ASSET_ID, 1, 1, True, 1)
    past = chain.pending_timestamp - 1
    signed = forced_trade_signature(bob.private_key, trade, past, c.address, 31337)
    refused(CALLDATA, "forcedTradeRequest: submission expired",
            lambda: c.forcedTradeRequest(trade.as_tuple(), past, signed, False, sender=alice),
            "ForcedTradeSubmissionExpired")
    later = chain.pending_timestamp + 3600
    signed = forced_trade_signature(bob.private_key, trade, later, c.address, 31337)
    r, s, v = signed[:32], int.from_bytes(signed[32:64], "big"), signed[64]
    high_s = r + (SECP256K1_ORDER - s).to_bytes(32, "big") + bytes([55 - v])  # the same signer, malleated
    for label, signature in [("high-s twin of a valid signature", high_s), ("v = 29", signed[:64] + b"\x1d"),
                             ("64 bytes", signed[:64]), ("signed by A, not B",
                                                         forced_trade_signature(alice.private_key, trade, later,
                                                                                c.address, 31337))]:
        refused(CALLDATA, f"forcedTradeRequest: {label}",
                lambda: c.forcedTradeRequest(trade.as_tuple(), later, signature, False, sender=alice),
                "InvalidSignature")


def test_governance_values(bare_exchange, governor):
    c = bare_exchange.contract
    for label, call, error in [
        ("quantum 0", lambda: c.registerCollateralAsset(b"\xfb\x87\x7f\x0b", 0, sender=governor), "InvalidQuantum"),
        ("quantum 2^128", lambda: c.registerCollateralAsset(b"\xfb\x87\x7f\x0b", 2**128, sender=governor),
         "InvalidQuantum"),
        ("asset info of 3 bytes", lambda: c.registerCollateralAsset(b"\x01\x02\x03", 1, sender=governor),
         "InvalidAssetInfo"),
        ("an ERC-20 address without code", lambda: c.registerCollateralAsset(erc20_asset_info(governor.address), 1,
                                                                             sender=governor), "InvalidAssetInfo"),
        ("verifier chain with address 0", lambda: c.announceVerifierChain([ZERO], sender=governor), "ZeroVerifier"),
        ("verifier chain of 9", lambda: c.announceVerifierChain([governor.address] * 9, sender=governor),
         "InvalidVerifierList"),
        ("global config hash P", lambda: c.announceGlobalConfig(PRIME, [], sender=governor), "InvalidGlobalConfigHash"),
        ("asset config id 2^256 - 1", lambda: c.announceGlobalConfig(1, [2**256 - 1, 1], sender=governor),
         "InvalidAssetConfigs"),
        ("257 synthetic assets", lambda: c.announceGlobalConfig(1, [w for i in range(1, 258) for w in (i, 1)],
                                                                sender=governor), "TooManySyntheticAssets"),
    ]:
        refused(CALLDATA, f"governance: {label}", call, error)


HEIGHT = 8


@pytest.fixture(scope="module")
def _escape_exchange(project, governor, operator, chain, escape_verifier):
    return deploy_exchange(project, governor, operator, chain, escape_verifier, positions_height=HEIGHT)


def test_escape_values(_escape_exchange, alice, outsider, chain):
    from dataclasses import replace as copy
    exchange = copy(_escape_exchange, extra={})
    register_user(exchange.contract, alice, ALICE_STARK_PRIVATE)
    alice_key = stark_key(ALICE_STARK_PRIVATE)
    c = exchange.contract
    position = Position(public_key=alice_key, collateral_balance=10)
    tree = SparseTree(height=HEIGHT, leaves={5: position.leaf_hash()})
    state = exchange.next_state(positions_root=tree.root())
    exchange.submit(exchange.batch(new_state=state))
    exchange.freeze(alice, alice_key, 5, outsider)
    path, words = tree.path(5), state.words()
    tampered = list(words)
    tampered[-1] += 1
    sibling_p = [PRIME] + path[1:]
    for label, args, error in [
        ("position 2^height", (alice_key, 2**HEIGHT, 10, [], path, words), "PositionIdOutOfRange"),
        ("collateral balance 2^63", (alice_key, 5, 2**63, [], path, words), "BalanceOutOfRange"),
        ("collateral balance -2^63", (alice_key, 5, -(2**63), [], path, words), "BalanceOutOfRange"),
        ("a sibling = P", (alice_key, 5, 10, [], sibling_p, words), "PedersenInputOutOfField"),
        ("a packed asset = P (no funding index for its asset id)", (alice_key, 5, 10, [PRIME], path, words),
         "MissingFundingIndex"),
        ("stark key P", (PRIME, 5, 10, [], path, words), "PedersenInputOutOfField"),
        ("path one level short", (alice_key, 5, 10, [], path[:-1], words), "InvalidMerkleHeight"),
        ("shared state not the last one", (alice_key, 5, 10, [], path, tampered), "EscapeSharedStateMismatch"),
        ("a balance the tree does not hold", (alice_key, 5, 11, [], path, words), "EscapeProofInvalid"),
    ]:
        refused(CALLDATA, f"escape: {label}", lambda: c.escape(*args, sender=outsider), error)
    c.escape(alice_key, 5, 10, [], path, words, sender=outsider)
    refused(CALLDATA, "escape: the same position twice", lambda: c.escape(alice_key, 5, 10, [], path, words,
                                                                           sender=outsider), "PositionAlreadyEscaped")


# --- reentrancy --------------------------------------------------------------------------------------

def _reentry_ok(attacker) -> bool:
    return attacker.reentriesSucceeded() != 0


def test_reentrancy_through_a_malicious_token(project, governor, operator, chain, escape_verifier, alice):
    """The collateral token calls back into the exchange in the middle of each transfer."""
    token = governor.deploy(project.ReentrantERC20)
    ex = deploy_exchange(project, governor, operator, chain, escape_verifier,
                         asset_info=erc20_asset_info(token.address), quantum=1)
    c, t = ex.contract, ex.collateral
    key = stark_key(ALICE_STARK_PRIVATE)
    register_user(c, alice, ALICE_STARK_PRIVATE)
    token.mint(alice, 10**6, sender=alice)
    token.approve(c, 10**6, sender=alice)
    token.mint(token, 10**6, sender=alice)
    token.approveFor(c, 10**6, sender=alice)

    # deposit: the token deposits again (as itself) inside the transferFrom.
    token.arm(c, c.deposit.encode_input(key, t, 5, 7), sender=alice)
    c.deposit(key, t, 5, 100, sender=alice)
    observed(REENTRY, "token re-enters deposit during a deposit", _reentry_ok(token))
    assert c.getPendingDeposit(key, t, 5) == 100 and token.balanceOf(c) == 100

    # reclaim: the token re-enters depositReclaim (as the owner cannot; the call is refused anyway).
    c.depositCancel(key, t, 5, sender=alice)
    chain.pending_timestamp += TWO_DAYS
    token.arm(c, c.withdraw.encode_input(key, t), sender=alice)
    c.depositReclaim(key, t, 5, sender=alice)
    observed(REENTRY, "token re-enters withdraw during a reclaim", _reentry_ok(token))
    assert token.balanceOf(alice) == 10**6 and c.getPendingDeposit(key, t, 5) == 0

    # withdraw: the token re-enters withdraw for the same key while paying it.
    c.deposit(key, t, 5, 50, sender=alice)
    ex.submit(ex.batch([Modification(key, 5, 50)]))
    ex.submit(ex.batch([Modification(key, 5, -50)]))
    token.arm(c, c.withdraw.encode_input(key, t), sender=alice)
    c.withdraw(key, t, sender=alice)
    observed(REENTRY, "token re-enters withdraw during a withdraw", _reentry_ok(token))
    assert token.balanceOf(alice) == 10**6 and c.getWithdrawalBalance(key, t) == 0


@pytest.fixture(scope="module")
def _receiver_exchange(project, governor, operator, chain, escape_verifier):
    return deploy_exchange(project, governor, operator, chain, escape_verifier, positions_height=HEIGHT)


def test_reentrancy_through_a_malicious_eth_receiver(_receiver_exchange, project, alice, bob, outsider, chain):
    """The key's owner is a contract whose receive() calls back into the exchange when paid."""
    from dataclasses import replace as copy
    ex = copy(_receiver_exchange, extra={})
    c, t = ex.contract, ex.collateral
    receiver = alice.deploy(project.ReentrantReceiver)
    register_user(c, receiver, ALICE_STARK_PRIVATE, sender=alice)
    register_user(c, bob, 0xB0B)
    key, bob_key = stark_key(ALICE_STARK_PRIVATE), stark_key(0xB0B)

    # reclaim: receive() re-enters depositReclaim.
    c.deposit(key, t, 5, 4, value=4 * QUANTUM, sender=alice)
    receiver.execute(c, c.depositCancel.encode_input(key, t, 5), sender=alice)
    chain.pending_timestamp += TWO_DAYS
    receiver.arm(c, c.depositReclaim.encode_input(key, t, 5), sender=alice)
    receiver.execute(c, c.depositReclaim.encode_input(key, t, 5), sender=alice)
    observed(REENTRY, "ETH receiver re-enters depositReclaim", _reentry_ok(receiver))
    assert chain.provider.get_balance(receiver.address) == 4 * QUANTUM

    # withdraw: receive() re-enters withdraw.
    alice_position = Position(public_key=key, collateral_balance=6)
    bob_position = Position(public_key=bob_key, collateral_balance=2)
    tree = SparseTree(height=HEIGHT, leaves={5: alice_position.leaf_hash(), 6: bob_position.leaf_hash()})
    c.deposit(key, t, 5, 9, value=9 * QUANTUM, sender=alice)
    c.deposit(bob_key, t, 6, 2, value=2 * QUANTUM, sender=bob)
    state = ex.next_state(positions_root=tree.root())
    ex.submit(ex.batch([Modification(key, 5, 9), Modification(bob_key, 6, 2), Modification(key, 5, -3)],
                       new_state=state))
    receiver.arm(c, c.withdraw.encode_input(key, t), sender=alice)
    c.withdraw(key, t, sender=outsider)
    observed(REENTRY, "ETH receiver re-enters withdraw", _reentry_ok(receiver))
    assert chain.provider.get_balance(receiver.address) == 7 * QUANTUM

    # escape: after a freeze, the receiver escapes, and when paid re-enters escape for Bob.
    ex.freeze(bob, bob_key, 6, outsider)
    c.escape(key, 5, 6, [], tree.path(5), state.words(), sender=outsider)
    receiver.arm(c, c.escape.encode_input(bob_key, 6, 2, [], tree.path(6), state.words()), sender=alice)
    c.withdraw(key, t, sender=outsider)
    observed(REENTRY, "ETH receiver re-enters escape while paid its escape", _reentry_ok(receiver))
    assert chain.provider.get_balance(receiver.address) == 13 * QUANTUM
    assert not c.isEscaped(6)
