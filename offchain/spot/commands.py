"""`ape run deploy --app spot` and `ape run demo --app spot`: what the scripts do for a Spot exchange
(`ape run operator --app spot` serves a local SpotStack with the operator script's own loop).
`deploy` works on any network, as Perpetual's; the demo deploys its own stack on the local node.
"""
from __future__ import annotations

from pathlib import Path

import click

from offchain.client.api import GatewayClient, RequestRefused
from offchain.core.facts import program_bytecode, program_hash
from offchain.core.gateway.access import Role
from offchain.core.l1.stark import CairoVerifierStack, deploy_cairo_verifier, register_program
from offchain.core.l1.users import register_user
from offchain.crypto import spot_messages
from offchain.crypto.signature import private_to_public_key, sign
from offchain.spot.assets import TokenKind, asset_id
from offchain.spot.exchange import deploy_stark_exchange
from offchain.spot.local import SpotStack, register_token, spot_init_params, spot_program
from offchain.spot.state import GeneralConfig, SpotState

ALICE_KEY, BOB_KEY = 0xA11CE, 0xB0B
ETH_QUANTUM, ERC20_QUANTUM = 10**10, 1000
NFT_ID = 7


def deploy(project, chain, account, operator_address: str | None, stark_registry: str | None) -> object:
    """The STARK fact registry (or the one at stark_registry) with the Spot program registered, and
    a rollup StarkExchange with an empty genesis; the account is governor and token administrator."""
    stark = CairoVerifierStack.at(project, stark_registry) if stark_registry else deploy_cairo_verifier(project, account)
    compiled = spot_program()
    code_hash = register_program(stark.programs, account, program_bytecode(compiled))
    click.echo(f"STARK fact registry at {stark.registry.address}; Spot program 0x{code_hash.hex()} in its store")
    escape_verifier = account.deploy(project.VaultEscapeVerifier)
    genesis = SpotState(GeneralConfig())
    exchange = deploy_stark_exchange(project, account, spot_init_params(account, escape_verifier, [stark.registry.address],
                                                                        program_hash(compiled), genesis))
    exchange.registerOperator(operator_address or account.address, sender=account)
    exchange.registerTokenAdmin(account, sender=account)
    click.echo(f"StarkExchange (proxy) at {exchange.address}; escape verifier {escape_verifier.address}; rollup; "
               f"token administrator and governor {account.address}")
    return exchange


def _signed(h: int, private_key: int) -> dict:
    signature = sign(private_key, h)
    return {"r": hex(signature.r), "s": hex(signature.s)}


def demo(project, chain, accounts, workdir: Path, port: int) -> None:
    """Alice deposits ETH and ERC-20, Bob an ERC-721; Alice buys Bob's NFT for ETH (a settlement of
    two signed orders), pays Bob in ERC-20 (a signed transfer), and all three kinds are withdrawn on
    L1 after the batch is proven and accepted. The ERC-20 and ERC-721 are the project's test tokens."""
    deployer, operator_account, alice, bob = accounts[:4]
    stack = SpotStack.deploy(project, deployer, operator_account, chain, workdir)
    c = stack.exchange
    erc20, nft = deployer.deploy(project.MintableERC20), deployer.deploy(project.TestERC721)
    eth_type = register_token(c, deployer, TokenKind.ETH, None, ETH_QUANTUM)
    erc20_type = register_token(c, deployer, TokenKind.ERC20, erc20.address, ERC20_QUANTUM)
    nft_type = register_token(c, deployer, TokenKind.ERC721, nft.address, 1)
    nft_asset = asset_id(TokenKind.ERC721, 1, nft.address, token_id=NFT_ID)
    alice_key, bob_key = private_to_public_key(ALICE_KEY), private_to_public_key(BOB_KEY)
    register_user(c, alice, ALICE_KEY)
    register_user(c, bob, BOB_KEY)
    erc20.mint(alice, 500 * ERC20_QUANTUM, sender=alice)
    erc20.approve(c, 500 * ERC20_QUANTUM, sender=alice)
    c.deposit(alice_key, eth_type, 1, 100, value=100 * ETH_QUANTUM, sender=alice)
    c.deposit(alice_key, erc20_type, 2, 500, sender=alice)
    nft.mint(bob, NFT_ID, sender=bob)
    nft.setApprovalForAll(c, True, sender=bob)
    c.depositWithTokenId(bob_key, nft_type, NFT_ID, 11, 1, sender=bob)
    click.echo(f"{stack.exchange.address}: Alice deposited 100 quantized ETH (vault 1) and 500 ERC-20 (vault 2), "
               f"Bob the ERC-721 token {NFT_ID} (vault 11), on L1")

    operator = stack.operator()
    operator.serve_gateway(port=port)
    try:
        gateway = GatewayClient(f"http://127.0.0.1:{port}", operator.access.client(Role.APPLICATION).token)
        operator.watcher.poll()
        expiration = chain.pending_timestamp // 3600 + 24
        fields_a = dict(vault_id_sell=1, vault_id_buy=3, amount_sell=40, amount_buy=1, token_sell=eth_type,
                        token_buy=nft_asset, nonce=1, expiration_timestamp=expiration)
        fields_b = dict(vault_id_sell=11, vault_id_buy=12, amount_sell=1, amount_buy=40, token_sell=nft_asset,
                        token_buy=eth_type, nonce=1, expiration_timestamp=expiration)
        orders = [{"public_key": hex(key), **{k: str(v) for k, v in fields.items()},
                   "signature": _signed(spot_messages.limit_order_hash(**fields), private)}
                  for key, private, fields in ((alice_key, ALICE_KEY, fields_a), (bob_key, BOB_KEY, fields_b))]
        transfer_fields = dict(sender_vault_id=2, receiver_vault_id=13, receiver_public_key=bob_key, token=erc20_type,
                               amount=120, nonce=2, expiration_timestamp=expiration, condition=0)
        requests = [
            ("Alice buys Bob's NFT for 40 ETH", {"type": "SETTLEMENT", "party_a_order": orders[0], "party_b_order": orders[1],
                                                 "settlement_info": {"party_a_sold": "40", "party_b_sold": "1"}}),
            ("Alice pays Bob 120 ERC-20", {
                "type": "TRANSFER", "sender_public_key": hex(alice_key), "sender_vault_id": 2,
                "receiver_public_key": hex(bob_key), "receiver_vault_id": 13, "token": hex(erc20_type), "amount": "120",
                "nonce": 2, "expiration_timestamp": expiration,
                "signature": _signed(spot_messages.transfer_hash(**transfer_fields), ALICE_KEY)}),
            ("Alice withdraws the NFT", {"type": "WITHDRAWAL", "vault_id": 3, "stark_key": hex(alice_key),
                                         "token_id": hex(nft_asset), "amount": "1"}),
            ("Bob withdraws 40 ETH", {"type": "WITHDRAWAL", "vault_id": 12, "stark_key": hex(bob_key),
                                      "token_id": hex(eth_type), "amount": "40"}),
            ("Bob withdraws 120 ERC-20", {"type": "WITHDRAWAL", "vault_id": 13, "stark_key": hex(bob_key),
                                          "token_id": hex(erc20_type), "amount": "120"}),
            # Refused on purpose: Alice has 60 ETH left.
            ("Alice withdraws 61 ETH", {"type": "WITHDRAWAL", "vault_id": 1, "stark_key": hex(alice_key),
                                        "token_id": hex(eth_type), "amount": "61"}),
        ]
        for what, tx in requests:
            try:
                tx_id = gateway.first_unused_tx_id()
                gateway.add_transaction(tx_id, tx)
                click.echo(f"{what}: tx {tx_id}")
            except RequestRefused as refused:
                click.echo(f"{what}: refused, {refused.code}: {refused.message}")
        for batch in operator.drain():
            click.echo(f"batch {batch.batch_id}: {batch.status.value}, {batch.data['cairo_steps']} Cairo steps, "
                       f"STARK proof of {batch.data.get('proof_size')} bytes, fact {batch.data['fact']}; "
                       f"updateState gas {batch.data.get('update_state_gas')}")
    finally:
        operator.stop_gateway()
    assert int(c.getValidiumVaultRoot()) == operator.pipeline.executor.state.roots()[0], "L1 root differs"
    c.withdrawWithTokenId(alice_key, nft_type, NFT_ID, sender=alice)
    c.withdraw(bob_key, eth_type, sender=bob)
    c.withdraw(bob_key, erc20_type, sender=bob)
    click.echo(f"on L1: Alice owns the NFT ({nft.ownerOf(NFT_ID) == alice.address}); Bob received "
               f"{40 * ETH_QUANTUM} wei and {erc20.balanceOf(bob) // ERC20_QUANTUM} ERC-20 units")
