"""StarkWare's Pedersen hash of two field elements (fast-stark-crypto does the curve work)."""
from __future__ import annotations

from typing import Iterable

from fast_stark_crypto import pedersen_hash as _pedersen_hash

from offchain.crypto.constants import FIELD_PRIME


def pedersen(a: int, b: int) -> int:
    if not (0 <= a < FIELD_PRIME and 0 <= b < FIELD_PRIME):
        raise ValueError("pedersen inputs must be field elements in [0, P)")
    return _pedersen_hash(a, b)


def pedersen_chain(values: Iterable[int], start: int = 0) -> int:
    """H(...H(H(start, v0), v1)..., vn) — a left fold."""
    acc = start
    for v in values:
        acc = pedersen(acc, v)
    return acc


def hash_array(values: list[int]) -> int:
    """cairo's hash_state: fold from 0 over the values, then hash in the count."""
    return pedersen(pedersen_chain(values), len(values))
