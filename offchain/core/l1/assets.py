"""Asset identifiers as the exchange contract computes them (StarkEx's assetType)."""
from __future__ import annotations

from eth_utils import keccak

MASK_250 = 2**250 - 1
ETH_ASSET_INFO = keccak(b"ETH()")[:4]


def erc20_asset_info(token_address: str) -> bytes:
    return keccak(b"ERC20Token(address)")[:4] + bytes(12) + bytes.fromhex(token_address[2:])


def asset_type(asset_info: bytes, quantum: int) -> int:
    return int.from_bytes(keccak(asset_info + quantum.to_bytes(32, "big")), "big") & MASK_250
