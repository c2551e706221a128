"""Registering a stark key on L1: StarkEx's `registerEthAddress` message and its signature.

The message is the one place both sides must agree on; the contract computes the same value
in Users.userRegistrationHash. The signature is StarkEx's 96 bytes r ‖ s ‖ y, y the public key's
y-coordinate, so the contract checks a point instead of taking a square root. Registration is
needed to withdraw, cancel a deposit or request a forced action, not to deposit.
"""
from __future__ import annotations

from eth_utils import keccak, to_canonical_address
from starkware.crypto.signature.signature import private_key_to_ec_point_on_stark_curve

from offchain.crypto.constants import EC_ORDER, SIGNED_MESSAGE_BOUND
from offchain.crypto.signature import Signature, private_to_public_key, sign

REGISTRATION_PREFIX = b"UserRegistration:"


class UnsignableRegistration(ValueError):
    """The registration hash is >= 2^251 (probability about 2^-55): Stark ECDSA cannot sign it,
    so this (eth address, stark key) pair can never be registered; use another eth address."""


def user_registration_hash(eth_address: str, stark_key: int) -> int:
    """keccak256("UserRegistration:" ‖ address (20 bytes) ‖ starkKey (32 bytes)) mod EC_ORDER."""
    packed = REGISTRATION_PREFIX + to_canonical_address(eth_address) + stark_key.to_bytes(32, "big")
    return int.from_bytes(keccak(packed), "big") % EC_ORDER


def stark_public_point(stark_private_key: int) -> tuple[int, int]:
    """(x, y) of the public key: x is the stark key, y goes with the registration signature."""
    return private_key_to_ec_point_on_stark_curve(stark_private_key)


def encode_stark_signature(signature: Signature, public_key_y: int) -> bytes:
    """r ‖ s ‖ y, three 32-byte big-endian words: the contract's
    abi.decode(sig, (uint256, uint256, uint256))."""
    return b"".join(w.to_bytes(32, "big") for w in (signature.r, signature.s, public_key_y))


def registration_signature(eth_address: str, stark_private_key: int) -> bytes:
    """The stark key's signature binding it to eth_address, encoded for registerEthAddress."""
    x, y = stark_public_point(stark_private_key)
    msg_hash = user_registration_hash(eth_address, x)
    if msg_hash >= SIGNED_MESSAGE_BOUND:
        raise UnsignableRegistration(hex(msg_hash))
    return encode_stark_signature(sign(stark_private_key, msg_hash), y)


def register_user(exchange, eth_account, stark_private_key: int, sender=None):
    """Binds the stark key of stark_private_key to eth_account's address; the transaction is sent
    by `sender` (default: eth_account itself), which anyone may be. Returns the receipt."""
    stark_key = private_to_public_key(stark_private_key)
    signature = registration_signature(eth_account.address, stark_private_key)
    return exchange.registerEthAddress(eth_account.address, stark_key, signature, sender=sender or eth_account)
