"""StarkExchange (Spot) under attack, each attempt recorded in the adversarial tally: batches a
malicious prover or operator could submit (everything L1 can check), calls by those who may not
make them, requests no batch can serve, forged escapes, and reentrancy through malicious ERC-20,
ERC-721 and ERC-1155 tokens and through malicious ETH, ERC-721 and ERC-1155 recipients."""
import pytest

from offchain.core.l1.users import register_user
from offchain.spot.assets import TokenKind as AssetKind
from offchain.spot.assets import asset_info

from ..adversary import observed, refused
from ..conftest import ALICE_STARK_PRIVATE, FREEZE_GRACE_PERIOD, stark_key
from .conftest import ETH_QUANTUM, VAULT_HEIGHT, Mod, blob, minted_asset, token_id_asset

PRIME = 2**251 + 17 * 2**192 + 1
UPDATE = "Spot updateState: checkable on L1"
STRANGER = "Spot stranger calls"
FORCED = "Spot unservable requests"
ESCAPE = "Spot forged escapes"
REENTRY = "Spot reentrancy"
TWO_DAYS = 2 * 24 * 3600


def _attempt(spot, label, b, error, app=None, prove=True):
    words = spot.prove(b) if prove else b.to_words()
    refused(UPDATE, label, lambda: spot.contract.updateState(words, app or spot.app_data(), sender=spot.operator),
            error)


def test_batches_a_forger_could_choose(spot, alice, alice_key, chain):
    c = spot.contract
    eth = spot.assets[AssetKind.ETH][0]
    c.deposit(alice_key, eth, 1, 5, value=5 * ETH_QUANTUM, sender=alice)
    _attempt(spot, "a batch without its fact", spot.batch(), "FactNotValid", prove=False)
    _attempt(spot, "a batch from another vault root", spot.batch(initial_vault_root=spot.vault_root + 1),
             "VaultRootMismatch")
    b = spot.batch()
    b.initial_roots = (b.initial_roots[0], b.initial_roots[1], b.initial_roots[2] + 1)
    _attempt(spot, "a batch from another order root", b, "OrderRootMismatch")
    b = spot.batch()
    b.initial_roots = (b.initial_roots[0], b.initial_roots[1] + 1, b.initial_roots[2])
    _attempt(spot, "a batch from another rollup vault root", b, "VaultRootMismatch")
    b = spot.batch()
    b.heights = (b.heights[0], b.heights[1] - 1, b.heights[2])
    _attempt(spot, "a batch that shrinks the rollup tree", b, "TreeHeightChanged")
    _attempt(spot, "a batch with another global config code", spot.batch(global_config_code=1),
             "GlobalConfigCodeMismatch")
    _attempt(spot, "a deposit consumed in a vault outside both trees", spot.batch([Mod(alice_key, eth, 2**31, 5)]),
             "InvalidModification")
    _attempt(spot, "a batch that grows the vaults tree", spot.batch(vault_height=VAULT_HEIGHT + 1),
             "TreeHeightChanged")
    _attempt(spot, "a batch that shrinks the orders tree", spot.batch(order_height=10), "TreeHeightChanged")
    _attempt(spot, "a final vault root P", spot.batch(final_vault_root=PRIME), "ProgramOutputWordOutOfField")
    _attempt(spot, "a stark key 2^256 - 1 credited", spot.batch([Mod(2**256 - 1, eth, 1, -1)]),
             "ProgramOutputWordOutOfField")
    _attempt(spot, "an expiration in the current hour", spot.batch(expiration_hours=chain.pending_timestamp // 3600),
             "ExpirationTimestampInPast")
    _attempt(spot, "an expiration at 2^32 hours", spot.batch(expiration_hours=2**32), "ExpirationTimestampOutOfRange")
    _attempt(spot, "more deposit consumed than pending", spot.batch([Mod(alice_key, eth, 1, 6)]),
             "InsufficientPendingDeposit")
    _attempt(spot, "a deposit consumed from another vault", spot.batch([Mod(alice_key, eth, 2, 5)]),
             "InsufficientPendingDeposit")
    _attempt(spot, "a full withdrawal no one requested", spot.batch([Mod(alice_key, eth, 1, 0, full=True)]),
             "ForcedRequestNotFound")
    words = spot.batch([Mod(alice_key, eth, 1, -1)]).to_words()
    words[17] += 1 << 129
    spot.registry.registerFact(_fact(words), sender=spot.governor)
    refused(UPDATE, "an action word above bit 128", lambda: c.updateState(words, spot.app_data(), sender=spot.operator),
            "InvalidModification")
    words = spot.prove(spot.batch())
    for label, bad in [("the output one word short", words[:-1]),
                       ("on-chain key table longer than the output", words[:-2] + [5, 0]),
                       ("n_modifications 2^250", words[:11] + [2**250] + words[12:]),
                       ("an L1 vault update", words[:13] + [1] + words[14:])]:
        spot.registry.registerFact(_fact(bad), sender=spot.governor)
        refused(UPDATE, label, lambda: c.updateState(bad, spot.app_data(), sender=spot.operator))
    _attempt(spot, "a previous batch id that is not the last", spot.batch(), "BatchIdMismatch",
             app=spot.app_data(previous=5))
    _attempt(spot, "application data for a condition the output lacks", spot.batch(), "InvalidApplicationData",
             app=spot.app_data(conditions=[(spot.registry.address, b"\x01" * 32)]))
    b = spot.batch(conditions=[123])
    _attempt(spot, "a condition that is not the registry and fact's", b, "ConditionMismatch",
             app=spot.app_data(conditions=[(spot.registry.address, b"\x01" * 32)]))
    # New roots no earlier attempt proved, so the committee has signed nothing for them.
    b = spot.batch(final_order_root=999)
    words = b.to_words()
    spot.registry.registerFact(_fact(words), sender=spot.governor)
    refused(UPDATE, "a validium batch without the committee's availability fact",
            lambda: c.updateState(words, spot.app_data(), sender=spot.operator), "AvailabilityFactNotValid")


def _fact(words):
    from offchain.core.facts import fact
    from .conftest import PROGRAM_HASH
    return fact(PROGRAM_HASH.to_bytes(32, "big"), words)


def test_strangers(spot, alice, outsider, alice_key, token_admin, project, governor):
    c = spot.contract
    words = spot.prove(spot.batch())
    refused(STRANGER, "updateState by a non-operator", lambda: c.updateState(words, spot.app_data(), sender=outsider),
            "NotOperator")
    token = governor.deploy(project.MintableERC20)
    refused(STRANGER, "registerToken by a stranger",
            lambda: c.registerToken(asset_info(AssetKind.ERC20, token.address), 1, sender=outsider), "NotTokenAdmin")
    refused(STRANGER, "registerToken by the governor (not a token admin)",
            lambda: c.registerToken(asset_info(AssetKind.ERC20, token.address), 1, sender=governor), "NotTokenAdmin")
    refused(STRANGER, "registerTokenAdmin by a token admin", lambda: c.registerTokenAdmin(outsider, sender=token_admin),
            "NotGovernor")
    refused(STRANGER, "announceProgramHash by a stranger", lambda: c.announceProgramHash(1, sender=outsider),
            "NotGovernor")
    refused(STRANGER, "depositCancel for another's key", lambda: c.depositCancel(alice_key, 1, 1, sender=outsider),
            "NotStarkKeyOwner")
    refused(STRANGER, "fullWithdrawalRequest for another's key",
            lambda: c.fullWithdrawalRequest(alice_key, 1, False, sender=outsider), "NotStarkKeyOwner")
    refused(STRANGER, "initialize again", lambda: c.initialize(
        (outsider.address, outsider.address, [], [], 0, 0, 0, 0, 1, 0, 1, 0, 1), sender=outsider),
        "AlreadyInitialized")
    refused(STRANGER, "an ERC-1155 token pushed to the exchange directly", lambda: c.onERC1155Received.transact(
        outsider.address, outsider.address, 1, 1, b"", sender=outsider), "UnexpectedTokenReceived")


def test_requests_no_batch_can_serve(spot, alice, alice_key):
    c = spot.contract
    refused(FORCED, "full withdrawal of vault 2^31 (outside the tree)",
            lambda: c.fullWithdrawalRequest(alice_key, 2**31, False, sender=alice), "VaultIdNotInTree")
    refused(FORCED, "full withdrawal of vault 2^256 - 1",
            lambda: c.fullWithdrawalRequest(alice_key, 2**256 - 1, False, sender=alice), "VaultIdNotInTree")
    c.fullWithdrawalRequest(alice_key, 3, False, sender=alice)
    refused(FORCED, "the same full withdrawal while pending",
            lambda: c.fullWithdrawalRequest(alice_key, 3, False, sender=alice), "ForcedRequestAlreadyPending")
    refused(FORCED, "freeze on a request never made", lambda: c.freezeRequest(b"\x07" * 32, sender=alice),
            "ForcedRequestNotFound")


def test_forged_escapes(spot, alice, alice_key, outsider, chain):
    c = spot.contract
    eth = spot.assets[AssetKind.ETH][0]
    c.deposit(alice_key, eth, 1, 5, value=5 * ETH_QUANTUM, sender=alice)
    spot.submit(spot.batch([Mod(alice_key, eth, 1, 5)], {1: (alice_key, eth, 5)}))
    path = spot.vaults.path(1)
    refused(ESCAPE, "escape before any freeze", lambda: c.escape(alice_key, 1, eth, 5, path, sender=outsider),
            "StateNotFrozen")
    request = c.fullWithdrawalRequest(alice_key, 1, False, sender=alice)
    chain.pending_timestamp = request.timestamp + FREEZE_GRACE_PERIOD + 1
    c.freezeRequest(request.events[0].requestKey, sender=outsider)
    for label, args, error in [
        ("a larger balance", (alice_key, 1, eth, 6, path), "EscapeProofInvalid"),
        ("another asset", (alice_key, 1, eth + 1, 5, path), "EscapeProofInvalid"),
        ("another vault's path", (alice_key, 2, eth, 5, path), "EscapeProofInvalid"),
        ("an empty vault with a balance", (alice_key, 9, eth, 5, spot.vaults.path(9)), "EscapeProofInvalid"),
        ("a path one level short", (alice_key, 1, eth, 5, path[:-1]), "InvalidMerkleHeight"),
        ("vault id 2^31 + 1 (outside both trees)", (alice_key, 2**31 + 1, eth, 5, path), "VaultIdNotInTree"),
        ("the rollup vault of the same index", (alice_key, 2**63 + 1, eth, 5, path), "EscapeProofInvalid"),
        ("a balance of 2^63", (alice_key, 1, eth, 2**63, path), "BalanceOutOfRange"),
    ]:
        refused(ESCAPE, f"escape with {label}", lambda args=args: c.escape(*args, sender=outsider), error)
    c.escape(alice_key, 1, eth, 5, path, sender=outsider)
    refused(ESCAPE, "the same vault escaping twice", lambda: c.escape(alice_key, 1, eth, 5, path, sender=outsider),
            "VaultAlreadyEscaped")
    assert c.getWithdrawalBalance(alice_key, eth) == 5


def _reentry_ok(attacker) -> bool:
    assert attacker.reentries() != 0, "the attacker was never called back"
    return attacker.reentriesSucceeded() != 0


def test_reentrancy_through_malicious_recipients(spot, project, alice, bob, bob_key, outsider, chain):
    """The recipient of an ETH, ERC-721 or ERC-1155 payment calls back into the exchange."""
    c = spot.contract
    receiver = alice.deploy(project.ReentrantReceiver)
    register_user(c, receiver, ALICE_STARK_PRIVATE, sender=alice)
    key = stark_key(ALICE_STARK_PRIVATE)
    eth = spot.assets[AssetKind.ETH][0]
    nft_type, nft = spot.assets[AssetKind.ERC721]
    sft_type, sft = spot.assets[AssetKind.ERC1155]
    nft_asset, sft_asset = token_id_asset(spot, AssetKind.ERC721, 1), token_id_asset(spot, AssetKind.ERC1155, 2)
    nft.mint(bob, 1, sender=bob)
    sft.mint(bob, 2, 100, sender=bob)
    nft.setApprovalForAll(c, True, sender=bob)
    sft.setApprovalForAll(c, True, sender=bob)
    c.deposit(bob_key, eth, 1, 8, value=8 * ETH_QUANTUM, sender=bob)
    c.depositWithTokenId(bob_key, nft_type, 1, 2, 1, sender=bob)
    c.depositWithTokenId(bob_key, sft_type, 2, 3, 10, sender=bob)
    # Bob's assets go to the receiver's key, which withdraws them (twice as much ETH in the
    # exchange as it is owed, so a second payout would find funds).
    mint_type, _ = spot.assets[AssetKind.MINTABLE_ERC721]
    minted = minted_asset(spot, AssetKind.MINTABLE_ERC721, blob(9))
    # Bob's assets go to the receiver's key; each payout re-enters to take another that is still
    # pending (so only the lock stops it).
    spot.submit(spot.batch([Mod(bob_key, eth, 1, 8), Mod(bob_key, nft_asset, 2, 1), Mod(bob_key, sft_asset, 3, 10)]))
    spot.submit(spot.batch([Mod(key, eth, 4, -4), Mod(key, nft_asset, 5, -1), Mod(key, sft_asset, 6, -5),
                            Mod(key, minted, 8, -1)]))

    receiver.arm(c, c.withdraw.encode_input(key, eth), sender=alice)
    c.withdrawWithTokenId(key, nft_type, 1, sender=outsider)
    observed(REENTRY, "ERC-721 receiver re-enters withdraw", _reentry_ok(receiver))
    assert nft.ownerOf(1) == receiver.address

    receiver.arm(c, c.withdraw.encode_input(key, eth), sender=alice)
    c.withdrawWithTokenId(key, sft_type, 2, sender=outsider)
    observed(REENTRY, "ERC-1155 receiver re-enters withdraw", _reentry_ok(receiver))
    assert sft.balanceOf(receiver, 2) == 50

    receiver.arm(c, c.withdrawAndMint.encode_input(key, mint_type, blob(9)), sender=alice)
    c.withdraw(key, eth, sender=outsider)
    observed(REENTRY, "ETH receiver re-enters withdrawAndMint", _reentry_ok(receiver))
    assert chain.provider.get_balance(receiver.address) == 4 * ETH_QUANTUM
    assert c.getWithdrawalBalance(key, minted) == 1
    c.withdrawAndMint(key, mint_type, blob(9), sender=outsider)
    assert spot.assets[AssetKind.MINTABLE_ERC721][1].ownerOf(9) == receiver.address

    # depositWithTokenIdReclaim: the ERC-1155 receiver re-enters it.
    receiver.execute(sft, sft.setApprovalForAll.encode_input(c, True), sender=alice)
    receiver.execute(c, c.depositWithTokenId.encode_input(key, sft_type, 2, 7, 5), sender=alice)
    receiver.execute(c, c.depositCancel.encode_input(key, sft_asset, 7), sender=alice)
    chain.pending_timestamp += TWO_DAYS
    call = c.depositWithTokenIdReclaim.encode_input(key, sft_type, 2, 7)
    receiver.arm(c, call, sender=alice)
    receiver.execute(c, call, sender=alice)
    observed(REENTRY, "ERC-1155 receiver re-enters depositWithTokenIdReclaim", _reentry_ok(receiver))
    assert sft.balanceOf(receiver, 2) == 50


@pytest.mark.parametrize("kind, contract", [(AssetKind.ERC20, "ReentrantERC20"), (AssetKind.ERC721, "ReentrantERC721"),
                                            (AssetKind.ERC1155, "ReentrantERC1155")])
def test_reentrancy_through_a_malicious_token(spot, project, governor, token_admin, alice, alice_key, kind, contract):
    """The token calls back into the exchange while the exchange moves it: into a deposit."""
    c = spot.contract
    token = governor.deploy(getattr(project, contract))
    c.registerToken(asset_info(kind, token.address), 1, sender=token_admin)
    type_ = c.calculateAssetType(asset_info(kind, token.address), 1)
    if kind is AssetKind.ERC20:
        token.mint(alice, 100, sender=alice)
        token.approve(c, 100, sender=alice)
        token.mint(token, 100, sender=alice)
        token.approveFor(c, 100, sender=alice)
        reentry = c.deposit.encode_input(alice_key, type_, 2, 1)
        token.arm(c, reentry, sender=alice)
        c.deposit(alice_key, type_, 1, 10, sender=alice)
    elif kind is AssetKind.ERC721:
        token.mint(alice, 1, sender=alice)
        token.mint(token, 2, sender=alice)
        token.setApprovalForAll(c, True, sender=alice)
        token.arm(c, c.depositWithTokenId.encode_input(alice_key, type_, 2, 2, 1), sender=alice)
        c.depositWithTokenId(alice_key, type_, 1, 1, 1, sender=alice)
    else:
        token.mint(alice, 1, 10, sender=alice)
        token.mint(token, 1, 10, sender=alice)
        token.setApprovalForAll(c, True, sender=alice)
        token.arm(c, c.depositWithTokenId.encode_input(alice_key, type_, 1, 2, 1), sender=alice)
        c.depositWithTokenId(alice_key, type_, 1, 1, 10, sender=alice)
    observed(REENTRY, f"malicious {kind.name} token re-enters a deposit", _reentry_ok(token))
