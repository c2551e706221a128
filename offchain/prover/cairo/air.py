"""CairoAir: the Cairo CPU AIR in the shape of the generic interface (offchain/prover/air.py)."""
from __future__ import annotations

from typing import Any, Sequence

from offchain.prover.air import Air, Constraint, Frame
from offchain.prover.cairo import constraints as C
from offchain.prover.cairo import layout as L
from offchain.prover.cairo.layout import CairoLayout
from offchain.prover.cairo.statement import CairoStatement
from offchain.prover.cairo.trace import CairoTrace, build_aux_columns

MEMORY_Z, MEMORY_ALPHA, RC_Z = range(3)


class CairoAir(Air):
    """Public inputs: CairoStatement.to_field_elements(). The width depends on the statement
    (its number of range-check fill columns), so it is set per instance. Raises
    statement.StatementError (a ValueError) for a statement that breaks a rule."""

    n_challenges = 3
    offsets = tuple(range(L.RC_BUILTIN_RATIO + 1))
    min_trace_length = 16

    def __init__(self, trace_length: int, public_inputs: Sequence[int]):
        super().__init__(trace_length, public_inputs)
        self.statement = CairoStatement.from_field_elements(list(public_inputs))
        self.statement.check(trace_length)
        self.layout = CairoLayout(self.statement.n_rc_fill)
        self.main_width = self.layout.main_width
        self.aux_width = self.layout.aux_width
        self._mask = C.column_offsets(self.layout)
        self._constraints = C.constraint_list(self.layout, trace_length)
        self._context: tuple[tuple[int, ...], C.Context] | None = None

    @classmethod
    def for_trace(cls, trace: CairoTrace) -> "CairoAir":
        return cls(trace.trace_length, trace.statement.to_field_elements())

    def column_offsets(self, column: int) -> tuple[int, ...]:
        return self._mask.get(column, (0,))

    def constraints(self) -> list[Constraint]:
        return self._constraints

    def context(self, challenges: list[int]) -> C.Context:
        key = tuple(challenges)
        if self._context is None or self._context[0] != key:
            final = self.statement.public_memory_product(challenges[MEMORY_Z], challenges[MEMORY_ALPHA])
            self._context = (key, C.Context(self.layout, self.statement.air_constants(), final))
        return self._context[1]

    def evaluate(self, frame: Frame, periodic: list[Any], challenges: list[int]) -> list[Any]:
        return C.evaluate(frame, challenges, self.context(challenges))

    def build_aux_trace(self, main: list[list[int]], challenges: list[int]) -> list[list[int]]:
        return build_aux_columns(self.layout, main, challenges)

    def native_aux_trace(self, main, challenges: list[int]):
        """build_aux_trace on the native backend's columns (offchain/prover/native/cairo.py)."""
        from offchain.prover.native.cairo import aux_trace

        return aux_trace(self.layout, main, challenges)
