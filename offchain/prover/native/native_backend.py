"""ctypes binding of field.c: the same interface as PythonBackend, on compiled kernels."""
from __future__ import annotations

import ctypes
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import numpy as np

from .build import CFLAGS, DEFAULT_BUILD_DIR, SOURCE, build
from .codec import (
    P, check_elements, check_leaves, is_power_of_two, root_of_unity, to_array, to_ints, zeros,
)

R = 2**256 % P  # Montgomery radix modulo P
T = TypeVar("T")

_VOID = ctypes.c_void_p
_SIZE = ctypes.c_size_t
_SIGNATURES: dict[str, tuple[list, object]] = {
    "f_add": ([_VOID, _VOID, _VOID, _SIZE], None),
    "f_sub": ([_VOID, _VOID, _VOID, _SIZE], None),
    "f_mul": ([_VOID, _VOID, _VOID, _SIZE], None),
    "f_scalar_mul": ([_VOID, _VOID, _VOID, _SIZE], None),
    "f_batch_inverse": ([_VOID, _VOID, _SIZE], ctypes.c_long),
    "f_powers": ([_VOID, _VOID, _SIZE], None),
    "f_ntt_twiddles": ([_VOID, _SIZE, _VOID], None),
    "f_ntt": ([_VOID, _SIZE, _VOID, _VOID], None),
    "f_scale_by_powers": ([_VOID, _SIZE, _VOID, _VOID], None),
    "f_coset_lde": ([_VOID, _SIZE, _SIZE, _VOID, _VOID, _VOID, _VOID], None),
    "f_eval_columns": ([_VOID, _SIZE, _SIZE, _SIZE, _SIZE, _VOID, _VOID], None),
    "f_linear_combination": ([_VOID, _SIZE, _SIZE, _SIZE, _SIZE, _VOID, _VOID], None),
    "f_keccak_bytes": ([ctypes.c_char_p, _SIZE, _VOID], None),
    "f_keccak_rows": ([_VOID, _SIZE, _SIZE, _SIZE, _SIZE, _VOID], None),
    "f_hash_pairs": ([_VOID, _VOID, _SIZE], None),
}


def load_library(
    source: Path = SOURCE, build_dir: Path = DEFAULT_BUILD_DIR, flags: tuple[str, ...] = CFLAGS
) -> ctypes.CDLL:
    """Builds if needed, then loads. CDLL releases the GIL during calls, so threads can overlap."""
    lib = ctypes.CDLL(str(build(source, build_dir, flags).library))
    for name, (argtypes, restype) in _SIGNATURES.items():
        fn = getattr(lib, name)
        fn.argtypes = argtypes
        fn.restype = restype
    return lib


def _ptr(array: np.ndarray) -> int:
    return array.ctypes.data


def _element(value: int) -> np.ndarray:
    return to_array([value])


def _montgomery(values: list[int]) -> np.ndarray:
    return to_array(v * R for v in values)


def _strides_in_elements(array: np.ndarray) -> tuple[int, ...] | None:
    """Element strides of the leading axes when the kernel can read the view in place."""
    if array.strides[-1] != 8 or any(s < 0 or s % 32 for s in array.strides[:-1]):
        return None
    return tuple(s // 32 for s in array.strides[:-1])


class NativeBackend:
    name = "native"

    def __init__(self, lib: ctypes.CDLL | None = None, threads: int | None = None):
        self.lib = lib if lib is not None else load_library()
        self.threads = threads if threads is not None else (os.cpu_count() or 1)
        self._pool: ThreadPoolExecutor | None = None
        self._twiddles = lru_cache(maxsize=32)(self._make_twiddles)

    # ----- elementwise -----

    def add(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return self._binary(self.lib.f_add, a, b)

    def sub(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return self._binary(self.lib.f_sub, a, b)

    def mul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return self._binary(self.lib.f_mul, a, b)

    def scalar_mul(self, a: np.ndarray, scalar: int) -> np.ndarray:
        a = check_elements(a, "a")
        out = np.empty_like(a)
        s = _element(scalar)
        self.lib.f_scalar_mul(_ptr(a), _ptr(s), _ptr(out), a.size // 4)
        return out

    def batch_inverse(self, a: np.ndarray) -> np.ndarray:
        a = check_elements(a, "a")
        out = np.empty_like(a)
        zero_at = self.lib.f_batch_inverse(_ptr(a), _ptr(out), a.size // 4)
        if zero_at >= 0:
            raise ZeroDivisionError(f"batch_inverse: element {zero_at} is zero")
        return out

    def powers(self, base: int, n: int) -> np.ndarray:
        out = zeros(n)
        b = _element(base)
        self.lib.f_powers(_ptr(b), _ptr(out), n)
        return out

    # ----- transforms -----

    def ntt(self, a: np.ndarray) -> np.ndarray:
        return self._transform(a, inverse=False)

    def intt(self, a: np.ndarray) -> np.ndarray:
        return self._transform(a, inverse=True)

    def coset_intt(self, evals: np.ndarray, shift: int) -> np.ndarray:
        """Coefficients of the polynomial of degree < n taking evals[i] at shift * w^i."""
        out = self._transform(evals, inverse=True, scale=False)
        n = out.shape[-2]
        base = _montgomery([pow(shift, P - 2, P)])
        start = _montgomery([pow(n, P - 2, P)])
        self._run_each(
            lambda column: self.lib.f_scale_by_powers(_ptr(column), n, _ptr(base), _ptr(start)),
            list(out.reshape(-1, n, 4)),
        )
        return out

    def coset_lde(self, coeffs: np.ndarray, blowup: int, shift: int) -> np.ndarray:
        """(n, 4) -> (n * blowup, 4); (cols, n, 4) -> (cols, n * blowup, 4), columns in parallel."""
        coeffs = check_elements(coeffs, "coeffs")
        if not is_power_of_two(blowup):
            raise ValueError(f"blowup must be a power of two, got {blowup}")
        if coeffs.ndim not in (2, 3):
            raise ValueError(f"expected (n, 4) or (cols, n, 4), got shape {coeffs.shape}")
        n = coeffs.shape[-2]
        if not is_power_of_two(n):
            raise ValueError(f"coefficient count must be a power of two, got {n}")
        size = n * blowup
        big_root = root_of_unity(size)
        cosets = _montgomery([shift * pow(big_root, k, P) % P for k in range(blowup)])
        tw = self._twiddles(n, False)
        out = np.empty(coeffs.shape[:-2] + (size, 4), dtype=np.uint64)

        def extend(pair: tuple[np.ndarray, np.ndarray]) -> None:
            column, extended = pair
            scratch = zeros(n)
            self.lib.f_coset_lde(
                _ptr(column), n, blowup, _ptr(cosets), _ptr(tw), _ptr(extended), _ptr(scratch)
            )

        self._run_each(extend, list(zip(coeffs.reshape(-1, n, 4), out.reshape(-1, size, 4))))
        return out

    # ----- evaluation -----

    def poly_eval(self, coeffs: np.ndarray, x: int) -> int:
        return self.eval_columns(check_elements(coeffs, "coeffs")[None], x)[0]

    def eval_columns(self, columns: np.ndarray, x: int) -> list[int]:
        columns = self._readable_columns(columns)
        cols, n = columns.shape[:2]
        col_stride, coef_stride = _strides_in_elements(columns)
        out = zeros(cols)
        point = _element(x)
        self.lib.f_eval_columns(
            _ptr(columns), cols, n, col_stride, coef_stride, _ptr(point), _ptr(out)
        )
        return to_ints(out)

    def linear_combination(self, columns: np.ndarray, weights: list[int]) -> np.ndarray:
        columns = self._readable_columns(columns)
        cols, n = columns.shape[:2]
        if len(weights) != cols:
            raise ValueError(f"{cols} columns but {len(weights)} weights")
        col_stride, elem_stride = _strides_in_elements(columns)
        out = zeros(n)
        w = _montgomery(weights)
        self.lib.f_linear_combination(
            _ptr(columns), cols, n, col_stride, elem_stride, _ptr(w), _ptr(out)
        )
        return out

    @staticmethod
    def _readable_columns(columns: np.ndarray) -> np.ndarray:
        """A (cols, n, 4) uint64 array the kernels can read in place, copied only if they can't."""
        if columns.ndim != 3 or columns.shape[-1] != 4 or columns.dtype != np.uint64:
            raise ValueError(f"expected (cols, n, 4) uint64, got {columns.dtype} {columns.shape}")
        if _strides_in_elements(columns) is None:
            columns = np.ascontiguousarray(columns)
        return columns

    # ----- hashing -----

    def keccak(self, data: bytes) -> bytes:
        digest = ctypes.create_string_buffer(32)
        self.lib.f_keccak_bytes(data, len(data), digest)
        return digest.raw

    def keccak_rows(self, rows: np.ndarray) -> np.ndarray:
        rows = self._readable_columns(rows)
        n_rows, cols = rows.shape[:2]
        row_stride, col_stride = _strides_in_elements(rows)
        digests = np.empty((n_rows, 32), dtype=np.uint8)

        def hash_slice(bounds: tuple[int, int]) -> None:
            start, stop = bounds
            self.lib.f_keccak_rows(
                _ptr(rows[start:stop]), stop - start, cols, row_stride, col_stride,
                _ptr(digests[start:stop]),
            )

        self._run_each(hash_slice, self._slices(n_rows))
        return digests

    def merkle_layers(self, leaves: np.ndarray) -> list[np.ndarray]:
        leaves = check_leaves(leaves)
        layers = [leaves.copy()]
        while len(layers[-1]) > 1:
            children = layers[-1]
            parents = np.empty((len(children) // 2, 32), dtype=np.uint8)

            def hash_slice(bounds: tuple[int, int]) -> None:
                start, stop = bounds
                self.lib.f_hash_pairs(
                    _ptr(children[2 * start : 2 * stop]), _ptr(parents[start:stop]), stop - start
                )

            self._run_each(hash_slice, self._slices(len(parents)))
            layers.append(parents)
        return layers

    # ----- helpers -----

    def _binary(self, fn, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        a, b = check_elements(a, "a"), check_elements(b, "b")
        if a.shape != b.shape:
            raise ValueError(f"shapes differ: {a.shape} and {b.shape}")
        out = np.empty_like(a)
        fn(_ptr(a), _ptr(b), _ptr(out), a.size // 4)
        return out

    def _make_twiddles(self, n: int, inverse: bool) -> np.ndarray:
        root = root_of_unity(n)
        if inverse:
            root = pow(root, P - 2, P)
        tw = zeros(max(n - 1, 1))
        self.lib.f_ntt_twiddles(_ptr(_element(root)), n, _ptr(tw))
        tw.flags.writeable = False
        return tw

    def _transform(self, a: np.ndarray, inverse: bool, scale: bool = True) -> np.ndarray:
        out = np.array(check_elements(a, "a"), copy=True)
        if out.ndim not in (2, 3):
            raise ValueError(f"expected (n, 4) or (cols, n, 4), got shape {out.shape}")
        n = out.shape[-2]
        if not is_power_of_two(n):
            raise ValueError(f"NTT size must be a power of two, got {n}")
        tw = self._twiddles(n, inverse)
        n_inv = _montgomery([pow(n, P - 2, P)]) if inverse and scale else None
        scale_ptr = _ptr(n_inv) if n_inv is not None else None
        self._run_each(
            lambda column: self.lib.f_ntt(_ptr(column), n, _ptr(tw), scale_ptr),
            list(out.reshape(-1, n, 4)),
        )
        return out

    def _slices(self, count: int, minimum: int = 1024) -> list[tuple[int, int]]:
        """[start, stop) bounds splitting count items among the threads (one slice when small)."""
        parts = max(1, min(self.threads, count // minimum))
        bounds = [count * k // parts for k in range(parts + 1)]
        return list(zip(bounds[:-1], bounds[1:]))

    def _run_each(self, job: Callable[[T], None], items: list[T]) -> None:
        """Runs job on every item, on several threads when there are several items: the kernels
        release the GIL, so columns transform in parallel."""
        if self.threads <= 1 or len(items) <= 1:
            for item in items:
                job(item)
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.threads)
        list(self._pool.map(job, items))
