"""Stark key pairs, and the ways StarkEx wallets derive them.

A Stark private key is an integer in [1, n) where n is the Stark curve's order; its public key
(the "Stark key" that owns positions) is the x coordinate of private_key * G.

StarkEx wallets derive the private key deterministically, so that the same Ethereum wallet
always gets the same Stark key back (StarkWare's starkware-crypto-utils `key_derivation`, the
rule starkex-js wallets follow):

- from an Ethereum signature: the wallet signs a fixed message; the signature's r (its first 32
  bytes) is the seed, ground into a key (`private_key_from_eth_signature`). ECDSA on secp256k1
  with RFC 6979 nonces (what every Ethereum wallet does) signs a message the same way each
  time, so the key comes back whenever the wallet signs the message again;
- from a BIP-39 mnemonic: BIP-32 derivation along the path
  m/2645'/layer'/application'/eth_address_low'/eth_address_high'/index
  (`account_path`), whose key is ground the same way (`key_pair_from_mnemonic`).

Grinding (`grind_key`): sha256(seed ‖ i) for i = 0, 1, ... until the digest is below the
largest multiple of n under 2^256, then reduced mod n: a uniform key, not one biased towards
small residues. `i` is written in as few bytes as hold it (at least one).
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from eth_account.hdaccount import key_from_seed, seed_from_mnemonic

from offchain.crypto.constants import EC_ORDER
from offchain.crypto.signature import Signature, private_to_public_key, sign

SHA256_BOUND = 2**256
# Digests at or above this are ground again: below it every residue mod n is equally likely.
GRIND_LIMIT = SHA256_BOUND - SHA256_BOUND % EC_ORDER
ETH_SIGNATURE_BYTES = 65  # r ‖ s ‖ v
STARK_PATH_PURPOSE = 2645  # BIP-43 purpose of StarkEx key paths ("starkex" in StarkWare's docs)
LOW_31_BITS = 2**31 - 1


class InvalidKey(ValueError):
    """Not a usable Stark private key, or a seed the derivation cannot take."""


@dataclass(frozen=True)
class StarkKeyPair:
    """A Stark private key and its public key (the Stark key)."""
    private_key: int
    public_key: int

    @classmethod
    def from_private_key(cls, private_key: int) -> "StarkKeyPair":
        if not 0 < private_key < EC_ORDER:
            raise InvalidKey(f"a Stark private key is in [1, n) with n = {EC_ORDER:#x}; got {private_key:#x}")
        return cls(private_key, private_to_public_key(private_key))

    @classmethod
    def generate(cls) -> "StarkKeyPair":
        """A fresh key from the operating system's randomness (uniform in [1, n))."""
        return cls.from_private_key(1 + secrets.randbelow(EC_ORDER - 1))

    def sign(self, message_hash: int) -> Signature:
        return sign(self.private_key, message_hash)

    def to_json(self) -> dict:
        """The key file's form: both keys as 0x hex strings."""
        return {"private_key": hex(self.private_key), "public_key": hex(self.public_key)}

    @classmethod
    def from_json(cls, data: dict) -> "StarkKeyPair":
        pair = cls.from_private_key(int(str(data["private_key"]), 0))
        if "public_key" in data and int(str(data["public_key"]), 0) != pair.public_key:
            raise InvalidKey("the key file's public key is not its private key's")
        return pair


def _index_bytes(index: int) -> bytes:
    return index.to_bytes(max(1, (index.bit_length() + 7) // 8), "big")


def grind_key(seed: bytes) -> int:
    """StarkWare's grindKey: the first sha256(seed ‖ i) below GRIND_LIMIT, mod n."""
    index = 0
    while True:
        digest = int.from_bytes(hashlib.sha256(seed + _index_bytes(index)).digest(), "big")
        if digest < GRIND_LIMIT:
            return digest % EC_ORDER
        index += 1


def _hex_bytes(value: str | bytes, what: str) -> bytes:
    if isinstance(value, bytes):
        return value
    text = value.removeprefix("0x").removeprefix("0X")
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise InvalidKey(f"{what} is not hex: {value[:80]!r}") from None


def private_key_from_eth_signature(signature: str | bytes) -> int:
    """The Stark private key of an Ethereum signature (65 bytes r ‖ s ‖ v, or its 130-digit
    hex): r ground into a key (starkware-crypto-utils getPrivateKeyFromEthSignature)."""
    raw = _hex_bytes(signature, "the Ethereum signature")
    if len(raw) != ETH_SIGNATURE_BYTES:
        raise InvalidKey(f"an Ethereum signature is {ETH_SIGNATURE_BYTES} bytes (r, s, v); got {len(raw)}")
    return grind_key(raw[:32])


def _low_31_bits_of_sha256(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest(), "big") & LOW_31_BITS


def account_path(layer: str, application: str, eth_address: str, index: int) -> str:
    """StarkWare's getAccountPath: m/2645'/layer'/application'/addr_low'/addr_high'/index, with
    the low 31 bits of sha256(layer) and sha256(application) and two 31-bit slices of the
    Ethereum address (bits 0..30, then 31..61)."""
    address = int(eth_address, 16)
    return (f"m/{STARK_PATH_PURPOSE}'/{_low_31_bits_of_sha256(layer)}'/{_low_31_bits_of_sha256(application)}'/"
            f"{address & LOW_31_BITS}'/{(address >> 31) & LOW_31_BITS}'/{index}")


def key_pair_from_mnemonic(mnemonic: str, path: str, passphrase: str = "") -> StarkKeyPair:
    """BIP-39 seed, BIP-32 (secp256k1) key at path, ground into a Stark key
    (starkware-crypto-utils getKeyPairFromPath)."""
    node_key = key_from_seed(seed_from_mnemonic(mnemonic, passphrase), path)
    return StarkKeyPair.from_private_key(grind_key(node_key))


def key_pair_from_eth_signature(signature: str | bytes) -> StarkKeyPair:
    return StarkKeyPair.from_private_key(private_key_from_eth_signature(signature))


def key_derivation_message(exchange_name: str, chain_id: int) -> str:
    """What a wallet signs (EIP-191 personal_sign) to derive its Stark key for this exchange:
    fixed per exchange and chain, so every later signature of it gives the same key back."""
    return (f"Sign to derive your Stark key for {exchange_name} on chain {chain_id}.\n"
            "Only sign this message on the exchange's own client: its signature is your Stark key.")
