"""The interface format of the kernels: field elements as (n, 4) uint64 arrays.

Each row is one element of the Stark field, canonical (< P), as four little-endian 64-bit limbs,
so an array's bytes are the elements' 32-byte little-endian encodings back to back.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

P = 2**251 + 17 * 2**192 + 1
GENERATOR = 3  # generates the multiplicative group of the field
TWO_ADICITY = 192  # P - 1 = 2^192 * odd
LIMBS = 4
ELEMENT_BYTES = 32


def to_array(values: Iterable[int]) -> np.ndarray:
    """Python ints (any, reduced mod P) to a (n, 4) uint64 array."""
    data = b"".join([(v % P).to_bytes(ELEMENT_BYTES, "little") for v in values])
    return np.frombuffer(data, dtype="<u8").reshape(-1, LIMBS).copy()


def to_ints(array: np.ndarray) -> list[int]:
    """A (..., 4) uint64 array to Python ints, in row-major order of the leading axes."""
    data = np.ascontiguousarray(array, dtype="<u8").tobytes()
    from_bytes = int.from_bytes
    step = ELEMENT_BYTES
    return [from_bytes(data[i : i + step], "little") for i in range(0, len(data), step)]


def zeros(n: int) -> np.ndarray:
    return np.zeros((n, LIMBS), dtype=np.uint64)


def check_elements(array: np.ndarray, name: str = "array") -> np.ndarray:
    """C-contiguous uint64 with last axis 4, as the kernels read it (copies only if needed)."""
    if array.shape[-1:] != (LIMBS,):
        raise ValueError(f"{name}: last axis must be {LIMBS} limbs, got shape {array.shape}")
    if array.dtype != np.uint64:
        raise TypeError(f"{name}: dtype must be uint64, got {array.dtype}")
    return np.ascontiguousarray(array)


def check_leaves(leaves: np.ndarray) -> np.ndarray:
    """A (n, 32) uint8 array of digests, n a power of two, C-contiguous."""
    if leaves.dtype != np.uint8 or leaves.ndim != 2 or leaves.shape[1] != 32:
        raise ValueError(f"leaves must be a (n, 32) uint8 array, got {leaves.dtype} {leaves.shape}")
    if not is_power_of_two(len(leaves)):
        raise ValueError(f"leaf count must be a power of two, got {len(leaves)}")
    return np.ascontiguousarray(leaves)


def is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


def root_of_unity(n: int) -> int:
    """The primitive n-th root 3^((P-1)/n) that ntt and coset_lde use."""
    if not is_power_of_two(n) or n > 2**TWO_ADICITY:
        raise ValueError(f"domain size must be a power of two up to 2^{TWO_ADICITY}, got {n}")
    return pow(GENERATOR, (P - 1) // n, P)
