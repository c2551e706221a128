"""The reference backend (offchain/prover/backend.py): every phase on Python ints and numpy object
arrays, written to be read. The native core must give the same proof bytes; tests compare them."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from offchain.prover import fri, kernels
from offchain.prover.air import Air, Frame
from offchain.prover.channel import Channel
from offchain.prover.composition import domain_points, periodic_on_lde, vanishing_inverse_on_lde
from offchain.prover.errors import TraceError
from offchain.prover.field import COSET_SHIFT, P, powers
from offchain.prover.merkle import MerkleTree
from offchain.prover.poly import evaluate


@dataclass
class Segment:
    """One committed block of columns: their coefficients, LDE and Merkle tree."""

    coeffs: list[list[int]]
    lde: list[np.ndarray]
    tree: MerkleTree

    @property
    def root(self) -> bytes:
        return self.tree.root

    @property
    def width(self) -> int:
        return len(self.coeffs)

    def path(self, index: int) -> list[bytes]:
        return self.tree.path(index)

    def rows(self, indices: list[int]) -> list[list[int]]:
        return [[int(col[q]) for col in self.lde] for q in indices]


@dataclass
class FriLayer:
    values: np.ndarray
    folding: int
    tree: MerkleTree

    @property
    def root(self) -> bytes:
        return self.tree.root

    @property
    def size(self) -> int:
        return len(self.values)

    def fold(self, shift: int, beta: int) -> np.ndarray:
        return fri.fold_layer(self.values, shift, beta, self.folding)

    def decommit(self, j: int) -> tuple[list[int], list[bytes]]:
        m = len(self.values) // self.folding
        return [int(self.values[j + t * m]) for t in range(self.folding)], self.tree.path(j)


def _frame(air: Air, columns: list, stride: int) -> Frame:
    """Rows at each mask offset: column c at offset o is column c shifted by o rows (stride
    points per row)."""
    return Frame({o: [np.roll(col, -o * stride) if o in air.column_offsets(c) else None for c, col in enumerate(columns)]
                  for o in air.offsets})


class ReferenceBackend:
    name = "reference"

    def columns(self, trace, width: int, n: int, take: bool = False) -> list[list[int]]:
        # take: the copy below already leaves the caller's lists alone.
        if len(trace) != width or any(len(c) != n for c in trace):
            raise ValueError(f"trace must be {width} columns of {n} rows")
        return [[v % P for v in col] for col in trace]

    def commit(self, columns: list[list[int]], blowup: int, interpolated: bool = False) -> Segment:
        coeffs = columns if interpolated else [kernels.intt(c) for c in columns]
        lde = [kernels.coset_lde(c, blowup, COSET_SHIFT) for c in coeffs]
        return Segment(coeffs, [np.array(c, dtype=object) for c in lde], MerkleTree.from_columns(lde))

    def aux_columns(self, air: Air, main: list[list[int]], challenges: list[int]) -> list[list[int]]:
        return self.columns(air.build_aux_trace(main, challenges), air.aux_width, air.trace_length)

    def check(self, air: Air, columns: list[list[list[int]]], challenges: list[int]) -> None:
        n = air.trace_length
        arrays = [np.array(c, dtype=object) for block in columns for c in block]
        periodic = [np.array([col[i % len(col)] for i in range(n)], dtype=object) for col in air.periodic_columns()]
        numerators = air.evaluate(_frame(air, arrays, 1), periodic, challenges)
        for c, num in zip(air.constraints(), numerators):
            values = np.broadcast_to(np.asarray(num % P, dtype=object), (n,))
            for row in c.rows.rows(n):
                if values[row] != 0:
                    raise TraceError(f"constraint {c.name!r} fails at row {row}")

    def composition_parts(self, air: Air, segments: list[Segment], challenges: list[int], alpha: int,
                          check: bool) -> list[list[int]]:
        n = air.trace_length
        blowup = len(segments[0].lde[0]) // n
        columns = [col for seg in segments for col in seg.lde]
        periodic = periodic_on_lde(air.periodic_columns(), n, blowup, COSET_SHIFT)
        numerators = air.evaluate(_frame(air, columns, blowup), periodic, challenges)
        constraints = air.constraints()
        if len(numerators) != len(constraints):
            raise ValueError(f"evaluate returned {len(numerators)} values for {len(constraints)} constraints")
        # Constraints sharing a row set share a vanishing polynomial: combine their numerators
        # first, then divide once per row set.
        groups: dict[tuple, tuple] = {}
        for coeff, c, num in zip(powers(alpha, len(constraints)), constraints, numerators):
            key = c.rows.resolved(n)
            rows, acc = groups.get(key, (c.rows, 0))
            groups[key] = (rows, (acc + (num % P) * coeff) % P)
        total = np.zeros(n * blowup, dtype=object)
        for rows, combined in groups.values():
            total = (total + combined * vanishing_inverse_on_lde(rows, n, blowup, COSET_SHIFT)) % P
        coeffs = kernels.coset_intt(total.tolist(), COSET_SHIFT)
        n_parts = air.n_composition_parts()
        if check and any(coeffs[n_parts * n:]):
            raise TraceError("composition polynomial exceeds its degree bound: a constraint degree is declared too low")
        return [coeffs[i * n:(i + 1) * n] for i in range(n_parts)]

    def evaluate(self, segments: list[Segment], at: list[tuple[int, int]]) -> list[int]:
        coeffs = [c for seg in segments for c in seg.coeffs]
        return [evaluate(coeffs[c], x) for c, x in at]

    def deep(self, segments: list[Segment], groups: list[tuple[int, list[tuple[int, int, int]]]],
             blowup: int) -> np.ndarray:
        """DEEP(x) = Σ_groups (Σ_t w_t·f_t(x) − Σ_t w_t·v_t) / (x − point), pointwise."""
        columns = [col for seg in segments for col in seg.lde]
        xs = domain_points(len(columns[0]), COSET_SHIFT)
        total = 0
        for point, terms in groups:
            numerator, constant = 0, 0
            for column, weight, value in terms:
                numerator = numerator + columns[column] * weight
                constant += value * weight
            denominators = np.array(kernels.batch_inverse(((xs - point) % P).tolist()), dtype=object)
            total = (total + (numerator - constant) % P * denominators) % P
        return total

    def fri_layer(self, values, folding: int) -> FriLayer:
        values = np.asarray(values, dtype=object)
        m = len(values) // folding
        tree = MerkleTree.from_columns([values[t * m:(t + 1) * m].tolist() for t in range(folding)])
        return FriLayer(values, folding, tree)

    def interpolate(self, values, shift: int) -> list[int]:
        return kernels.coset_intt(np.asarray(values, dtype=object).tolist(), shift)

    def grind(self, state: bytes, bits: int) -> int:
        channel = Channel([])
        channel.state = state
        return channel.grind(bits)
