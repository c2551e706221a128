"""Stark field, curve, keys, ECDSA, Pedersen hash and StarkEx message hashes."""
from offchain.crypto.constants import ALPHA, BETA, EC_ORDER, FIELD_PRIME, SIGNED_MESSAGE_BOUND
from offchain.crypto.pedersen import pedersen, pedersen_chain
from offchain.crypto.signature import (
    Signature,
    private_to_public_key,
    sign,
    verify,
)

__all__ = [
    "ALPHA", "BETA", "EC_ORDER", "FIELD_PRIME", "SIGNED_MESSAGE_BOUND",
    "pedersen", "pedersen_chain", "Signature", "private_to_public_key", "sign", "verify",
]
