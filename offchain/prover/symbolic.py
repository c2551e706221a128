"""Field expressions recorded by running ordinary arithmetic code on symbolic values.

A `Sym` supports +, -, * (and ** by a small int) with ints and other Syms; every operation
appends one node to the shared `Tape`, so running the Python constraint code once on Syms
yields a straight-line program (common subexpressions are shared by structure)."""
from __future__ import annotations

from dataclasses import dataclass, field

from offchain.prover.field import P


@dataclass
class Tape:
    nodes: list[tuple] = field(default_factory=list)  # (op, a, b): operands are ("t", k), ("in", name) or ("c", int)
    index: dict[tuple, int] = field(default_factory=dict)

    def node(self, op: str, a: tuple, b: tuple) -> "Sym":
        if op in ("add", "mul") and b < a:
            a, b = b, a
        key = (op, a, b)
        if key not in self.index:
            self.index[key] = len(self.nodes)
            self.nodes.append(key)
        return Sym(self, ("t", self.index[key]))

    def input(self, name: str) -> "Sym":
        return Sym(self, ("in", name))


def _operand(tape: Tape, v) -> tuple:
    if isinstance(v, Sym):
        return v.ref
    if isinstance(v, int):
        return ("c", v % P)
    raise TypeError(f"unsupported operand {v!r}")


@dataclass(frozen=True)
class Sym:
    tape: Tape
    ref: tuple

    def _bin(self, op: str, a, b) -> "Sym":
        return self.tape.node(op, _operand(self.tape, a), _operand(self.tape, b))

    def __add__(self, o):
        return self._bin("add", self, o)

    def __radd__(self, o):
        return self._bin("add", o, self)

    def __sub__(self, o):
        return self._bin("sub", self, o)

    def __rsub__(self, o):
        return self._bin("sub", o, self)

    def __mul__(self, o):
        return self._bin("mul", self, o)

    def __rmul__(self, o):
        return self._bin("mul", o, self)

    def __pow__(self, e: int):
        if not isinstance(e, int) or e < 1:
            raise TypeError("only small positive integer powers")
        out = self
        for _ in range(e - 1):
            out = out * self
        return out

    def __mod__(self, _):
        raise TypeError("constraint code must not reduce modulo P itself")


def as_operand(v) -> tuple:
    """An evaluated numerator: a Sym, or a plain int when the code produced a constant."""
    return v.ref if isinstance(v, Sym) else ("c", int(v) % P)


@dataclass
class Recording:
    """An AIR's constraint numerators as one tape: inputs "m:i" (mask entry i of `air.mask()`)
    and "p:k" (periodic column k), with the AIR's public constants and the given challenges
    folded in as constants."""

    tape: Tape
    numerators: list[tuple]  # operands, one per constraint

    def degrees(self) -> list[int]:
        """Each numerator's degree in trace and periodic values (a product of d of them: d),
        an upper bound the declared Constraint.degree must meet."""
        node_degree: list[int] = []

        def degree(ref: tuple) -> int:
            kind, v = ref
            return node_degree[v] if kind == "t" else (1 if kind == "in" else 0)

        for op, a, b in self.tape.nodes:
            da, db = degree(a), degree(b)
            node_degree.append(da + db if op == "mul" else max(da, db))
        return [degree(ref) for ref in self.numerators]


def record(air, challenges: list) -> Recording:
    """Runs `air.evaluate` once on symbols (see offchain/prover/air.py for the rules it follows)."""
    from offchain.prover.air import Frame

    tape = Tape()
    rows: dict[int, list] = {o: [None] * air.width for o in air.offsets}
    for i, (c, o) in enumerate(air.mask()):
        rows[o][c] = tape.input(f"m:{i}")
    periodic = [tape.input(f"p:{k}") for k in range(len(air.periodic_columns()))]
    numerators = air.evaluate(Frame(rows), periodic, challenges)
    if len(numerators) != len(air.constraints()):
        raise ValueError(f"evaluate returned {len(numerators)} values for {len(air.constraints())} constraints")
    return Recording(tape, [as_operand(v) for v in numerators])
