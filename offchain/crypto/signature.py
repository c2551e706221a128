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


def is_curve_x(x: int) -> bool:
    """Whether x is the x coordinate of a Stark curve point (x^3 + ALPHA·x + BETA a square)."""
    if not 0 <= x < FIELD_PRIME:
        return False
    rhs = (x**3 + ALPHA * x + BETA) % FIELD_PRIME
    return rhs == 0 or pow(rhs, (FIELD_PRIME - 1) // 2, FIELD_PRIME) == 1


def verify(public_key: int, msg_hash: int, signature: Signature) -> bool:
    if not 0 <= msg_hash < SIGNED_MESSAGE_BOUND:
        return False
    if not is_curve_x(public_key):  # fast-stark-crypto panics (a BaseException) on such a key
        return False
    if not (0 < signature.r < SIGNED_MESSAGE_BOUND and 0 < signature.s < EC_ORDER):
        return False
    try:
        return bool(fast_stark_crypto.verify(public_key, msg_hash, signature.r, signature.s))
    except Exception:  # an invalid key (not on the curve) is a failed verification
        return False
