"""CairoAir: the Cairo CPU AIR with its builtin lanes, in the shape of the generic interface
(offchain/prover/air.py).

The mask is the components' cells (constraints.COMPONENTS), component by component and instance
by instance, so a component instance's cells are one contiguous run of the out-of-domain values
whose position is affine in the instance number: the Solidity AIR evaluates each component
with one piece of code in a loop (tools/stark_codegen/cairo_air.py)."""
from __future__ import annotations

from typing import Any, Sequence

from offchain.prover.air import Air, Constraint, Frame
from offchain.prover.cairo import constraints as C
from offchain.prover.cairo.statement import CairoStatement, Programs
from offchain.prover.cairo.trace import CairoTrace, build_aux_columns

MEMORY_Z, MEMORY_ALPHA, RC_Z = range(3)


class CairoAir(Air):
    """Public inputs: CairoStatement.to_field_elements(). The widths and the mask depend on the
    statement's counts (range-check fill columns, pedersen and ecdsa lanes), so they are set per
    instance. Raises statement.StatementError (a ValueError) for a statement that breaks a rule."""

    n_challenges = 3
    min_trace_length = 16
    programs: Programs = Programs()  # the programs this AIR accepts (by code hash): see knowing()

    def __init__(self, trace_length: int, public_inputs: Sequence[int]):
        super().__init__(trace_length, public_inputs)
        self.statement = CairoStatement.from_field_elements(list(public_inputs), self.programs)
        self.statement.check(trace_length)
        self.layout = self.statement.layout_of()
        self.main_width = self.layout.main_width
        self.aux_width = self.layout.aux_width
        lay = self.layout
        self._mask: list[tuple[int, int]] = []
        # (component, instance) -> {cell name: mask index}
        self.cells: dict[tuple[str, int], dict[str, int]] = {}
        for comp in C.COMPONENTS:
            for i in range(comp.instances(lay)):
                own = self.cells[(comp.name, i)] = {}
                for name, column, offset in comp.cells(lay, i):
                    own[name] = len(self._mask)
                    self._mask.append((column, offset))
        if len(set(self._mask)) != len(self._mask):
            raise AssertionError("two component cells share a mask entry")
        self.offsets = tuple(sorted({o for _, o in self._mask}))
        self._column_offsets: dict[int, set[int]] = {}
        for c, o in self._mask:
            self._column_offsets.setdefault(c, set()).add(o)
        self._constraints = []
        for comp in C.COMPONENTS:
            template = comp.constraints(lay, trace_length)
            for i in range(comp.first_constrained, comp.instances(lay)):
                prefix = "" if comp.name == "cpu" else f"{comp.name}_{i}/"
                self._constraints += [Constraint(prefix + c.name, c.degree, c.rows) for c in template]
        self._context: tuple[tuple[int, ...], C.Context] | None = None

    @classmethod
    def knowing(cls, programs: Programs) -> type["CairoAir"]:
        """The Cairo AIR class that accepts these programs (what a verifier is given)."""
        return type(cls.__name__, (cls,), {"programs": programs})

    @classmethod
    def for_trace(cls, trace: CairoTrace) -> "CairoAir":
        return cls.knowing(Programs([trace.statement.program()]))(trace.trace_length, trace.statement.to_field_elements())

    def mask(self) -> list[tuple[int, int]]:
        return self._mask

    def column_offsets(self, column: int) -> tuple[int, ...]:
        return tuple(sorted(self._column_offsets.get(column, ())))

    def periodic_columns(self) -> list[list[int]]:
        return C.pedersen_periodic_columns() if self.layout.n_pedersen_lanes else []

    def constraints(self) -> list[Constraint]:
        return self._constraints

    def memory_final(self, challenges: list[int]) -> int:
        key = tuple(challenges)
        if self._context is None or self._context[0] != key:
            self._context = (key, self.statement.public_memory_product(challenges[MEMORY_Z], challenges[MEMORY_ALPHA]))
        return self._context[1]

    def evaluate(self, frame: Frame, periodic: list[Any], challenges: list[int]) -> list[Any]:
        ctx = C.Context(self.layout, self.statement.air_constants(), self.memory_final(challenges), list(challenges),
                        list(periodic))
        mask = self._mask

        def reader(component: str, i: int):
            def read(name: str, which: int | str = 0, other: str | None = None):
                if isinstance(which, str):
                    comp = other
                    count = C.COMPONENT[comp].instances(self.layout)
                    index = self.cells[(comp, 0 if which == "first" else count - 1)][name]
                else:
                    index = self.cells[(component, i + which)][name]
                column, offset = mask[index]
                return frame.row(offset)[column]
            return read

        out: list[Any] = []
        for comp in C.COMPONENTS:
            for i in range(comp.first_constrained, comp.instances(self.layout)):
                out += comp.evaluate(reader(comp.name, i), i, ctx)
        return out

    def build_aux_trace(self, main: list[list[int]], challenges: list[int]) -> list[list[int]]:
        return build_aux_columns(self.layout, main, challenges)

    def native_aux_trace(self, main, challenges: list[int]):
        """build_aux_trace on the native backend's columns (offchain/prover/native/cairo.py)."""
        from offchain.prover.native.cairo import aux_trace

        return aux_trace(self.layout, main, challenges)
