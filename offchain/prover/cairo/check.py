"""The direct checker: every constraint on every row of a full Cairo trace, with Python ints."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from offchain.prover.air import Frame
from offchain.prover.field import P
from offchain.prover.cairo.air import CairoAir
from offchain.prover.cairo.statement import CairoStatement, Programs, StatementError
from offchain.prover.cairo.trace import CairoTrace


@dataclass(frozen=True)
class Violation:
    constraint: str
    row: int


class ConstraintViolation(AssertionError):
    def __init__(self, violations: list[Violation]):
        first = violations[0]
        super().__init__(f"constraint {first.constraint!r} fails at row {first.row} ({len(violations)} failures)")
        self.violations = violations


def violations(columns: list[list[int]], statement: CairoStatement, challenges: list[int]) -> list[Violation]:
    """All (constraint, row) pairs that fail, ordered by row then constraint; a statement that
    breaks a rule is one violation, "statement: <RULE>: ...", at row -1. `columns` are the main
    then the aux columns."""
    n = len(columns[0])
    try:
        statement.check(n)
    except StatementError as e:
        return [Violation(f"statement: {e}", -1)]
    air = CairoAir.knowing(Programs([statement.program()] if statement.program_code else []))(
        n, statement.to_field_elements())
    if len(columns) != air.width:
        raise ValueError(f"expected {air.width} columns, got {len(columns)}")
    arrays = [np.array(c, dtype=object) for c in columns]
    # Row i of offset o is row (i + o) mod n, as the AIR's cyclic domain.
    rows = {o: [np.roll(a, -o) for a in arrays] for o in air.offsets}
    periodic = [np.array([col[i % len(col)] for i in range(n)], dtype=object) for col in air.periodic_columns()]
    numerators = air.evaluate(Frame(rows), periodic, challenges)
    found = []
    for constraint, numerator in zip(air.constraints(), numerators):
        values = np.broadcast_to(np.asarray(numerator, dtype=object) % P, (n,))
        found += [Violation(constraint.name, r) for r in constraint.rows.rows(n) if values[r] != 0]
    order = {c.name: k for k, c in enumerate(air.constraints())}
    return sorted(found, key=lambda v: (v.row, order[v.constraint]))


def check_trace(trace: CairoTrace, challenges: list[int], aux: list[list[int]] | None = None,
                statement: CairoStatement | None = None) -> None:
    """Raises ConstraintViolation naming the first violated constraint and its row. The aux
    columns are built from the challenges unless given (to check tampered aux columns)."""
    statement = statement or trace.statement
    if aux is None:
        aux = CairoAir.for_trace(trace).build_aux_trace(trace.main, challenges)
    found = violations(trace.main + aux, statement, challenges)
    if found:
        raise ConstraintViolation(found)
