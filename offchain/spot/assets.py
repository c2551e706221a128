"""StarkEx asset types and asset ids, for every token kind, and quantization.

The one Python definition (docs/spot/program-output.md, *Asset ids*); the StarkExchange contract
derives the same on L1 (starkex-contracts `components/TokenAssetData.sol`): asset info is a
4-byte selector then the token address as a 32-byte word; asset type = keccak256(asset info ‖
quantum) masked to 250 bits; an NFT's id hashes in its token id, a mintable asset's the keccak of
its minting blob, masked to 240 bits under flag bits that tell the mintable kinds apart (bits 250,
249, 248 = 100 for ERC-721, 110 for ERC-1155, 111 for ERC-20: starkex-contracts
`interactions/TokenAssetData.sol` calculateMintableAssetId and `libraries/LibConstants.sol`).
"""
from __future__ import annotations

from enum import Enum

from eth_utils import keccak

MASK_250 = 2**250 - 1
MASK_240 = 2**240 - 1
MINTABLE_ASSET_ID_FLAG = 2**250  # every mintable asset id
NON_UNIQUE_MINTABLE_ASSET_ID_FLAG = 2**249  # mintable ERC-1155 and ERC-20: more than one unit per id
MINTABLE_ERC20_ASSET_ID_FLAG = 2**248
QUANTUM_BOUND = 2**128


class TokenKind(Enum):
    ETH = "ETH()"
    ERC20 = "ERC20Token(address)"
    ERC721 = "ERC721Token(address,uint256)"
    ERC1155 = "ERC1155Token(address,uint256)"
    MINTABLE_ERC20 = "MintableERC20Token(address)"
    MINTABLE_ERC721 = "MintableERC721Token(address,uint256)"
    MINTABLE_ERC1155 = "MintableERC1155Token(address,uint256)"

    @property
    def selector(self) -> bytes:
        return keccak(text=self.value)[:4]

    @property
    def is_mintable(self) -> bool:
        return self.name.startswith("MINTABLE_")

    @property
    def is_nft(self) -> bool:
        """ERC-721 ids carry a token id (a unit of quantum 1)."""
        return self in (TokenKind.ERC721, TokenKind.MINTABLE_ERC721)


def _word(x: int) -> bytes:
    if not 0 <= x < 2**256:
        raise ValueError(f"{x} does not fit in a 32-byte word")
    return x.to_bytes(32, "big")


def _address(token_address: str | bytes | int) -> int:
    if isinstance(token_address, str):
        token_address = bytes.fromhex(token_address.removeprefix("0x"))
    if isinstance(token_address, bytes):
        if len(token_address) != 20:
            raise ValueError("a token address is 20 bytes")
        token_address = int.from_bytes(token_address, "big")
    if not 0 <= token_address < 2**160:
        raise ValueError("a token address is 20 bytes")
    return token_address


def asset_info(kind: TokenKind, token_address: str | bytes | int | None = None) -> bytes:
    if kind is TokenKind.ETH:
        if token_address is not None:
            raise ValueError("ETH has no token address")
        return kind.selector
    if token_address is None:
        raise ValueError(f"{kind.name} needs a token address")
    return kind.selector + _word(_address(token_address))


def asset_type(kind: TokenKind, quantum: int, token_address: str | bytes | int | None = None) -> int:
    if not 0 < quantum < QUANTUM_BOUND:
        raise ValueError(f"quantum {quantum} outside (0, 2^128)")
    if kind.is_nft and quantum != 1:
        raise ValueError("an ERC-721 asset has quantum 1")
    digest = keccak(asset_info(kind, token_address) + _word(quantum))
    return int.from_bytes(digest, "big") & MASK_250


def asset_id(
    kind: TokenKind, quantum: int = 1, token_address: str | bytes | int | None = None, *,
    token_id: int | None = None, minting_blob: bytes | None = None,
) -> int:
    """The asset id a vault holds: ETH and ERC-20 ids are their type; ERC-721 and ERC-1155 need a
    token id; mintable kinds need the minting blob (its keccak is hashed in)."""
    type_ = asset_type(kind, quantum, token_address)
    if kind.is_mintable:
        if minting_blob is None or token_id is not None:
            raise ValueError(f"{kind.name} is identified by its minting blob")
        digest = keccak(b"MINTABLE:" + _word(type_) + keccak(minting_blob))
        return (int.from_bytes(digest, "big") & MASK_240) | mintable_flags(kind)
    if kind in (TokenKind.ERC721, TokenKind.ERC1155):
        if token_id is None or minting_blob is not None:
            raise ValueError(f"{kind.name} is identified by its token id")
        prefix = b"NFT:" if kind is TokenKind.ERC721 else b"NON_MINTABLE:"
        return int.from_bytes(keccak(prefix + _word(type_) + _word(token_id)), "big") & MASK_250
    if token_id is not None or minting_blob is not None:
        raise ValueError(f"{kind.name} has neither token id nor minting blob")
    return type_


def mintable_flags(kind: TokenKind) -> int:
    """The flag bits a mintable kind's asset ids carry (StarkEx's LibConstants)."""
    if not kind.is_mintable:
        raise ValueError(f"{kind.name} is not mintable")
    flags = MINTABLE_ASSET_ID_FLAG
    if kind in (TokenKind.MINTABLE_ERC1155, TokenKind.MINTABLE_ERC20):
        flags |= NON_UNIQUE_MINTABLE_ASSET_ID_FLAG
    if kind is TokenKind.MINTABLE_ERC20:
        flags |= MINTABLE_ERC20_ASSET_ID_FLAG
    return flags


def is_mintable_asset_id(asset_id_: int) -> bool:
    return bool(asset_id_ & MINTABLE_ASSET_ID_FLAG)


def quantize(amount: int, quantum: int) -> int:
    """An L1 amount in quantums; a remainder is refused (it would be lost)."""
    if amount < 0 or not 0 < quantum < QUANTUM_BOUND:
        raise ValueError("amount must be non-negative and quantum in (0, 2^128)")
    quantized, remainder = divmod(amount, quantum)
    if remainder:
        raise ValueError(f"amount {amount} is not a multiple of the quantum {quantum}")
    return quantized


def dequantize(quantized_amount: int, quantum: int) -> int:
    if quantized_amount < 0 or not 0 < quantum < QUANTUM_BOUND:
        raise ValueError("amount must be non-negative and quantum in (0, 2^128)")
    return quantized_amount * quantum
