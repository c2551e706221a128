"""Spot's operator end to end on the local node, on the shared core: L1 deposits of every token kind
-> watcher -> gateway settlements, transfers and withdrawals -> a batch run by the model and the
Cairo Spot program, proven by this project's STARK prover -> StarkExchange.updateState -> L1
withdrawals paid in every kind, a mintable asset minted. Then a censored full withdrawal: freeze
and the vault's escape with its exact balance. And the gateway's refusals, each naming its rule."""
from __future__ import annotations

import pytest
import rlp
from dev_registry import dev_registry
from eth_abi import encode
from eth_account import Account
from eth_utils import keccak, to_checksum_address
from fastapi.testclient import TestClient

from offchain.core.gateway.access import Role
from offchain.core.l1.committee import AvailabilityClaim, AvailabilityMismatch, CommitteeMember
from offchain.core.l1.users import register_user
from offchain.core.storage import BatchStatus
from offchain.crypto import spot_messages
from offchain.crypto.signature import is_stark_key, private_to_public_key, sign
from offchain.spot.assets import TokenKind, asset_id
from offchain.spot.escape import SpotEscapeClient, replay
from offchain.spot.local import SpotStack, register_token
from offchain.spot.state import Vault

ALICE_PRIVATE, BOB_PRIVATE, FEE_PRIVATE = 0xA11CE, 0xB0B, 0xFEE
ALICE, BOB, FEE = (private_to_public_key(k) for k in (ALICE_PRIVATE, BOB_PRIVATE, FEE_PRIVATE))
ETH_QUANTUM, ERC20_QUANTUM, ERC1155_QUANTUM = 10**10, 1000, 10
NFT_ID, GAME_ID = 7, 5
MINTING_BLOB = encode(["uint256"], [4242])
FREEZE_GRACE_PERIOD = 7 * 24 * 3600
# Vaults (validium ids): Alice's and Bob's, one asset each.
A_ETH, A_ERC20, A_NFT, A_GAME, A_MINT = 1, 2, 3, 4, 5
B_ETH, B_ERC20, B_NFT, B_GAME, FEE_ETH = 11, 12, 13, 14, 20


def create_address(sender: str, nonce: int) -> str:
    """The address of the contract sender's transaction number `nonce` deploys (CREATE)."""
    return to_checksum_address(keccak(rlp.encode([bytes.fromhex(sender[2:]), nonce]))[12:])


class World:
    """A Spot stack (rollup, STARK-proven) with Alice and Bob registered, one token of every kind
    registered by the token administrator, and a genesis allocation of a mintable asset to Alice."""

    def __init__(self, project, accounts, chain, tmp_path, **deploy):
        self.accounts, self.chain = accounts, chain
        self.alice, self.bob = accounts[2], accounts[3]
        deployer, self.issuer = accounts[0], accounts[5]
        self.tokens = {TokenKind.ERC20: deployer.deploy(project.MintableERC20),
                       TokenKind.ERC721: deployer.deploy(project.TestERC721),
                       TokenKind.ERC1155: deployer.deploy(project.TestERC1155)}
        # A mintable token mints only for the exchange, so it is deployed after it; its address
        # (the issuer's next contract) names the asset the genesis allocates to Alice.
        mintable_address = create_address(self.issuer.address, self.issuer.nonce)
        self.minted = asset_id(TokenKind.MINTABLE_ERC20, ERC20_QUANTUM, mintable_address, minting_blob=MINTING_BLOB)
        self.stack = SpotStack.deploy(project, deployer, accounts[1], chain, tmp_path,
                                      genesis_vaults={A_MINT: Vault(ALICE, self.minted, 6)}, **deploy)
        c = self.exchange = self.stack.exchange
        self.tokens[TokenKind.MINTABLE_ERC20] = self.issuer.deploy(project.TestMintableERC20, c.address)
        assert self.tokens[TokenKind.MINTABLE_ERC20].address == mintable_address
        quanta = {TokenKind.ETH: ETH_QUANTUM, TokenKind.ERC20: ERC20_QUANTUM, TokenKind.ERC721: 1,
                  TokenKind.ERC1155: ERC1155_QUANTUM, TokenKind.MINTABLE_ERC20: ERC20_QUANTUM}
        self.types = {kind: register_token(c, deployer, kind, self.tokens[kind].address if kind in self.tokens else None,
                                           quantum) for kind, quantum in quanta.items()}
        self.eth = self.types[TokenKind.ETH]
        self.erc20 = self.types[TokenKind.ERC20]
        self.nft = asset_id(TokenKind.ERC721, 1, self.tokens[TokenKind.ERC721].address, token_id=NFT_ID)
        self.game = asset_id(TokenKind.ERC1155, ERC1155_QUANTUM, self.tokens[TokenKind.ERC1155].address,
                             token_id=GAME_ID)
        register_user(c, self.alice, ALICE_PRIVATE)
        register_user(c, self.bob, BOB_PRIVATE)

    def l1_deposits(self):
        """Alice: 30 ETH-units and 700 ERC-20 units; Bob: the NFT and 9 units of the game token."""
        c, alice, bob = self.exchange, self.alice, self.bob
        erc20, nft, game = (self.tokens[k] for k in (TokenKind.ERC20, TokenKind.ERC721, TokenKind.ERC1155))
        erc20.mint(alice, 700 * ERC20_QUANTUM, sender=alice)
        erc20.approve(c, 700 * ERC20_QUANTUM, sender=alice)
        c.deposit(ALICE, self.eth, A_ETH, 30, value=30 * ETH_QUANTUM, sender=alice)
        c.deposit(ALICE, self.erc20, A_ERC20, 700, sender=alice)
        nft.mint(bob, NFT_ID, sender=bob)
        game.mint(bob, GAME_ID, 9 * ERC1155_QUANTUM, sender=bob)
        nft.setApprovalForAll(c, True, sender=bob)
        game.setApprovalForAll(c, True, sender=bob)
        c.depositWithTokenId(BOB, self.types[TokenKind.ERC721], NFT_ID, B_NFT, 1, sender=bob)
        c.depositWithTokenId(BOB, self.types[TokenKind.ERC1155], GAME_ID, B_GAME, 9, sender=bob)

    def expiration(self) -> int:
        return self.chain.pending_timestamp // 3600 + 24


def order(private, vault_sell, vault_buy, amount_sell, amount_buy, token_sell, token_buy, nonce, expiration, fee=None):
    fields = dict(vault_id_sell=vault_sell, vault_id_buy=vault_buy, amount_sell=amount_sell, amount_buy=amount_buy,
                  token_sell=token_sell, token_buy=token_buy, nonce=nonce, expiration_timestamp=expiration)
    o = {"public_key": hex(private_to_public_key(private)), **{k: str(v) for k, v in fields.items()}}
    if fee is not None:
        o["fee_info"] = {"token_id": hex(fee[0]), "fee_limit": str(fee[1]), "source_vault_id": str(fee[2])}
        h = spot_messages.limit_order_hash(**fields, fee_token_id=fee[0], fee_limit=fee[1], fee_source_vault_id=fee[2])
    else:
        h = spot_messages.limit_order_hash(**fields)
    signature = sign(private, h)
    o["signature"] = {"r": hex(signature.r), "s": hex(signature.s)}
    return o


def transfer(private, sender_vault, receiver, receiver_vault, token, amount, nonce, expiration):
    h = spot_messages.transfer_hash(sender_vault_id=sender_vault, receiver_vault_id=receiver_vault,
                                    receiver_public_key=receiver, token=token, amount=amount, nonce=nonce,
                                    expiration_timestamp=expiration, condition=0)
    signature = sign(private, h)
    return {"type": "TRANSFER", "sender_public_key": hex(private_to_public_key(private)),
            "sender_vault_id": sender_vault, "receiver_public_key": hex(receiver), "receiver_vault_id": receiver_vault,
            "token": hex(token), "amount": str(amount), "nonce": nonce, "expiration_timestamp": expiration,
            "signature": {"r": hex(signature.r), "s": hex(signature.s)}}


def withdrawal(key, vault, token, amount):
    return {"type": "WITHDRAWAL", "vault_id": vault, "stark_key": hex(key), "token_id": hex(token), "amount": str(amount)}


class Gateway:
    def __init__(self, operator):
        self.operator = operator
        self.client = TestClient(operator.app, headers=operator.access.client(Role.APPLICATION).header())

    def post(self, tx: dict):
        tx_id = self.operator.store.first_unused_tx_id()
        return self.client.post("/gateway/add_transaction", json={"tx_id": tx_id, "tx": tx})

    def accept(self, tx: dict):
        response = self.post(tx)
        assert response.status_code == 200, response.json()


@pytest.fixture
def world(project, accounts, chain, tmp_path):
    return World(project, accounts, chain, tmp_path)


def every_kind_batch(w: World) -> list[dict]:
    """A settlement with a fee (Alice's ETH for Bob's NFT), two transfers (game units, ERC-20) and
    a withdrawal from every vault kind, the mintable one included."""
    e = w.expiration()
    alice_order = order(ALICE_PRIVATE, A_ETH, A_NFT, 10, 1, w.eth, w.nft, 1, e, fee=(w.eth, 2, A_ETH))
    bob_order = order(BOB_PRIVATE, B_NFT, B_ETH, 1, 10, w.nft, w.eth, 1, e)
    settlement = {"type": "SETTLEMENT", "party_a_order": alice_order, "party_b_order": bob_order,
                  "settlement_info": {"party_a_sold": "10", "party_b_sold": "1",
                                      "party_a_fee_info": {"fee_taken": "1", "destination_vault_id": FEE_ETH,
                                                           "destination_stark_key": hex(FEE)}}}
    return [
        settlement,
        transfer(BOB_PRIVATE, B_GAME, ALICE, A_GAME, w.game, 4, 2, e),
        transfer(ALICE_PRIVATE, A_ERC20, BOB, B_ERC20, w.erc20, 300, 3, e),
        withdrawal(ALICE, A_ETH, w.eth, 5), withdrawal(ALICE, A_NFT, w.nft, 1), withdrawal(ALICE, A_GAME, w.game, 4),
        withdrawal(ALICE, A_MINT, w.minted, 6), withdrawal(BOB, B_ETH, w.eth, 10), withdrawal(BOB, B_ERC20, w.erc20, 300),
    ]


def test_every_token_kind_deposited_traded_withdrawn_then_censored_full_withdrawal_escapes(world):
    w, c = world, world.exchange
    w.l1_deposits()
    operator = w.stack.operator()
    made = operator.watcher.poll()
    assert [operator.store.get_transaction(t).tx["type"] for t in made] == ["DEPOSIT"] * 4
    gateway = Gateway(operator)
    for tx in every_kind_batch(w):
        gateway.accept(tx)
    accepted = operator.drain()
    assert [b.batch_id for b in accepted] == [0]
    batch = operator.store.get_batch(0)
    assert batch.status is BatchStatus.ACCEPTED and batch.data["cairo_steps"] > 0
    assert batch.data["prover"] != "LocalDevFactRegistry" and batch.data["proof_size"] > 0  # a STARK proof
    state = operator.pipeline.executor.state
    assert int(c.getValidiumVaultRoot()) == state.roots()[0] and int(c.lastBatchId()) == 0
    for key, asset, vault in ((ALICE, w.eth, A_ETH), (ALICE, w.erc20, A_ERC20), (BOB, w.nft, B_NFT),
                              (BOB, w.game, B_GAME)):
        assert c.getPendingDeposit(key, asset, vault) == 0  # consumed exactly once
    assert state.vault(A_ETH) == Vault(ALICE, w.eth, 30 - 10 - 1 - 5) and state.vault(FEE_ETH) == Vault(FEE, w.eth, 1)
    assert state.vault(A_MINT).is_empty and state.vault(B_GAME) == Vault(BOB, w.game, 5)

    # L1 pays every kind out, to the keys' registered addresses.
    alice, bob = w.alice, w.bob
    before = alice.balance
    receipt = c.withdraw(ALICE, w.eth, sender=alice)
    assert alice.balance == before + 5 * ETH_QUANTUM - receipt.total_fees_paid
    c.withdrawWithTokenId(ALICE, w.types[TokenKind.ERC721], NFT_ID, sender=alice)
    assert w.tokens[TokenKind.ERC721].ownerOf(NFT_ID) == alice.address
    c.withdrawWithTokenId(ALICE, w.types[TokenKind.ERC1155], GAME_ID, sender=alice)
    assert w.tokens[TokenKind.ERC1155].balanceOf(alice, GAME_ID) == 4 * ERC1155_QUANTUM
    c.withdrawAndMint(ALICE, w.types[TokenKind.MINTABLE_ERC20], MINTING_BLOB, sender=alice)
    assert w.tokens[TokenKind.MINTABLE_ERC20].balanceOf(alice) == 6 * ERC20_QUANTUM
    c.withdraw(BOB, w.erc20, sender=bob)
    assert w.tokens[TokenKind.ERC20].balanceOf(bob) == 300 * ERC20_QUANTUM
    before = bob.balance
    receipt = c.withdraw(BOB, w.eth, sender=bob)
    assert bob.balance == before + 10 * ETH_QUANTUM - receipt.total_fees_paid

    # Alice asks L1 for her ERC-20 vault; the operator censors it (never reads L1 again). After the
    # grace period anyone freezes the exchange, and her vault escapes with exactly its balance,
    # proven by a client that rebuilt the vaults from the availability gateway's batches.
    request = c.fullWithdrawalRequest(ALICE, A_ERC20, False, sender=alice)
    w.chain.pending_timestamp = request.timestamp + FREEZE_GRACE_PERIOD + 1
    c.freezeRequest(request.events[0].requestKey, sender=w.accounts[9])
    assert c.frozen()
    data = [gateway.client.get(f"/availability_gateway/get_batch_data?batch_id={i}").json() for i in range(1)]
    client = SpotEscapeClient(c, replay(w.stack.genesis, data))
    assert client.arguments(A_ERC20).quantized_amount == 400
    client.escape(A_ERC20, sender=w.accounts[9])
    client.escape(B_GAME, sender=w.accounts[9])
    c.withdraw(ALICE, w.erc20, sender=alice)
    assert w.tokens[TokenKind.ERC20].balanceOf(alice) == 400 * ERC20_QUANTUM  # 700 deposited, 300 sent to Bob
    c.withdrawWithTokenId(BOB, w.types[TokenKind.ERC1155], GAME_ID, sender=bob)
    assert w.tokens[TokenKind.ERC1155].balanceOf(bob, GAME_ID) == 5 * ERC1155_QUANTUM
    assert w.tokens[TokenKind.ERC1155].balanceOf(c, GAME_ID) == 0


@pytest.fixture
def model_world(project, accounts, chain, tmp_path):
    """The same world, its batches executed by the model alone (no Cairo run, so a development
    registry stands in for the proof): for the watcher's and the gateway's rules."""
    return World(project, accounts, chain, tmp_path, run_cairo=False, **dev_registry(project, accounts[0]))


def test_full_withdrawal_requests_are_served_as_full_or_false(model_world):
    """The watcher serves every L1 full withdrawal request: Alice's own vault as FULL_WITHDRAWAL
    (her whole balance credited), Bob's request for Alice's vault as FALSE_FULL_WITHDRAWAL; and
    acknowledges no deposit a batch could not take."""
    w, c = model_world, model_world.exchange
    w.l1_deposits()
    operator = w.stack.operator()
    operator.drain()
    c.fullWithdrawalRequest(ALICE, A_ETH, False, sender=w.alice)
    c.fullWithdrawalRequest(BOB, A_ERC20, False, sender=w.bob)
    # Bob deposits into Alice's ERC-20 vault: no batch could take it (another key's vault), so it
    # is never acknowledged, and stays pending on L1 for Bob to cancel and reclaim.
    c.deposit(BOB, w.eth, A_ERC20, 3, value=3 * ETH_QUANTUM, sender=w.bob)
    made = operator.watcher.poll()
    assert c.getPendingDeposit(BOB, w.eth, A_ERC20) == 3
    served = [operator.store.get_transaction(t).tx for t in made]
    assert served == [{"type": "FULL_WITHDRAWAL", "vault_id": A_ETH, "stark_key": ALICE},
                      {"type": "FALSE_FULL_WITHDRAWAL", "vault_id": A_ERC20, "requester_stark_key": BOB}]
    # The feeder lists both with their freeze countdowns until a batch serves them.
    forced = Gateway(operator).client.get("/feeder_gateway/get_forced_requests").json()
    assert [(r["type"], r["seconds_left"] > 0) for r in forced["forced_requests"]] == [
        ("FULL_WITHDRAWAL", True), ("FALSE_FULL_WITHDRAWAL", True)], forced
    operator.drain()
    assert Gateway(operator).client.get("/feeder_gateway/get_forced_requests").json()["forced_requests"] == []
    assert int(c.lastBatchId()) == 1
    assert c.getWithdrawalBalance(ALICE, w.eth) == 30 and c.getWithdrawalBalance(BOB, w.erc20) == 0
    for key, vault in ((ALICE, A_ETH), (BOB, A_ERC20)):
        assert c.forcedRequestTime(c.fullWithdrawalKey(key, vault)) == 0  # served: nothing to freeze with
    assert operator.pipeline.executor.state.vault(A_ERC20) == Vault(ALICE, w.erc20, 700)


def test_gateway_refusals_name_the_rule(model_world):
    """What a client sends wrong is a 4xx naming the rule, with the numbers; never a 500."""
    w = model_world
    w.l1_deposits()
    operator = w.stack.operator()
    operator.watcher.poll()
    gateway = Gateway(operator)
    e = w.expiration()

    def refused(tx, status, code, *words, client=None):
        tx_id = operator.store.first_unused_tx_id()
        response = (client or gateway.client).post("/gateway/add_transaction", json={"tx_id": tx_id, "tx": tx})
        body = response.json()
        assert (response.status_code, body["code"]) == (status, code), body
        for word in words:
            assert word in body["message"], body
        assert operator.store.first_unused_tx_id() == tx_id  # nothing acknowledged

    # Overdraft: Alice has 700 ERC-20 units.
    refused(transfer(ALICE_PRIVATE, A_ERC20, BOB, B_ERC20, w.erc20, 701, 1, e), 400, "BALANCE_BOUND", "700", "-701")
    # A signature by someone else's key.
    forged = transfer(BOB_PRIVATE, A_ERC20, BOB, B_ERC20, w.erc20, 5, 1, e)
    forged["sender_public_key"] = hex(ALICE)
    refused(forged, 400, "SIGNATURE")
    # Bob's order selling Alice's vault.
    refused({"type": "SETTLEMENT", "party_a_order": order(BOB_PRIVATE, A_ETH, B_NFT, 1, 1, w.eth, w.nft, 1, e),
             "party_b_order": order(BOB_PRIVATE, B_NFT, A_ETH, 1, 1, w.nft, w.eth, 2, e),
             "settlement_info": {"party_a_sold": 1, "party_b_sold": 1}}, 400, "VAULT_OWNER")
    # A worse price than signed: Bob asked 10 ETH for his NFT.
    refused({"type": "SETTLEMENT", "party_a_order": order(ALICE_PRIVATE, A_ETH, A_NFT, 9, 1, w.eth, w.nft, 1, e),
             "party_b_order": order(BOB_PRIVATE, B_NFT, B_ETH, 1, 10, w.nft, w.eth, 1, e),
             "settlement_info": {"party_a_sold": 9, "party_b_sold": 1}}, 400, "ORDER_RATIO")
    # Expiring before the operator can land it.
    hour = w.chain.pending_timestamp // 3600
    refused(transfer(ALICE_PRIVATE, A_ERC20, BOB, B_ERC20, w.erc20, 5, 1, hour + 1), 400, "EXPIRED", str(hour + 1))
    # Forms: a float amount, a key off the curve, an unknown field, a fee taken without a signed fee.
    refused({**withdrawal(ALICE, A_ETH, w.eth, 1), "amount": 1.5}, 400, "MALFORMED_TRANSACTION", "amount")
    assert not is_stark_key(5)
    refused({**withdrawal(ALICE, A_ETH, w.eth, 1), "stark_key": "0x5"}, 400, "INVALID_PUBLIC_KEY")
    refused({**withdrawal(ALICE, A_ETH, w.eth, 1), "condition": 5}, 400, "MALFORMED_TRANSACTION", "condition")
    refused({**transfer(ALICE_PRIVATE, A_ERC20, BOB, B_ERC20, w.erc20, 5, 1, e),
             "fee_info_exchange": {"fee_taken": 1, "destination_vault_id": FEE_ETH, "destination_stark_key": hex(FEE)}},
            400, "FEE_INFO")
    # Who: L1-made types from a client; a user door may not withdraw for a user.
    refused({"type": "DEPOSIT", "vault_id": A_ETH, "stark_key": hex(ALICE), "token_id": hex(w.eth), "amount": 1},
            403, "FORBIDDEN_TRANSACTION_TYPE", "L1 watcher")
    refused({"type": "FULL_WITHDRAWAL", "vault_id": A_ETH, "stark_key": hex(ALICE)}, 403, "FORBIDDEN_TRANSACTION_TYPE")
    door = TestClient(operator.app, headers=operator.access.client(Role.USER_DOOR).header())
    refused(withdrawal(ALICE, A_ETH, w.eth, 1), 403, "FORBIDDEN_TRANSACTION_TYPE", "application", client=door)
    # A transfer replayed: acknowledged once, refused the second time.
    once = transfer(ALICE_PRIVATE, A_ERC20, BOB, B_ERC20, w.erc20, 5, 9, e)
    gateway.accept(once)
    refused(once, 400, "TRANSFER_REPLAY")
    # Perpetual's types are not Spot's.
    refused({"type": "TRADE"}, 400, "MALFORMED_TRANSACTION")


def test_a_restarted_operator_resumes_the_same_state(model_world):
    """An operator built again over the same store (what a crash leaves) rebuilds the executor's
    state from the accepted batches (each with its recorded expiration bound) and the intake's from
    every acknowledged transaction, and goes on: nothing lost, nothing applied twice."""
    w, c = model_world, model_world.exchange
    w.l1_deposits()
    first = w.stack.operator()
    first.watcher.poll()
    gateway = Gateway(first)
    e = w.expiration()
    gateway.accept(transfer(ALICE_PRIVATE, A_ERC20, BOB, B_ERC20, w.erc20, 50, 1, e))
    first.drain()
    gateway.accept(transfer(ALICE_PRIVATE, A_ERC20, BOB, B_ERC20, w.erc20, 25, 2, e))  # acknowledged, not batched
    restarted = w.stack.operator()
    restarted.pipeline.step(force_close=False)  # restores the executor from the store
    assert restarted.intake.state.vault(B_ERC20) == Vault(BOB, w.erc20, 75)
    assert restarted.watcher.poll() == []  # the deposits were made once
    restarted.drain()
    assert int(c.lastBatchId()) == 1
    assert restarted.pipeline.executor.state.vaults == restarted.intake.state.vaults
    assert restarted.pipeline.executor.state.vault(A_ERC20) == Vault(ALICE, w.erc20, 625)
    assert int(c.getValidiumVaultRoot()) == restarted.pipeline.executor.state.roots()[0]
    # The replayed transfer is refused as a replay, not applied again.
    response = Gateway(restarted).post(transfer(ALICE_PRIVATE, A_ERC20, BOB, B_ERC20, w.erc20, 25, 2, e))
    assert (response.status_code, response.json()["code"]) == (400, "TRANSFER_REPLAY")


MEMBER_KEYS = ["0x" + f"{0x5B07C0DE + i:064x}" for i in (1, 2, 3)]


def test_validium_batch_waits_for_the_committee_then_is_accepted(project, accounts, chain, tmp_path):
    """A Spot validium: a Committee (2 of 3) must vouch for the validium vault root and the order
    root of each batch. Members replay the availability gateway's batch with Spot's model and sign
    only the roots they rebuilt; short of a quorum the batch waits, durable."""
    committee = accounts[0].deploy(project.Committee, [Account.from_key(k).address for k in MEMBER_KEYS], 2)
    w = World(project, accounts, chain, tmp_path, run_cairo=False, committee=committee,
              **dev_registry(project, accounts[0]))
    c = w.exchange
    w.l1_deposits()
    operator = w.stack.operator()
    operator.watcher.poll()
    gateway = Gateway(operator)
    gateway.accept(transfer(ALICE_PRIVATE, A_ERC20, BOB, B_ERC20, w.erc20, 50, 1, w.expiration()))
    assert operator.drain() == []  # proved, waiting for the committee
    assert operator.store.get_batch(0).status is BatchStatus.PROVED
    members = [CommitteeMember(key, w.stack.genesis, gateway.client, w.stack.application) for key in MEMBER_KEYS]
    assert members[1].review_next()
    assert operator.drain() == []  # 1 of 2
    assert members[2].review_next()
    assert [b.batch_id for b in operator.drain()] == [0]
    claim = AvailabilityClaim.of_batch(operator.store.get_batch(0), w.stack.application)
    assert committee.isValid(claim.fact()) and int(c.lastBatchId()) == 0
    assert claim.positions_root == int(c.getValidiumVaultRoot()) == members[1].state.roots()[0]
    # A member whose replay gives other roots (its genesis forked) refuses to sign.
    forked = w.stack.genesis.copy()
    forked.set_vault(99, Vault(BOB, w.eth, 1))
    with pytest.raises(AvailabilityMismatch):
        CommitteeMember(MEMBER_KEYS[0], forked, gateway.client, w.stack.application).review_next()


def test_a_transfer_that_expired_while_the_operator_was_down_is_replaced(model_world):
    """Acknowledged with just the admission margin, then the operator is down past it: the batch
    stops before the transfer, which is marked for replacement (EXPIRED) with the withdrawal that
    needed its funds; the application's alternative, signed again, goes through."""
    w, c = model_world, model_world.exchange
    w.l1_deposits()
    operator = w.stack.operator()
    operator.watcher.poll()  # txs 0..3: the deposits
    gateway = Gateway(operator)
    hour = w.chain.pending_timestamp // 3600
    gateway.accept(transfer(ALICE_PRIVATE, A_ERC20, BOB, B_ERC20, w.erc20, 50, 1, hour + 2))  # just admissible
    gateway.accept(withdrawal(BOB, B_ERC20, w.erc20, 50))
    w.chain.mine(1, deltatime=2 * 3600)
    accepted = operator.drain()
    assert [b.tx_ids for b in accepted] == [range(0, 4)]
    status = gateway.client.get("/gateway/get_transaction", params={"tx_id": 4}).json()
    assert status["status"] == "REPLACEMENT_REQUESTED" and "EXPIRED" in status["replacement_reason"], status
    assert gateway.client.get("/gateway/get_transaction", params={"tx_id": 5}).json()["status"] == "REPLACEMENT_REQUESTED"
    again = transfer(ALICE_PRIVATE, A_ERC20, BOB, B_ERC20, w.erc20, 50, 2, w.expiration())
    for tx_id, alternatives in ((4, [again]), (5, [withdrawal(BOB, B_ERC20, w.erc20, 50)])):
        response = gateway.client.post("/gateway/add_alternative_transactions",
                                       json={"tx_id": tx_id, "alternative_txs": alternatives})
        assert response.status_code == 200, response.json()
    operator.drain()
    assert int(c.lastBatchId()) == 1 and c.getWithdrawalBalance(BOB, w.erc20) == 50
