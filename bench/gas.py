"""Gas of the exchanges' user and operator calls on a local anvil (deploys everything itself):
StarkPerpetual's, then StarkExchange's (Spot: every asset kind).

Run: python -m bench gas   (or `make bench`). The exchange is deployed as in production: behind
its upgrade proxy, so every call pays the proxy's and the dispatcher's delegate calls. updateState
rows credit N withdrawals to N distinct keys (a fresh storage slot each: the dearest
modification); escape at height 64 is measured with eth_estimateGas, because the node records
every EVM step of mined transactions; its shared state holds 2 funding indices and 2 prices, and
the valued escape's position holds 2 synthetics (one long, one short).
"""
from __future__ import annotations

import sys
from pathlib import Path

import fast_stark_crypto as fsc
from ape import accounts, networks, project
from eth_utils import keccak

from bench import print_table

# The venv has a site-packages `tests` package that shadows the repo's tests/ directory, so
# the contract-test helpers are imported as the package `contracts` from tests/.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from contracts.batch_builder import Modification  # noqa: E402
from contracts.conftest import QUANTUM, SYNTHETIC_ASSET_ID, deploy_exchange  # noqa: E402
from contracts.escape_value import funding_words, packed_assets, price_words  # noqa: E402
from contracts.stark_tree import SparseTree, position_leaf  # noqa: E402
from offchain.core.l1.users import register_user  # noqa: E402
from offchain.perpetual.position import Position, PositionAsset  # noqa: E402
from offchain.perpetual.signing import ForcedTradeRequest, forced_trade_signature  # noqa: E402

WEEK = 7 * 24 * 3600
PRIME = 2**251 + 17 * 2**192 + 1
HEIGHT = 64
ROWS = (
    "registerEthAddress (Stark ECDSA, once per key)",
    "deposit (ETH, first to a position)",
    "updateState, 0 modifications",
    "updateState, 1 modifications",
    "updateState, 10 modifications",
    "updateState, 100 modifications",
    "withdraw (ETH)",
    "forcedWithdrawalRequest",
    "forcedTradeRequest",
    "forcedWithdrawalRequest (premium)",
    "escape, height 64, collateral only (eth_estimateGas)",
    "escape, height 64, 2 synthetics valued (eth_estimateGas)",
    "pedersen hash, dense inputs (tx incl. 21k base)",
    "escape verifier alone, height 64",
)


def _estimate(contract, method: str, args: list, sender) -> int:
    data = getattr(contract, method).encode_input(*args)
    web3 = networks.provider.web3
    return web3.eth.estimate_gas({"from": sender.address, "to": contract.address, "data": data.hex()
                                  if isinstance(data, bytes) else data})


def measure() -> list[tuple[str, int]]:
    governor, operator, alice, bob, outsider = (accounts.test_accounts[i] for i in (0, 1, 2, 3, 9))
    chain = networks.provider.chain_manager
    verifier = governor.deploy(project.EscapeVerifier)
    ex = deploy_exchange(project, governor, operator, chain, verifier, positions_height=HEIGHT)
    c, t = ex.contract, ex.collateral
    alice_key, bob_key = fsc.get_public_key(1), fsc.get_public_key(2)
    gas: dict[str, int] = {}
    gas[ROWS[0]] = register_user(c, alice, 1).gas_used
    register_user(c, bob, 2)

    gas[ROWS[1]] = c.deposit(alice_key, t, 5, 10, value=10 * QUANTUM, sender=alice).gas_used
    c.deposit(bob_key, t, 6, 4, value=4 * QUANTUM, sender=bob)
    # Bob holds a long and a short synthetic, so his escape runs the whole valuation.
    bob_position = Position(public_key=bob_key, collateral_balance=4, assets={
        1: PositionAsset(balance=3, cached_funding_index=10), 2: PositionAsset(balance=-2, cached_funding_index=-5)})
    funding, prices = {1: 17, 2: -9}, {1: 3 * 2**32 + 12_345, 2: 2**31 + 7}
    tree = SparseTree(height=HEIGHT, leaves={5: position_leaf(alice_key, 7, []), 6: bob_position.leaf_hash()})
    for n in (0, 1, 10, 100):
        mods = [Modification(fsc.get_public_key(1000 + i), i, -1) for i in range(n)]
        gas[f"updateState, {n} modifications"] = ex.submit(ex.batch(mods)).gas_used
    ex.submit(ex.batch([Modification(alice_key, 5, 10), Modification(bob_key, 6, 4), Modification(alice_key, 5, -3)],
                       new_state=ex.next_state(positions_root=tree.root(), funding_indices=funding_words(funding),
                                               oracle_prices=price_words(prices))))
    state_words = ex.state.words()
    gas[ROWS[6]] = c.withdraw(alice_key, t, sender=alice).gas_used

    receipt = c.forcedWithdrawalRequest(alice_key, 5, 7, False, sender=alice)
    gas[ROWS[7]] = receipt.gas_used
    trade = ForcedTradeRequest(alice_key, bob_key, 5, 6, t, SYNTHETIC_ASSET_ID, 100, 1, True, 1)
    expiration = chain.pending_timestamp + 3600
    signature = forced_trade_signature(bob.private_key, trade, expiration, c.address, chain.chain_id)
    gas[ROWS[8]] = c.forcedTradeRequest(trade.as_tuple(), expiration, signature, False, sender=alice).gas_used
    gas[ROWS[9]] = c.forcedWithdrawalRequest(alice_key, 5, 1, True, sender=alice).gas_used

    chain.pending_timestamp = receipt.timestamp + WEEK + 1
    c.freezeRequest(receipt.events[0].requestKey, sender=outsider)
    gas[ROWS[10]] = _estimate(c, "escape", [alice_key, 5, 7, [], tree.path(5), state_words], alice)
    gas[ROWS[11]] = _estimate(c, "escape", [bob_key, 6, 4, packed_assets(bob_position), tree.path(6), state_words], bob)
    dense_a, dense_b = (int.from_bytes(keccak(bytes([i])), "big") % PRIME for i in (1, 2))
    gas[ROWS[12]] = _estimate(verifier, "pedersenHash", [dense_a, dense_b], alice)
    gas[ROWS[13]] = _estimate(verifier, "positionsRoot", [5, alice_key, 7, [], tree.path(5)], alice)
    return [(name, gas[name]) for name in ROWS]


SPOT_ROWS = (
    "deposit (ETH, first to a vault)",
    "deposit (ERC-20, first to a vault)",
    "depositWithTokenId (ERC-721)",
    "depositWithTokenId (ERC-1155)",
    "updateState, 0 modifications",
    "updateState, 1 modifications",
    "updateState, 10 modifications",
    "updateState, 100 modifications",
    "withdraw (ETH)",
    "withdraw (ERC-20)",
    "withdrawWithTokenId (ERC-721)",
    "withdrawWithTokenId (ERC-1155)",
    "withdrawAndMint (mintable ERC-721)",
    "withdrawAndMint (mintable ERC-20)",
    "withdrawAndMint (mintable ERC-1155)",
    "fullWithdrawalRequest",
    "escape, validium vault tree height 31 (eth_estimateGas)",
)


def measure_spot() -> list[tuple[str, int]]:
    """StarkExchange (Spot) behind its proxy: the same kinds of calls, every asset kind."""
    from contracts.spot.conftest import Mod, blob, deploy_spot, minted_asset, token_id_asset
    from offchain.spot.assets import TokenKind as AssetKind

    governor, operator, alice, token_admin, outsider = (accounts.test_accounts[i] for i in (0, 1, 2, 4, 9))
    chain = networks.provider.chain_manager
    spot = deploy_spot(project, governor, operator, token_admin, chain, governor.deploy(project.VaultEscapeVerifier))
    c, key = spot.contract, fsc.get_public_key(1)
    register_user(c, alice, 1)
    (eth, _), (erc20, token) = spot.assets[AssetKind.ETH], spot.assets[AssetKind.ERC20]
    (nft_type, nft), (sft_type, sft) = spot.assets[AssetKind.ERC721], spot.assets[AssetKind.ERC1155]
    mint_type = spot.assets[AssetKind.MINTABLE_ERC721][0]
    mint20_type, mint1155_type = spot.assets[AssetKind.MINTABLE_ERC20][0], spot.assets[AssetKind.MINTABLE_ERC1155][0]
    token.mint(alice, 10**9, sender=alice)
    token.approve(c, 10**9, sender=alice)
    nft.mint(alice, 1, sender=alice)
    sft.mint(alice, 2, 1000, sender=alice)
    nft.setApprovalForAll(c, True, sender=alice)
    sft.setApprovalForAll(c, True, sender=alice)
    nft_asset, sft_asset = token_id_asset(spot, AssetKind.ERC721, 1), token_id_asset(spot, AssetKind.ERC1155, 2)
    minted = minted_asset(spot, AssetKind.MINTABLE_ERC721, blob(3))
    minted20, minted1155 = (minted_asset(spot, kind, blob(4)) for kind in (AssetKind.MINTABLE_ERC20,
                                                                           AssetKind.MINTABLE_ERC1155))
    gas: dict[str, int] = {}
    gas[SPOT_ROWS[0]] = c.deposit(key, eth, 1, 10, value=10 * 10**10, sender=alice).gas_used
    gas[SPOT_ROWS[1]] = c.deposit(key, erc20, 2, 10, sender=alice).gas_used
    gas[SPOT_ROWS[2]] = c.depositWithTokenId(key, nft_type, 1, 3, 1, sender=alice).gas_used
    gas[SPOT_ROWS[3]] = c.depositWithTokenId(key, sft_type, 2, 4, 10, sender=alice).gas_used
    for n in (0, 1, 10, 100):
        mods = [Mod(fsc.get_public_key(1000 + i), eth, i, -1) for i in range(n)]
        gas[f"updateState, {n} modifications"] = spot.submit(spot.batch(mods)).gas_used
    leaves = {1: (key, eth, 7), 2: (key, erc20, 7), 3: (0, 0, 0), 4: (key, sft_asset, 7)}
    spot.submit(spot.batch([Mod(key, eth, 1, 10), Mod(key, erc20, 2, 10), Mod(key, nft_asset, 3, 1),
                            Mod(key, sft_asset, 4, 10), Mod(key, eth, 1, -3), Mod(key, erc20, 2, -3),
                            Mod(key, nft_asset, 3, -1), Mod(key, sft_asset, 4, -3), Mod(key, minted, 5, -1),
                            Mod(key, minted20, 6, -5), Mod(key, minted1155, 7, -5)],
                           leaves))
    gas[SPOT_ROWS[8]] = c.withdraw(key, eth, sender=alice).gas_used
    gas[SPOT_ROWS[9]] = c.withdraw(key, erc20, sender=alice).gas_used
    gas[SPOT_ROWS[10]] = c.withdrawWithTokenId(key, nft_type, 1, sender=alice).gas_used
    gas[SPOT_ROWS[11]] = c.withdrawWithTokenId(key, sft_type, 2, sender=alice).gas_used
    gas[SPOT_ROWS[12]] = c.withdrawAndMint(key, mint_type, blob(3), sender=alice).gas_used
    gas[SPOT_ROWS[13]] = c.withdrawAndMint(key, mint20_type, blob(4), sender=alice).gas_used
    gas[SPOT_ROWS[14]] = c.withdrawAndMint(key, mint1155_type, blob(4), sender=alice).gas_used
    receipt = c.fullWithdrawalRequest(key, 1, False, sender=alice)
    gas[SPOT_ROWS[15]] = receipt.gas_used
    chain.pending_timestamp = receipt.timestamp + WEEK + 1
    c.freezeRequest(receipt.events[0].requestKey, sender=outsider)
    gas[SPOT_ROWS[16]] = _estimate(c, "escape", [key, 1, eth, 7, spot.vaults.path(1)], alice)
    return [(name, gas[name]) for name in SPOT_ROWS]


# The calls both exchanges have: (label, StarkPerpetual's row, StarkExchange's row).
SIDE_BY_SIDE = (
    ("deposit (ETH, first to a position / vault)", ROWS[1], SPOT_ROWS[0]),
    *((f"updateState, {n} modifications", f"updateState, {n} modifications", f"updateState, {n} modifications")
      for n in (0, 1, 10, 100)),
    ("withdraw (ETH)", ROWS[6], SPOT_ROWS[8]),
    ("forced withdrawal / full withdrawal request", ROWS[7], SPOT_ROWS[15]),
    ("escape (eth_estimateGas; trees 64 / 31)", ROWS[10], SPOT_ROWS[16]),
)


def main() -> None:
    with networks.ethereum.local.use_provider("foundry"):
        rows = measure()
        spot_rows = measure_spot()
    print_table("StarkPerpetual call", rows)
    print()
    print_table("StarkExchange (Spot) call", spot_rows)
    print()
    perpetual, spot = dict(rows), dict(spot_rows)
    print(f"{'call':50} {'Perpetual':>12} {'Spot':>12}")
    for label, perpetual_row, spot_row in SIDE_BY_SIDE:
        print(f"{label:50} {perpetual[perpetual_row]:12,} {spot[spot_row]:12,}")


if __name__ == "__main__":
    main()
