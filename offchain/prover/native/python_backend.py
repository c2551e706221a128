"""Pure-Python kernels on Python ints: the fallback when no C compiler exists, and the reference.

Same interface and bit-identical results as the native backend; 40 to 100 times slower (measured
by bench/field.py).
"""
from __future__ import annotations

import numpy as np
from eth_hash.auto import keccak as _keccak

from .codec import (
    P, check_elements, check_leaves, is_power_of_two, root_of_unity, to_array, to_ints,
)


def _bit_reverse_permute(values: list[int]) -> list[int]:
    n = len(values)
    bits = n.bit_length() - 1
    return [values[int(format(i, f"0{bits}b")[::-1], 2) if bits else 0] for i in range(n)]


def ntt_ints(values: list[int], root: int) -> list[int]:
    """out[i] = sum_j values[j] root^(ij): iterative radix-2, decimation in time."""
    n = len(values)
    if not is_power_of_two(n):
        raise ValueError(f"NTT size must be a power of two, got {n}")
    a = _bit_reverse_permute(values)
    half = 1
    while half < n:
        w_step = pow(root, n // (2 * half), P)
        twiddles = [1] * half
        for j in range(1, half):
            twiddles[j] = twiddles[j - 1] * w_step % P
        for start in range(0, n, 2 * half):
            for j in range(half):
                u = a[start + j]
                v = a[start + j + half] * twiddles[j] % P
                a[start + j] = (u + v) % P
                a[start + j + half] = (u - v) % P
        half *= 2
    return a


def _columns(array: np.ndarray) -> tuple[list[list[int]], bool]:
    """Splits a (n, 4) or (cols, n, 4) array into columns of ints; says whether it was batched."""
    array = check_elements(array)
    if array.ndim == 2:
        return [to_ints(array)], False
    if array.ndim == 3:
        return [to_ints(column) for column in array], True
    raise ValueError(f"expected (n, 4) or (cols, n, 4), got shape {array.shape}")


def _stack(columns: list[list[int]], batched: bool) -> np.ndarray:
    arrays = [to_array(column) for column in columns]
    return np.stack(arrays) if batched else arrays[0]


class PythonBackend:
    name = "python"

    def add(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return self._zip(a, b, lambda x, y: (x + y) % P)

    def sub(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return self._zip(a, b, lambda x, y: (x - y) % P)

    def mul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return self._zip(a, b, lambda x, y: x * y % P)

    def scalar_mul(self, a: np.ndarray, scalar: int) -> np.ndarray:
        a = check_elements(a, "a")
        s = scalar % P
        return to_array(x * s % P for x in to_ints(a)).reshape(a.shape)

    def batch_inverse(self, a: np.ndarray) -> np.ndarray:
        a = check_elements(a, "a")
        values = to_ints(a)
        if 0 in values:
            raise ZeroDivisionError(f"batch_inverse: element {values.index(0)} is zero")
        # Montgomery's trick: one exponentiation, three multiplications per element.
        prefix, acc = [], 1
        for x in values:
            prefix.append(acc)
            acc = acc * x % P
        inv = pow(acc, P - 2, P)
        out = [0] * len(values)
        for i in range(len(values) - 1, -1, -1):
            out[i] = prefix[i] * inv % P
            inv = inv * values[i] % P
        return to_array(out).reshape(a.shape)

    def powers(self, base: int, n: int) -> np.ndarray:
        out, acc = [], 1
        for _ in range(n):
            out.append(acc)
            acc = acc * base % P
        return to_array(out).reshape(n, 4)

    def ntt(self, a: np.ndarray) -> np.ndarray:
        columns, batched = _columns(a)
        return _stack([ntt_ints(c, root_of_unity(len(c))) for c in columns], batched)

    def intt(self, a: np.ndarray) -> np.ndarray:
        columns, batched = _columns(a)
        return _stack(self.intt_columns(columns), batched)

    @staticmethod
    def intt_columns(columns: list[list[int]]) -> list[list[int]]:
        out = []
        for column in columns:
            n = len(column)
            n_inv = pow(n, P - 2, P)
            values = ntt_ints(column, pow(root_of_unity(n), P - 2, P))
            out.append([v * n_inv % P for v in values])
        return out

    def coset_intt(self, evals: np.ndarray, shift: int) -> np.ndarray:
        """Coefficients of the polynomial of degree < n taking evals[i] at shift * w^i."""
        columns, batched = _columns(evals)
        shift_inv = pow(shift, P - 2, P)
        out = []
        for column in self.intt_columns(columns):
            factor, scaled = 1, []
            for c in column:
                scaled.append(c * factor % P)
                factor = factor * shift_inv % P
            out.append(scaled)
        return _stack(out, batched)

    def coset_lde(self, coeffs: np.ndarray, blowup: int, shift: int) -> np.ndarray:
        if not is_power_of_two(blowup):
            raise ValueError(f"blowup must be a power of two, got {blowup}")
        columns, batched = _columns(coeffs)
        out = []
        for column in columns:
            size = len(column) * blowup
            scaled, power = [], 1
            for c in column:
                scaled.append(c * power % P)
                power = power * shift % P
            out.append(ntt_ints(scaled + [0] * (size - len(column)), root_of_unity(size)))
        return _stack(out, batched)

    def poly_eval(self, coeffs: np.ndarray, x: int) -> int:
        return self.eval_columns(check_elements(coeffs)[None], x)[0]

    def eval_columns(self, columns: np.ndarray, x: int) -> list[int]:
        columns = check_elements(columns, "columns")
        if columns.ndim != 3:
            raise ValueError(f"expected (cols, n, 4), got shape {columns.shape}")
        x %= P
        out = []
        for column in columns:
            acc = 0
            for c in reversed(to_ints(column)):
                acc = (acc * x + c) % P
            out.append(acc)
        return out

    def linear_combination(self, columns: np.ndarray, weights: list[int]) -> np.ndarray:
        columns = check_elements(columns, "columns")
        if columns.ndim != 3 or len(weights) != len(columns):
            raise ValueError(f"{columns.shape} columns but {len(weights)} weights")
        out = [0] * columns.shape[1]
        for column, weight in zip(columns, weights):
            for i, v in enumerate(to_ints(column)):
                out[i] = (out[i] + v * weight) % P
        return to_array(out).reshape(-1, 4)

    def keccak(self, data: bytes) -> bytes:
        return _keccak(data)

    def keccak_rows(self, rows: np.ndarray) -> np.ndarray:
        rows = check_elements(rows, "rows")
        if rows.ndim != 3:
            raise ValueError(f"expected (rows, cols, 4), got shape {rows.shape}")
        digests = [
            _keccak(b"".join(v.to_bytes(32, "big") for v in to_ints(row))) for row in rows
        ]
        return np.frombuffer(b"".join(digests), dtype=np.uint8).reshape(len(rows), 32).copy()

    def merkle_layers(self, leaves: np.ndarray) -> list[np.ndarray]:
        leaves = check_leaves(leaves)
        layers = [leaves.copy()]
        while len(layers[-1]) > 1:
            below = layers[-1]
            parents = [
                _keccak(below[i].tobytes() + below[i + 1].tobytes())
                for i in range(0, len(below), 2)
            ]
            layers.append(np.frombuffer(b"".join(parents), dtype=np.uint8).reshape(-1, 32).copy())
        return layers

    @staticmethod
    def _zip(a: np.ndarray, b: np.ndarray, op) -> np.ndarray:
        a, b = check_elements(a, "a"), check_elements(b, "b")
        if a.shape != b.shape:
            raise ValueError(f"shapes differ: {a.shape} and {b.shape}")
        return to_array(op(x, y) for x, y in zip(to_ints(a), to_ints(b))).reshape(a.shape)
