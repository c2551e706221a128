"""StarkEx Spot's asset kinds and identifiers, as StarkExchange computes them
(contracts/core/components/Assets.sol, StarkEx's TokenAssetData):

- asset info: a 4-byte selector of the kind, then (every kind but ETH) the token's address as a
  32-byte word; asset type = keccak256(asset_info ‖ quantum) & (2^250 - 1) (offchain.l1.assets);
- asset id: the asset type for ETH and ERC-20; for token id t of an ERC-721 type T
  keccak256("NFT:" ‖ T ‖ t) & (2^250 - 1), of an ERC-1155 the same with "NON_MINTABLE:";
  for a mintable type T and minting blob b: keccak256("MINTABLE:" ‖ T ‖ keccak256(b)) & (2^240 - 1)
  with bit 250 set, bit 249 for ERC-1155 and ERC-20, bit 248 for ERC-20.
"""
from __future__ import annotations

from enum import Enum

from eth_utils import keccak

from offchain.l1.assets import MASK_250, asset_type

MASK_240 = 2**240 - 1
MINTABLE_ASSET_ID_FLAG = 1 << 250
NON_UNIQUE_MINTABLE_ASSET_ID_FLAG = 1 << 249
MINTABLE_ERC20_ASSET_ID_FLAG = 1 << 248


class AssetKind(Enum):
    """Each kind with the signature its selector is taken from."""
    ETH = "ETH()"
    ERC20 = "ERC20Token(address)"
    ERC721 = "ERC721Token(address,uint256)"
    ERC1155 = "ERC1155Token(address,uint256)"
    MINTABLE_ERC20 = "MintableERC20Token(address)"
    MINTABLE_ERC721 = "MintableERC721Token(address,uint256)"
    MINTABLE_ERC1155 = "MintableERC1155Token(address,uint256)"

    @property
    def selector(self) -> bytes:
        return keccak(self.value.encode())[:4]

    @property
    def mintable(self) -> bool:
        return self.name.startswith("MINTABLE_")

    @property
    def with_token_id(self) -> bool:
        return self in (AssetKind.ERC721, AssetKind.ERC1155)


def asset_info(kind: AssetKind, token_address: str | None = None) -> bytes:
    """The registration's asset info; ETH takes no address, every other kind one."""
    if kind is AssetKind.ETH:
        if token_address is not None:
            raise ValueError("ETH's asset info has no token address")
        return kind.selector
    if token_address is None:
        raise ValueError(f"{kind.name}'s asset info needs the token address")
    return kind.selector + bytes(12) + bytes.fromhex(token_address.removeprefix("0x"))


def asset_id_with_token_id(kind: AssetKind, type_: int, token_id: int) -> int:
    """The asset id of token token_id of an ERC-721 or ERC-1155 asset type."""
    prefixes = {AssetKind.ERC721: b"NFT:", AssetKind.ERC1155: b"NON_MINTABLE:"}
    if kind not in prefixes:
        raise ValueError(f"{kind.name} has no token id")
    return int.from_bytes(keccak(prefixes[kind] + type_.to_bytes(32, "big") + token_id.to_bytes(32, "big")),
                          "big") & MASK_250


def mintable_asset_id(kind: AssetKind, type_: int, minting_blob: bytes) -> int:
    """The asset id a mintable asset type mints from minting_blob."""
    if not kind.mintable:
        raise ValueError(f"{kind.name} is not mintable")
    flags = MINTABLE_ASSET_ID_FLAG
    if kind in (AssetKind.MINTABLE_ERC20, AssetKind.MINTABLE_ERC1155):
        flags |= NON_UNIQUE_MINTABLE_ASSET_ID_FLAG
    if kind is AssetKind.MINTABLE_ERC20:
        flags |= MINTABLE_ERC20_ASSET_ID_FLAG
    blob_hash = keccak(minting_blob)
    digest = keccak(b"MINTABLE:" + type_.to_bytes(32, "big") + blob_hash)
    return (int.from_bytes(digest, "big") & MASK_240) | flags


__all__ = ["AssetKind", "asset_info", "asset_type", "asset_id_with_token_id", "mintable_asset_id"]
