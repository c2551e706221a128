"""Fast arithmetic kernels for the STARK prover over the Stark field P = 2^251 + 17*2^192 + 1.

Field elements travel as numpy uint64 arrays of shape (n, 4) (or (cols, n, 4) for batches of
columns): canonical (< P), little-endian limbs. Convert with `to_array` (reduces mod P) and
`to_ints`; the kernels trust their inputs to be canonical and keep outputs canonical.

Two backends with identical results: "native" (field.c, compiled by gcc on first use into
build/native/, loaded with ctypes; column batches run on all cores since calls release the GIL)
and "python" (Python ints). `backend()` picks native when a C compiler exists, else python;
STARK_FIELD_BACKEND=native|python forces one. The module-level functions below call
`default_backend()`, chosen once per process; `list_kernels` offers the same kernels on lists of
ints with the signatures of offchain/prover/kernels.py.

    add, sub, mul (a, b)               elementwise, same shapes
    scalar_mul(a, s)                    a * s for an int s
    batch_inverse(a)                    1/a elementwise; ZeroDivisionError on a zero
    powers(base, n)                     base^0 .. base^(n-1)
    ntt(a), intt(a)                     out[i] = sum_j a[j] w^(ij), w = 3^((P-1)/n);
                                        intt is the inverse (divides by n)
    coset_intt(evals, shift)            coefficients from evaluations at shift * w^i
    coset_lde(coeffs, blowup, shift)    evaluations at shift * W^i, i < n*blowup, natural order
    poly_eval(coeffs, x) -> int         Horner
    eval_columns(columns, x) -> ints    every column of a (cols, n, 4) array at one point
    linear_combination(columns, ws)     sum_c ws[c] * columns[c], a (n, 4) array
    keccak(data) -> bytes               keccak256 (Ethereum's)
    keccak_rows(rows) -> (rows, 32) u8  keccak256 of each row of a (rows, cols, 4) array, elements
                                        as 32-byte big-endian words; any strided view works, so
                                        columns.transpose(1, 0, 2) hashes rows without a copy
    merkle_layers(leaves) -> [arrays]   node = keccak256(left || right); layers[0] is the leaves,
                                        layers[-1] the (1, 32) root
"""
from __future__ import annotations

import os
import warnings
from functools import cache

import numpy as np

from .build import BuildError, compiler
from .codec import GENERATOR, P, root_of_unity, to_array, to_ints
from .python_backend import PythonBackend

BACKEND_ENV = "STARK_FIELD_BACKEND"

__all__ = [
    "P", "GENERATOR", "root_of_unity", "to_array", "to_ints", "backend", "default_backend",
    "default_backend_name", "BuildError",
    "add", "sub", "mul", "scalar_mul", "batch_inverse", "powers",
    "ntt", "intt", "coset_intt", "coset_lde",
    "poly_eval", "eval_columns", "linear_combination", "keccak", "keccak_rows", "merkle_layers",
]


def default_backend_name() -> str:
    """STARK_FIELD_BACKEND if set, else native where a C compiler exists, else python."""
    return os.environ.get(BACKEND_ENV) or ("native" if compiler() else "python")


def backend(name: str | None = None):
    """The backend called `name` ("native" or "python"), one instance per name and process."""
    return _backend_named(name or default_backend_name())


@cache
def _backend_named(name: str):
    if name == "native":
        from .native_backend import NativeBackend

        return NativeBackend()
    if name == "python":
        if compiler() is None:
            warnings.warn("no C compiler: STARK field kernels run in pure Python", RuntimeWarning)
        return PythonBackend()
    raise ValueError(f"unknown field backend {name!r}; expected 'native' or 'python'")


@cache
def default_backend():
    """The backend of the module-level functions, chosen once per process."""
    return backend()


def add(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return default_backend().add(a, b)


def sub(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return default_backend().sub(a, b)


def mul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return default_backend().mul(a, b)


def scalar_mul(a: np.ndarray, scalar: int) -> np.ndarray:
    return default_backend().scalar_mul(a, scalar)


def batch_inverse(a: np.ndarray) -> np.ndarray:
    return default_backend().batch_inverse(a)


def powers(base: int, n: int) -> np.ndarray:
    return default_backend().powers(base, n)


def ntt(a: np.ndarray) -> np.ndarray:
    return default_backend().ntt(a)


def intt(a: np.ndarray) -> np.ndarray:
    return default_backend().intt(a)


def coset_intt(evals: np.ndarray, shift: int) -> np.ndarray:
    return default_backend().coset_intt(evals, shift)


def coset_lde(coeffs: np.ndarray, blowup: int, shift: int) -> np.ndarray:
    return default_backend().coset_lde(coeffs, blowup, shift)


def poly_eval(coeffs: np.ndarray, x: int) -> int:
    return default_backend().poly_eval(coeffs, x)


def eval_columns(columns: np.ndarray, x: int) -> list[int]:
    return default_backend().eval_columns(columns, x)


def linear_combination(columns: np.ndarray, weights: list[int]) -> np.ndarray:
    return default_backend().linear_combination(columns, weights)


def keccak(data: bytes) -> bytes:
    return default_backend().keccak(data)


def keccak_rows(rows: np.ndarray) -> np.ndarray:
    return default_backend().keccak_rows(rows)


def merkle_layers(leaves: np.ndarray) -> list[np.ndarray]:
    return default_backend().merkle_layers(leaves)
