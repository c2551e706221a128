"""StarkExchange (Spot) on the shared core: registration with StarkEx's asset type and asset id
derivation (checked against offchain.spot.assets), deposits of every kind with cancel and
reclaim, batches consuming them and crediting withdrawals, withdrawals of every kind
(withdraw-and-mint for mintable assets), full withdrawal requests served by a batch or freezing
the exchange, and a vault's escape with its exact balance."""
import ape
import pytest

from offchain.core.l1.users import register_user
from offchain.spot.assets import TokenKind as AssetKind
from offchain.spot.assets import asset_id, asset_info, asset_type

from ..conftest import FREEZE_GRACE_PERIOD, stark_key
from .conftest import ERC20_QUANTUM, ERC1155_QUANTUM, ETH_QUANTUM, Mod, blob, minted_asset, token_id_asset

TWO_DAYS = 2 * 24 * 3600
MINTABLE = (AssetKind.MINTABLE_ERC20, AssetKind.MINTABLE_ERC721, AssetKind.MINTABLE_ERC1155)
# Bits 250..248 of a mintable asset id (starkex-contracts LibConstants: MINTABLE_ASSET_ID_FLAG,
# NON_UNIQUE_MINTABLE_ASSET_ID_FLAG, MINTABLE_ERC20_ASSET_ID_FLAG).
MINTABLE_TOP_BITS = {AssetKind.MINTABLE_ERC721: 0b100, AssetKind.MINTABLE_ERC1155: 0b110,
                     AssetKind.MINTABLE_ERC20: 0b111}
# (kind, quantum, asset type, token id or minting blob, asset id) for the token at address 0xab,
# computed by following starkex-contracts' own rules (interactions/TokenAssetData.sol
# calculateAssetIdWithTokenId and calculateMintableAssetId, components/TokenRegister.sol's asset
# type, libraries/LibConstants.sol's masks and flags) with keccak alone, not with our code.
STARKEX_VECTORS = [
    (AssetKind.ERC721, 1, 0x152a7004afeffeedddf45d5c1f72de99c98819cd02501cfa74b3d518081ec5e, 7,
     0x20e2bd9dc8f8bc8eccd47ac0dd660fe384fa87353f0b5b18ef1dd148388decc),
    (AssetKind.ERC1155, 10, 0xe9757e34566d3bb9f7adf50a2528cb3f06f3bfe88578c9e96588a35c17cbd5, 7,
     0x2748fea8a0afa60e73568440c5a7f99228f93ffda3028d65a020c505ccd444f),
    (AssetKind.MINTABLE_ERC20, 1000, 0x1695fc36c1c1b4faf69da88d662a56f181cbf05ee4c833d1dd95e19445ce5b3, b"",
     0x7004c0c2bb43162df0bd388d6e44f41dc1cee85ddd90e3cf32c4702551a4954),
    (AssetKind.MINTABLE_ERC20, 1000, 0x1695fc36c1c1b4faf69da88d662a56f181cbf05ee4c833d1dd95e19445ce5b3,
     (4242).to_bytes(32, "big"), 0x700fc3e306d52ba2276a5a5aa95e42b540e55d21dc43f51280f32c50db32813),
    (AssetKind.MINTABLE_ERC721, 1, 0x3ade959e820093c3c5c944492f17ba4902f7a57612979d23ad267ebbd966c22, b"",
     0x40074d6bcf35823b2854b580a08be432f704d6693870cde1aedb5161563a4ba),
    (AssetKind.MINTABLE_ERC721, 1, 0x3ade959e820093c3c5c944492f17ba4902f7a57612979d23ad267ebbd966c22,
     (4242).to_bytes(32, "big"), 0x400cef839768766bf9a88557612159f42bfc2d855a378c8e8faa8c35fe287d2),
    (AssetKind.MINTABLE_ERC1155, 10, 0x246250f2af0ec3fbb5779af7915c633712fecbdfee604e5f786b4f5cfc787ca, b"",
     0x6004af88e593b678dd21bf30575ae3ff7cacd25c2351d8b94b1901548e96b75),
    (AssetKind.MINTABLE_ERC1155, 10, 0x246250f2af0ec3fbb5779af7915c633712fecbdfee604e5f786b4f5cfc787ca,
     (4242).to_bytes(32, "big"), 0x60068d28034596e2dcb2437da9c37bc657bbac1134f89c7fbcc3c0d76f140a3),
]


def test_asset_types_and_ids_match_the_python_derivation(spot):
    """Every kind: the contract's asset type and asset ids equal offchain.spot.assets' (the one
    Python definition, docs/spot/program-output.md)."""
    c = spot.contract
    for kind, (type_, token) in spot.assets.items():
        address = token.address if token else None
        quantum = c.getQuantum(type_)
        info = asset_info(kind, address)
        assert c.getAssetInfo(type_) == info, kind
        assert c.calculateAssetType(info, quantum) == type_ == asset_type(kind, quantum, address)
        if kind in (AssetKind.ETH, AssetKind.ERC20):
            assert asset_id(kind, quantum, address) == type_
    for kind in (AssetKind.ERC721, AssetKind.ERC1155):
        type_, token = spot.assets[kind]
        for token_id in (0, 1, 2**256 - 1):
            assert c.calculateAssetIdWithTokenId(type_, token_id) == asset_id(
                kind, c.getQuantum(type_), token.address, token_id=token_id)
    for kind in MINTABLE:
        type_, token = spot.assets[kind]
        for minting_blob in (b"", b"\x01", blob(7), bytes(range(100))):
            got = c.calculateMintableAssetId(type_, minting_blob)
            assert got == asset_id(kind, c.getQuantum(type_), token.address, minting_blob=minting_blob)
            assert got >> 248 == MINTABLE_TOP_BITS[kind]
    for kind, quantum, type_, which, expected in STARKEX_VECTORS:
        assert asset_type(kind, quantum, "0x" + "ab".rjust(40, "0")) == type_
        key = "minting_blob" if kind in MINTABLE else "token_id"
        assert asset_id(kind, quantum, "0x" + "ab".rjust(40, "0"), **{key: which}) == expected, kind
    with ape.reverts(c.AssetKindMismatch):
        c.calculateAssetIdWithTokenId(spot.assets[AssetKind.ERC20][0], 1)
    with ape.reverts(c.AssetKindMismatch):
        c.calculateMintableAssetId(spot.assets[AssetKind.ERC721][0], b"")


def test_only_a_token_admin_registers(spot, outsider, token_admin, governor, project):
    c = spot.contract
    token = governor.deploy(project.MintableERC20)
    with ape.reverts(c.NotTokenAdmin):
        c.registerToken(asset_info(AssetKind.ERC20, token.address), 1, sender=outsider)
    with ape.reverts(c.NotGovernor):
        c.registerTokenAdmin(outsider, sender=outsider)
    nft = governor.deploy(project.TestERC721)
    with ape.reverts(c.InvalidQuantum):
        c.registerToken(asset_info(AssetKind.ERC721, nft.address), 2, sender=token_admin)
    with ape.reverts(c.InvalidAssetInfo):
        c.registerToken(asset_info(AssetKind.ERC721, outsider.address), 1, sender=token_admin)
    receipt = c.registerToken(asset_info(AssetKind.ERC20, token.address), 5, sender=token_admin)
    assert receipt.events[0].assetType == asset_type(AssetKind.ERC20, 5, token.address)
    c.unregisterTokenAdmin(token_admin, sender=governor)
    with ape.reverts(c.NotTokenAdmin):
        c.registerToken(asset_info(AssetKind.ERC20, token.address), 6, sender=token_admin)


def test_eth_and_erc20_deposit_trade_withdraw(spot, alice, alice_key):
    c = spot.contract
    eth, _ = spot.assets[AssetKind.ETH]
    erc20, token = spot.assets[AssetKind.ERC20]
    token.mint(alice, 10**9, sender=alice)
    token.approve(c, 10**9, sender=alice)
    c.deposit(alice_key, eth, 1, 5, value=5 * ETH_QUANTUM, sender=alice)
    c.deposit(alice_key, erc20, 2, 70, sender=alice)
    with ape.reverts(c.AssetKindMismatch):
        c.deposit(alice_key, spot.assets[AssetKind.ERC721][0], 3, 1, sender=alice)
    spot.submit(spot.batch([Mod(alice_key, eth, 1, 5), Mod(alice_key, erc20, 2, 70)],
                           {1: (alice_key, eth, 5), 2: (alice_key, erc20, 70)}))
    assert c.getPendingDeposit(alice_key, eth, 1) == 0 and c.getPendingDeposit(alice_key, erc20, 2) == 0
    spot.submit(spot.batch([Mod(alice_key, eth, 1, -2), Mod(alice_key, erc20, 2, -30)],
                           {1: (alice_key, eth, 3), 2: (alice_key, erc20, 40)}))
    before = alice.balance
    receipt = c.withdraw(alice_key, eth, sender=alice)
    assert alice.balance == before + 2 * ETH_QUANTUM - receipt.total_fees_paid
    c.withdraw(alice_key, erc20, sender=alice)
    assert token.balanceOf(alice) == 10**9 - 40 * ERC20_QUANTUM


@pytest.mark.parametrize("kind", [AssetKind.ERC721, AssetKind.ERC1155])
def test_token_id_deposit_and_withdrawal(spot, alice, bob, alice_key, bob_key, kind):
    """Alice deposits an ERC-721 token (or 3 units of an ERC-1155 id), a batch moves it to Bob's
    vault (as a settlement would), and Bob withdraws it."""
    c = spot.contract
    type_, token = spot.assets[kind]
    token_id, amount = 77, 1 if kind is AssetKind.ERC721 else 3
    if kind is AssetKind.ERC721:
        token.mint(alice, token_id, sender=alice)
    else:
        token.mint(alice, token_id, amount * ERC1155_QUANTUM, sender=alice)
    token.setApprovalForAll(c, True, sender=alice)
    asset = token_id_asset(spot, kind, token_id)
    receipt = c.depositWithTokenId(alice_key, type_, token_id, 4, amount, sender=alice)
    assert receipt.events[0].assetId == asset
    assert c.getPendingDeposit(alice_key, asset, 4) == amount
    if kind is AssetKind.ERC721:
        with ape.reverts(c.InvalidNftAmount):
            c.depositWithTokenId(alice_key, type_, token_id + 1, 4, 2, sender=alice)
    spot.submit(spot.batch([Mod(alice_key, asset, 4, amount)], {4: (alice_key, asset, amount)}))
    spot.submit(spot.batch([Mod(alice_key, asset, 4, -amount), Mod(bob_key, asset, 9, 0)], {4: (0, 0, 0)}))
    with ape.reverts(c.NothingToWithdrawWithTokenId):
        c.withdrawWithTokenId(bob_key, type_, token_id, sender=bob)
    c.withdrawWithTokenId(alice_key, type_, token_id, sender=bob)
    if kind is AssetKind.ERC721:
        assert token.ownerOf(token_id) == alice.address
    else:
        assert token.balanceOf(alice, token_id) == amount * ERC1155_QUANTUM
        assert token.balanceOf(c, token_id) == 0


@pytest.mark.parametrize("kind", MINTABLE)
def test_withdraw_and_mint(spot, alice, alice_key, kind):
    c = spot.contract
    type_, token = spot.assets[kind]
    minting_blob = blob(4242)
    asset = minted_asset(spot, kind, minting_blob)
    amount = 1 if kind is AssetKind.MINTABLE_ERC721 else 6
    with ape.reverts(c.AssetKindMismatch):
        c.deposit(alice_key, type_, 1, 1, sender=alice)
    spot.submit(spot.batch([Mod(alice_key, asset, 5, -amount)]))
    assert c.getWithdrawalBalance(alice_key, asset) == amount
    with ape.reverts(c.NothingToWithdrawWithTokenId):
        c.withdrawAndMint(alice_key, type_, blob(4243), sender=alice)
    c.withdrawAndMint(alice_key, type_, minting_blob, sender=alice)
    assert c.getWithdrawalBalance(alice_key, asset) == 0
    if kind is AssetKind.MINTABLE_ERC721:
        assert token.ownerOf(4242) == alice.address
    elif kind is AssetKind.MINTABLE_ERC1155:
        assert token.balanceOf(alice, 4242) == amount * ERC1155_QUANTUM
    else:
        assert token.balanceOf(alice) == amount * ERC20_QUANTUM


def test_minting_only_by_the_exchange(spot, alice):
    token = spot.assets[AssetKind.MINTABLE_ERC20][1]
    with ape.reverts(token.NotMinter):
        token.mintFor(alice, 1, b"", sender=alice)


@pytest.mark.parametrize("kind", [AssetKind.ETH, AssetKind.ERC721, AssetKind.ERC1155])
def test_deposit_cancel_and_reclaim(spot, chain, alice, alice_key, kind):
    c = spot.contract
    type_, token = spot.assets[kind]
    if kind is AssetKind.ETH:
        c.deposit(alice_key, type_, 6, 2, value=2 * ETH_QUANTUM, sender=alice)
        asset = type_
    else:
        if kind is AssetKind.ERC721:
            token.mint(alice, 5, sender=alice)
        else:
            token.mint(alice, 5, 20, sender=alice)
        token.setApprovalForAll(c, True, sender=alice)
        amount = 1 if kind is AssetKind.ERC721 else 2
        c.depositWithTokenId(alice_key, type_, 5, 6, amount, sender=alice)
        asset = token_id_asset(spot, kind, 5)
    cancel = c.depositCancel(alice_key, asset, 6, sender=alice)
    with ape.reverts(c.DepositReclaimTooEarly):
        (c.depositReclaim(alice_key, asset, 6, sender=alice) if kind is AssetKind.ETH
         else c.depositWithTokenIdReclaim(alice_key, type_, 5, 6, sender=alice))
    chain.pending_timestamp = cancel.timestamp + TWO_DAYS
    if kind is AssetKind.ETH:
        c.depositReclaim(alice_key, asset, 6, sender=alice)
    else:
        # The fungible path knows no token id: the asset id is no registered type.
        with ape.reverts(c.AssetNotRegistered):
            c.depositReclaim(alice_key, asset, 6, sender=alice)
        c.depositWithTokenIdReclaim(alice_key, type_, 5, 6, sender=alice)
        if kind is AssetKind.ERC721:
            assert token.ownerOf(5) == alice.address
        else:
            assert token.balanceOf(alice, 5) == 20
    assert c.getPendingDeposit(alice_key, asset, 6) == 0


def test_erc1155_pushed_directly_is_refused(spot, alice):
    token = spot.assets[AssetKind.ERC1155][1]
    token.mint(alice, 1, 10, sender=alice)
    with ape.reverts():
        token.safeTransferFrom(alice, spot.contract, 1, 10, b"", sender=alice)


def test_full_withdrawal_served_by_a_batch(spot, alice, alice_key, outsider, chain):
    c = spot.contract
    eth = spot.assets[AssetKind.ETH][0]
    c.deposit(alice_key, eth, 3, 4, value=4 * ETH_QUANTUM, sender=alice)
    spot.submit(spot.batch([Mod(alice_key, eth, 3, 4)], {3: (alice_key, eth, 4)}))
    request = c.fullWithdrawalRequest(alice_key, 3, False, sender=alice)
    key = request.events[0].requestKey
    assert key == c.fullWithdrawalKey(alice_key, 3)
    spot.submit(spot.batch([Mod(alice_key, eth, 3, -4, full=True)], {3: (0, 0, 0)}))
    assert c.forcedRequestTime(key) == 0
    chain.pending_timestamp += FREEZE_GRACE_PERIOD + 10
    with ape.reverts(c.ForcedRequestNotFound):
        c.freezeRequest(key, sender=outsider)
    c.withdraw(alice_key, eth, sender=alice)


def test_censored_full_withdrawal_freezes_and_the_vault_escapes(spot, alice, bob, alice_key, bob_key, outsider,
                                                                chain):
    """The operator ignores Alice's full withdrawal: after the grace period anyone freezes the
    exchange, and each vault leaves with exactly its balance in the last accepted root."""
    c = spot.contract
    erc1155_type, token = spot.assets[AssetKind.ERC1155]
    token.mint(bob, 8, 50 * ERC1155_QUANTUM, sender=bob)
    token.setApprovalForAll(c, True, sender=bob)
    c.depositWithTokenId(bob_key, erc1155_type, 8, 12, 50, sender=bob)
    asset = token_id_asset(spot, AssetKind.ERC1155, 8)
    # A trade moved 20 of Bob's units to Alice's vault 13.
    spot.submit(spot.batch([Mod(bob_key, asset, 12, 50)], {12: (bob_key, asset, 30), 13: (alice_key, asset, 20)}))
    request = c.fullWithdrawalRequest(alice_key, 13, False, sender=alice)
    with ape.reverts(c.StateNotFrozen):
        c.escape(alice_key, 13, asset, 20, spot.vaults.path(13), sender=outsider)
    chain.pending_timestamp = request.timestamp + FREEZE_GRACE_PERIOD
    with ape.reverts(c.FreezeGracePeriodNotOver):
        c.freezeRequest(request.events[0].requestKey, sender=outsider)
    chain.pending_timestamp = request.timestamp + FREEZE_GRACE_PERIOD + 1
    c.freezeRequest(request.events[0].requestKey, sender=outsider)
    assert c.frozen()
    with ape.reverts(c.StateFrozen):
        spot.submit(spot.batch([]))
    with ape.reverts(c.EscapeProofInvalid):
        c.escape(alice_key, 13, asset, 21, spot.vaults.path(13), sender=outsider)
    with ape.reverts(c.EscapeProofInvalid):
        c.escape(bob_key, 13, asset, 20, spot.vaults.path(13), sender=outsider)
    c.escape(alice_key, 13, asset, 20, spot.vaults.path(13), sender=outsider)
    with ape.reverts(c.VaultAlreadyEscaped):
        c.escape(alice_key, 13, asset, 20, spot.vaults.path(13), sender=outsider)
    c.escape(bob_key, 12, asset, 30, spot.vaults.path(12), sender=outsider)
    c.withdrawWithTokenId(alice_key, erc1155_type, 8, sender=alice)
    c.withdrawWithTokenId(bob_key, erc1155_type, 8, sender=bob)
    assert token.balanceOf(alice, 8) == 20 * ERC1155_QUANTUM
    assert token.balanceOf(bob, 8) == 30 * ERC1155_QUANTUM
    assert token.balanceOf(c, 8) == 0
    chain.pending_timestamp += 366 * 24 * 3600
    with ape.reverts(c.UnfreezeAfterEscape):
        c.unfreeze(sender=spot.governor)


def test_full_withdrawal_request_only_for_a_servable_vault(spot, alice, alice_key, outsider):
    c = spot.contract
    with ape.reverts(c.VaultIdNotInTree):
        c.fullWithdrawalRequest(alice_key, 2**31, False, sender=alice)
    with ape.reverts(c.VaultIdNotInTree):
        c.fullWithdrawalRequest(alice_key, 2**63 + 2**31, False, sender=alice)
    with ape.reverts(c.NotStarkKeyOwner):
        c.fullWithdrawalRequest(alice_key, 1, False, sender=outsider)
    unregistered = stark_key(0xBEEF)
    with ape.reverts(c.NotStarkKeyOwner):
        c.fullWithdrawalRequest(unregistered, 1, False, sender=outsider)
    register_user(c, outsider, 0xBEEF)
    c.fullWithdrawalRequest(unregistered, 2**31 - 1, False, sender=outsider)
    c.fullWithdrawalRequest(unregistered, 2**63 + 2**31 - 1, False, sender=outsider)


def test_what_a_proof_means_changes_only_after_the_freeze_could_win(spot, chain, alice, alice_key, outsider):
    """Governance as Perpetual's (the same core Configuration): a new program hash applies 28
    days after its announcement, while a censored full withdrawal freezes the exchange after 7."""
    c, governor = spot.contract, spot.governor
    announced = c.announceProgramHash(0xBAD, sender=governor)
    request = c.fullWithdrawalRequest(alice_key, 1, False, sender=alice)
    chain.pending_timestamp = announced.timestamp + 27 * 24 * 3600
    with ape.reverts(c.ChangeNotReady):
        c.applyProgramHash(0xBAD, sender=governor)
    c.freezeRequest(request.events[0].requestKey, sender=outsider)
    assert c.frozen()
    chain.pending_timestamp = announced.timestamp + 28 * 24 * 3600
    c.applyProgramHash(0xBAD, sender=governor)
    assert c.programHash() == 0xBAD


def test_rollup_mode_needs_no_committee(project, governor, operator, token_admin, chain, vault_escape_verifier):
    from ..batch_builder import ROLLUP
    from .conftest import Spot, VAULT_HEIGHT, EMPTY_VAULT, spot_init_params
    from ..stark_tree import SparseTree
    from offchain.spot.exchange import deploy_stark_exchange

    registry = governor.deploy(project.LocalDevFactRegistry)
    c = deploy_stark_exchange(project, governor,
                              spot_init_params(governor, vault_escape_verifier, registry, None, mode=ROLLUP))
    c.registerOperator(operator, sender=governor)
    spot = Spot(c, registry, None, governor, operator, chain, SparseTree(VAULT_HEIGHT, empty_leaf=EMPTY_VAULT))
    b = spot.batch()
    spot.prove(b, availability=False)
    spot.submit(b, prove=False)
    assert c.sequenceNumber() == 1 and c.getOrderRoot() == b.final_roots[2]


def test_validium_batch_with_the_committee_signatures(project, governor, operator, chain, vault_escape_verifier,
                                                      accounts):
    """The real Committee as the availability verifier: 3 of 4 members sign the validium root,
    its height, the order root, its height and the sequence number (the same core check as
    Perpetual's)."""
    from offchain.spot.exchange import deploy_stark_exchange

    from ..stark_tree import SparseTree
    from ..test_committee import MEMBERS, sign
    from .conftest import EMPTY_VAULT, PROGRAM_HASH, VAULT_HEIGHT, Spot, spot_init_params
    from offchain.core.facts import fact as batch_fact

    registry = governor.deploy(project.LocalDevFactRegistry)
    committee = governor.deploy(project.Committee, [m.address for m in MEMBERS], 3)
    c = deploy_stark_exchange(project, governor, spot_init_params(governor, vault_escape_verifier, registry, committee))
    c.registerOperator(operator, sender=governor)
    spot = Spot(c, registry, committee, governor, operator, chain, SparseTree(VAULT_HEIGHT, empty_leaf=EMPTY_VAULT))
    b = spot.batch()
    words = b.to_words()
    registry.registerFact(batch_fact(PROGRAM_HASH.to_bytes(32, "big"), words), sender=governor)
    (root, rollup, orders), (height, _, order_height) = b.final_roots, b.heights
    fact = committee.availabilityFact(root, height, orders, order_height, 1)
    with ape.reverts(c.AvailabilityFactNotValid):
        c.updateState(words, spot.app_data(), sender=operator)
    with ape.reverts(committee.NotEnoughSignatures):
        committee.registerAvailabilityFact(root, height, orders, order_height, 1,
                                           b"".join(sign(m, fact) for m in MEMBERS[:2]), sender=accounts[5])
    committee.registerAvailabilityFact(root, height, orders, order_height, 1,
                                       b"".join(sign(m, fact) for m in MEMBERS[:3]), sender=accounts[5])
    spot.submit(b, prove=False)
    assert c.sequenceNumber() == 1


def test_no_code_upgrade_while_frozen(spot, chain, alice, alice_key, outsider):
    """The proxy asks StarkExchange's frozen() (core Freezable): once users froze the exchange,
    its escape hatch cannot be replaced, however long ago the upgrade was announced."""
    c, governor = spot.contract, spot.governor
    implementation = c.proxyImplementation()
    announced = c.proxyAnnounceUpgrade(implementation, b"", sender=governor)
    request = c.fullWithdrawalRequest(alice_key, 1, False, sender=alice)
    chain.pending_timestamp = request.timestamp + FREEZE_GRACE_PERIOD + 1
    c.freezeRequest(request.events[0].requestKey, sender=outsider)
    chain.pending_timestamp = announced.timestamp + 28 * 24 * 3600
    with ape.reverts(c.UpgradeWhileFrozen):
        c.proxyUpgrade(implementation, b"", sender=governor)
