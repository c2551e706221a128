"""FeltArray: a column of field elements held as a native (n, 4) uint64 array, with +, - and *
(with other FeltArrays of the same length or with ints), so that code written for ints or numpy
object arrays — the AIRs' `evaluate` — runs on the compiled kernels unchanged. Values stay
canonical, so `% P` is the identity."""
from __future__ import annotations

import numpy as np

from .codec import P, to_array, to_ints


class FeltArray:
    __slots__ = ("backend", "data")
    __array_priority__ = 1000  # numpy defers mixed operations to these methods

    def __init__(self, backend, data: np.ndarray):
        self.backend = backend
        self.data = data

    @classmethod
    def from_ints(cls, backend, values) -> "FeltArray":
        return cls(backend, to_array(values))

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index: int) -> int:
        return to_ints(self.data[index])[0]

    def ints(self) -> list[int]:
        return to_ints(self.data)

    def roll(self, shift: int) -> "FeltArray":
        """Element i of the result is element i + shift of this one (cyclically)."""
        return FeltArray(self.backend, np.roll(self.data, -shift, axis=0))

    def _constant(self, value: int) -> np.ndarray:
        return np.ascontiguousarray(np.broadcast_to(to_array([value]), self.data.shape))

    def _operand(self, other) -> np.ndarray:
        if isinstance(other, FeltArray):
            return other.data
        if isinstance(other, int):
            return self._constant(other)
        return NotImplemented

    def __add__(self, other):
        if isinstance(other, int) and other % P == 0:
            return self
        b = self._operand(other)
        return NotImplemented if b is NotImplemented else FeltArray(self.backend, self.backend.add(self.data, b))

    __radd__ = __add__

    def __sub__(self, other):
        if isinstance(other, int) and other % P == 0:
            return self
        b = self._operand(other)
        return NotImplemented if b is NotImplemented else FeltArray(self.backend, self.backend.sub(self.data, b))

    def __rsub__(self, other):
        b = self._operand(other)
        return NotImplemented if b is NotImplemented else FeltArray(self.backend, self.backend.sub(b, self.data))

    def __mul__(self, other):
        if isinstance(other, int):
            return FeltArray(self.backend, self.backend.scalar_mul(self.data, other % P))
        b = self._operand(other)
        return NotImplemented if b is NotImplemented else FeltArray(self.backend, self.backend.mul(self.data, b))

    __rmul__ = __mul__

    def __neg__(self):
        return 0 - self

    def __mod__(self, modulus: int):
        if modulus != P:
            raise ValueError("a FeltArray is reduced modulo P only")
        return self
