"""The native backend (offchain/prover/backend.py): the Rust core of native/ (Python module
`stark_native`, built by `make setup`), on lambdaworks-math's Montgomery Stark field with rayon.

Traces, coefficients, composition, DEEP and FRI layers stay in native column-major arrays
(`stark_native.Columns`); Python sees only roots, out-of-domain values and query rows. A segment
keeps coefficients and its Merkle tree, not its LDE: the LDE is produced one trace-sized coset at
a time, so memory grows with the trace, not with the blowup. Constraints are evaluated by a
program emitted from the AIR's Python `evaluate` (program.py) over row chunks; the composition
polynomial is evaluated on only as many cosets as it has parts (its degree is below
n_parts·n), and DEEP is formed on coefficients (its quotients are exact) then extended once.
"""
from __future__ import annotations

from offchain.prover.air import Air
from offchain.prover.errors import TraceError
from offchain.prover.field import P

try:
    import stark_native
except ImportError:  # not built: offchain.prover.backend falls back to the reference
    stark_native = None


def available() -> bool:
    return stark_native is not None


def words(values) -> bytes:
    """Field elements (ints) as 32-byte big-endian words."""
    return b"".join((v % P).to_bytes(32, "big") for v in values)


def ints(data: bytes) -> list[int]:
    return [int.from_bytes(data[i:i + 32], "big") for i in range(0, len(data), 32)]


def from_ints(columns: list[list[int]]) -> "stark_native.Columns":
    return stark_native.Columns.from_words([words(c) for c in columns])


def to_ints(columns: "stark_native.Columns") -> list[list[int]]:
    return [ints(c) for c in columns.words()]


class Segment:
    def __init__(self, inner: "stark_native.Segment"):
        self.inner = inner
        self.root = inner.root()
        self.width = inner.width

    def path(self, index: int) -> list[bytes]:
        return self.inner.path(index)

    def rows(self, indices: list[int]) -> list[list[int]]:
        return [ints(r) for r in self.inner.rows(indices)]


class FriLayer:
    def __init__(self, inner: "stark_native.FriLayer", folding: int):
        self.inner = inner
        self.folding = folding
        self.root = inner.root()
        self.size = inner.size

    def fold(self, shift: int, beta: int) -> "stark_native.Columns":
        return self.inner.fold(words([shift]), words([beta]))

    def decommit(self, j: int) -> tuple[list[int], list[bytes]]:
        values, path = self.inner.decommit(j)
        return ints(values), path


def _row_set(rows, n: int) -> tuple[int, int, list[int], int, list[int]]:
    step, offset, exclude, period, skip = rows.resolved(n)
    return step, offset, list(exclude), period, list(skip)


class NativeBackend:
    name = "native"

    def __init__(self):
        if stark_native is None:
            raise RuntimeError("the native prover core is not built: run `make setup`")

    def columns(self, trace, width: int, n: int, take: bool = False) -> "stark_native.Columns":
        if take and isinstance(trace, stark_native.Columns):
            trace = trace.take()
        if not isinstance(trace, stark_native.Columns):
            if len(trace) != width or any(len(c) != n for c in trace):
                raise ValueError(f"trace must be {width} columns of {n} rows")
            trace = from_ints(trace)
        if trace.width != width or trace.length != n:
            raise ValueError(f"trace must be {width} columns of {n} rows")
        return trace

    def commit(self, columns: "stark_native.Columns", blowup: int, interpolated: bool = False) -> Segment:
        make = stark_native.Segment.from_coefficients if interpolated else stark_native.Segment.from_evaluations
        return Segment(make(columns, blowup))

    def aux_columns(self, air: Air, main: "stark_native.Columns", challenges: list[int]) -> "stark_native.Columns":
        native_builder = getattr(air, "native_aux_trace", None)
        if native_builder is not None:
            aux = native_builder(main, challenges)
        else:
            aux = air.build_aux_trace(to_ints(main), challenges)
        return self.columns(aux, air.aux_width, air.trace_length)

    def _program(self, air: Air, challenges: list[int], check: bool):
        from offchain.prover.native.program import constraint_program

        program, degrees = constraint_program(air, challenges)
        if check:
            for c, d in zip(air.constraints(), degrees):
                if d > c.degree:
                    raise TraceError(f"composition polynomial exceeds its degree bound: constraint {c.name!r} "
                                     f"has degree {d}, declared {c.degree}")
        return program

    def check(self, air: Air, columns: list, challenges: list[int]) -> None:
        program = self._program(air, challenges, check=True)
        n = air.trace_length
        rows = [_row_set(c.rows, n) for c in air.constraints()]
        failure = stark_native.check(program, columns, [words(p) for p in air.periodic_columns()], rows)
        if failure is not None:
            k, row = failure
            raise TraceError(f"constraint {air.constraints()[k].name!r} fails at row {row}")

    def violations(self, air: Air, columns: list, challenges: list[int]) -> dict[str, int]:
        """Every constraint that fails on the trace (the columns' blocks, main then aux), with the
        lowest row where it does."""
        program = self._program(air, challenges, check=False)
        n = air.trace_length
        rows = [_row_set(c.rows, n) for c in air.constraints()]
        found = stark_native.violations(program, columns, [words(p) for p in air.periodic_columns()], rows)
        return {c.name: row for c, row in zip(air.constraints(), found) if row is not None}

    def composition_parts(self, air: Air, segments: list[Segment], challenges: list[int], alpha: int,
                          check: bool) -> "stark_native.Columns":
        n = air.trace_length
        program = self._program(air, challenges, check)
        group_rows: list[tuple] = []
        group_of = []
        for c in air.constraints():
            key = _row_set(c.rows, n)
            if key not in group_rows:
                group_rows.append(key)
            group_of.append(group_rows.index(key))
        alpha_powers = words(pow(alpha, k, P) for k in range(len(group_of)))
        n_parts = air.n_composition_parts()
        # Evaluate on a power of two of cosets; the parts past n_parts are zero for a sound AIR.
        evaluated = 1 << (n_parts - 1).bit_length()
        parts = stark_native.composition_parts(program, [s.inner for s in segments],
                                               [words(p) for p in air.periodic_columns()],
                                               group_rows, group_of, alpha_powers, evaluated)
        if evaluated == n_parts:
            return parts
        data = parts.words()
        if check and any(any(w) for w in data[n_parts:]):
            raise TraceError("composition polynomial exceeds its degree bound: a constraint degree is declared too low")
        return stark_native.Columns.from_words(data[:n_parts])

    def evaluate(self, segments: list[Segment], at: list[tuple[int, int]]) -> list[int]:
        return ints(stark_native.evaluate_at([s.inner for s in segments], [(c, words([x])) for c, x in at]))

    def deep(self, segments: list[Segment], groups: list, blowup: int) -> "stark_native.Columns":
        # The out-of-domain values are the columns' own values at the points, so the native core
        # divides exactly on coefficients and does not need them.
        spec = [(words([point]), [(c, words([w])) for c, w, _ in terms]) for point, terms in groups]
        return stark_native.deep_values([s.inner for s in segments], spec, blowup)

    def fri_layer(self, values: "stark_native.Columns", folding: int) -> FriLayer:
        return FriLayer(stark_native.FriLayer(values, folding), folding)

    def interpolate(self, values: "stark_native.Columns", shift: int) -> list[int]:
        return ints(stark_native.interpolate_coset(values, words([shift])))

    def grind(self, state: bytes, bits: int) -> int:
        return stark_native.grind(state, bits)
