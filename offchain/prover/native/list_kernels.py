"""The list-of-ints kernel interface of offchain/prover/kernels.py, on the array kernels.

Same names, signatures and conventions (canonical ints, natural order, column-major hash_rows,
merkle_layers as lists of bytes), so the prover can swap this module in unchanged. Converting
lists to arrays costs O(n) Python work per call; a prover that keeps arrays between the LDE,
hashing and constraint evaluation calls the array functions of this package directly instead.
"""
from __future__ import annotations

import numpy as np

from . import default_backend as backend
from .codec import P, is_power_of_two, to_array, to_ints

__all__ = [
    "P", "keccak256", "ntt", "intt", "coset_lde", "coset_intt", "batch_inverse", "hash_rows",
    "merkle_layers", "array_backend",
]


def array_backend():
    """The backend these list kernels run on (offchain/prover/kernels.array_backend)."""
    return backend()


def keccak256(data: bytes) -> bytes:
    return backend().keccak(data)


def ntt(coeffs: list[int]) -> list[int]:
    return to_ints(backend().ntt(to_array(coeffs)))


def intt(evals: list[int]) -> list[int]:
    return to_ints(backend().intt(to_array(evals)))


def coset_lde(coeffs: list[int], blowup: int, shift: int) -> list[int]:
    return to_ints(backend().coset_lde(to_array(coeffs), blowup, shift))


def coset_intt(evals: list[int], shift: int) -> list[int]:
    return to_ints(backend().coset_intt(to_array(evals), shift))


def batch_inverse(values: list[int]) -> list[int]:
    if not values:
        return []
    return to_ints(backend().batch_inverse(to_array(values)))


def hash_rows(columns: list[list[int]]) -> list[bytes]:
    """Leaf i = keccak256 of (column[i] for column in columns), 32-byte big-endian words."""
    if not columns:
        raise ValueError("hash_rows needs at least one column")
    stacked = np.stack([to_array(column) for column in columns])  # (cols, rows, 4)
    return _split(backend().keccak_rows(stacked.transpose(1, 0, 2)))


def merkle_layers(leaves: list[bytes]) -> list[list[bytes]]:
    if not is_power_of_two(len(leaves)):
        raise ValueError(f"length {len(leaves)} is not a power of two")
    array = np.frombuffer(b"".join(leaves), dtype=np.uint8).reshape(-1, 32)
    return [_split(layer) for layer in backend().merkle_layers(array)]


def _split(digests: np.ndarray) -> list[bytes]:
    data = digests.tobytes()
    return [data[i : i + 32] for i in range(0, len(data), 32)]
