"""Stark keys and ECDSA on the Stark curve (fast-stark-crypto, RFC 6979 nonces)."""
from __future__ import annotations

from dataclasses import dataclass

import fast_stark_crypto

from offchain.crypto.constants import ALPHA, BETA, EC_ORDER, FIELD_PRIME, SIGNED_MESSAGE_BOUND


@dataclass(frozen=True)
class Signature:
    r: int
    s: int

    def to_json(self) -> dict:
        return {"r": self.r, "s": self.s}

    @classmethod
    def from_json(cls, d: dict) -> "Signature":
        return cls(r=int(d["r"]), s=int(d["s"]))


def is_stark_key(public_key: int) -> bool:
    """Whether public_key is the x coordinate of a point of the Stark curve (0 is no key).

    fast-stark-crypto panics (a Rust panic, a BaseException) on any other key, so every key is
    checked here before it reaches the native library.
    """
    if not 0 < public_key < FIELD_PRIME:
        return False
    rhs = (pow(public_key, 3, FIELD_PRIME) + ALPHA * public_key + BETA) % FIELD_PRIME
    return rhs == 0 or pow(rhs, (FIELD_PRIME - 1) // 2, FIELD_PRIME) == 1


def is_signature_in_range(signature: Signature) -> bool:
    """StarkEx's ECDSA bounds: 0 < r < 2^251 and 0 < s < n with w = s^-1 mod n below 2^251
    (the Cairo ecdsa builtin's, and fast-stark-crypto panics otherwise)."""
    if not (0 < signature.r < SIGNED_MESSAGE_BOUND and 0 < signature.s < EC_ORDER):
        return False
    return pow(signature.s, -1, EC_ORDER) < SIGNED_MESSAGE_BOUND


def private_to_public_key(private_key: int) -> int:
    """The Stark key: x coordinate of private_key * G."""
    if not 0 < private_key < EC_ORDER:
        raise ValueError("private key out of range")
    return fast_stark_crypto.get_public_key(private_key)


def sign(private_key: int, msg_hash: int) -> Signature:
    if not 0 <= msg_hash < SIGNED_MESSAGE_BOUND:
        raise ValueError("message hash must be < 2^251")
    r, s = fast_stark_crypto.sign(private_key=private_key, msg_hash=msg_hash)
    return Signature(r=r, s=s)


def verify(public_key: int, msg_hash: int, signature: Signature) -> bool:
    # The message 0 is refused as cairo-lang's verify and the ecdsa builtin refuse it: with z = 0
    # the check is s·R = r·Q, which anyone solves for any key (fast-stark-crypto accepts it).
    if not 0 < msg_hash < SIGNED_MESSAGE_BOUND:
        return False
    if not (is_signature_in_range(signature) and is_stark_key(public_key)):
        return False
    return bool(fast_stark_crypto.verify(public_key, msg_hash, signature.r, signature.s))
