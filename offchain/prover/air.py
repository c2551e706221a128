"""The AIR interface: what a statement must define for the generic prover and verifier.

An AIR describes a trace of `trace_length` rows (a power of two, n) and the polynomial
constraints its rows satisfy. Subclass `Air` and define:

Shape (class attributes, or instance attributes set in `__init__` when they depend on the
public inputs; they must be fixed once the AIR is built)
- `main_width`: number of main trace columns, filled by the prover before any challenge.
- `aux_width` and `n_challenges` (optional interaction phase): after the main trace is
  committed, the verifier draws `n_challenges` random field elements; `build_aux_trace(main,
  challenges)` builds `aux_width` more columns from them (e.g. the running product of a
  permutation argument); they are committed separately. Columns are numbered main first
  (0 .. main_width-1), then aux (main_width .. main_width+aux_width-1).
- `offsets`: the row offsets the constraints read, e.g. (0, 1) for "this row and the next".
  Any small integers (negative too); rows wrap around cyclically (row n-1 + 1 is row 0), which
  is why a transition constraint usually excludes the last row(s).
- `column_offsets(column)`: optional mask, the subset of `offsets` at which `column` is read
  (default: all). The proof carries one out-of-domain value per (column, offset) pair of the
  mask, so a tight mask makes proofs smaller.
- `periodic_columns()`: optional public columns repeating with period m (a power of two
  dividing n): each a list of m values; value at row i is column[i % m]. Free for the
  prover (not committed); the verifier evaluates them itself.

Constraints
- `constraints()`: a list of `Constraint(name, degree, rows)`. `rows` (a `RowSet`) is where
  the constraint must hold: every `step`-th row starting at `offset` (step 1: every row; use
  `RowSet.single(r)` for one row, e.g. a boundary constraint) minus the rows in `exclude`
  (negative row numbers count from the end: -1 is the last row). `degree` bounds the
  numerator's degree in trace columns: a product of at most `degree` trace or periodic
  values (challenges and public constants count 0). The blowup must be >= the largest degree.
- `evaluate(frame, periodic, challenges)`: the numerators, one per constraint, in the order
  of `constraints()`. Each must be ZERO on every row of the constraint's RowSet. Boundary
  constraints are ordinary constraints here: `frame.curr[c] - value` on a single row.
  The same code runs on two kinds of values, so write it as arithmetic only:
    * in the verifier each value is an int (a field element at an out-of-domain point);
    * in the prover each value is a numpy object array over the whole evaluation domain.
  Use only +, -, * (and ** with a small constant exponent) between values, ints and each
  other; do not branch on values, do not call pow(x, e, P) or reduce modulo P yourself
  (the caller reduces the results). Constants depending on public inputs and challenges
  (e.g. the expected final value of a grand product) are computed with ordinary int code.
  `frame.row(o)[c]` is column c at row offset o (`frame.curr`, `frame.next` for 0, 1); columns
  outside their mask at that offset are None. `periodic[k]` is periodic column k.

How the prover and verifier use it (see prover.py / verifier.py)
- Composition: C(x) = sum_k alpha^k N_k(x) / Z_k(x), Z_k the vanishing polynomial of the row
  set of constraint k; C is split into `n_composition_parts()` polynomials of degree < n.
  Declared degrees must be upper bounds: with check=True the prover raises TraceError if the
  composition exceeds the bound derived from them (or if a constraint fails on some row).
- Out of domain: the proof gives every (column, offset) of `mask()` at z * g^offset (g the
  trace domain generator); the verifier calls `evaluate` once on those ints, with periodic
  columns evaluated at z and the same challenges, and compares with the composition parts.
- `trace_length` rows wrap around: row offsets are taken modulo n.

Public inputs
- The AIR is built as `MyAir(trace_length, public_inputs)`; `public_inputs` is a list of field
  elements (ints in [0, P)), stated in the proof and absorbed first by the channel. Parse and
  validate them in `__init__` and raise ValueError if they are malformed.
"""
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar, Sequence

from offchain.prover.field import P, is_power_of_two


@dataclass(frozen=True)
class RowSet:
    """Rows i (0 <= i < n) with i % step == offset, minus `exclude`, minus every row whose
    residue modulo `period` is in `skip` (for components laid out in blocks of `period` rows:
    "every row but the last four of each 256-row block" is RowSet(period=256, skip=(252, 253,
    254, 255))). step 0 means one row."""

    step: int = 1
    offset: int = 0
    exclude: tuple[int, ...] = ()
    period: int = 0
    skip: tuple[int, ...] = ()

    @classmethod
    def single(cls, row: int) -> "RowSet":
        return cls(step=0, offset=row)

    @classmethod
    def all_but_last(cls, count: int = 1) -> "RowSet":
        return cls(step=1, offset=0, exclude=tuple(-k for k in range(1, count + 1)))

    def resolved(self, n: int) -> tuple[int, int, tuple[int, ...], int, tuple[int, ...]]:
        """(step, offset, sorted excluded rows, period, sorted skipped residues) with negative
        rows and step 0 made concrete; period is 0 when nothing is skipped."""
        step = n if self.step == 0 else self.step
        if not (is_power_of_two(step) and step <= n):
            raise ValueError(f"row step {self.step} does not divide trace length {n}")
        offset = self.offset % n if self.step == 0 else self.offset
        if not 0 <= offset < step:
            raise ValueError(f"row offset {self.offset} not in [0, {step})")
        exclude = tuple(sorted({r % n for r in self.exclude}))
        for r in exclude:
            if r % step != offset:
                raise ValueError(f"excluded row {r} is not in the row set")
        period, skip = self.period, tuple(sorted(set(self.skip)))
        if skip or period:
            if not (is_power_of_two(period) and step <= period <= n and period % step == 0):
                raise ValueError(f"skip period {period} is not a power of two between the step {step} and {n}")
            if len(skip) != len(self.skip) or any(not 0 <= r < period or r % step != offset for r in skip):
                raise ValueError(f"skipped residues {self.skip} are not distinct rows of the set within {period}")
            if any(r % period in skip for r in exclude):
                raise ValueError("an excluded row is also skipped")
        else:
            period = 0
        if len(exclude) + (len(skip) * (n // period) if skip else 0) >= n // step:
            raise ValueError("a row set leaves out all its rows")
        return step, offset, exclude, period, skip

    def size(self, n: int) -> int:
        step, _, exclude, period, skip = self.resolved(n)
        return n // step - len(exclude) - (len(skip) * (n // period) if skip else 0)

    def rows(self, n: int) -> list[int]:
        step, offset, exclude, period, skip = self.resolved(n)
        left_out = set(exclude)
        return [r for r in range(offset, n, step) if r not in left_out and not (skip and r % period in skip)]


@dataclass(frozen=True)
class Constraint:
    name: str
    degree: int
    rows: RowSet = RowSet()


class Frame:
    """Column values at the row offsets of the AIR's mask, one row list per offset."""

    def __init__(self, rows: dict[int, list[Any]]):
        self._rows = rows

    def row(self, offset: int) -> list[Any]:
        return self._rows[offset]

    @property
    def curr(self) -> list[Any]:
        return self._rows[0]

    @property
    def next(self) -> list[Any]:
        return self._rows[1]


class Air(ABC):
    main_width: ClassVar[int]
    aux_width: ClassVar[int] = 0
    n_challenges: ClassVar[int] = 0
    offsets: ClassVar[tuple[int, ...]] = (0, 1)
    min_trace_length: ClassVar[int] = 8

    def __init__(self, trace_length: int, public_inputs: Sequence[int]):
        if not is_power_of_two(trace_length) or trace_length < self.min_trace_length:
            raise ValueError(f"trace length {trace_length} is not a power of two >= {self.min_trace_length}")
        if any(not 0 <= v < P for v in public_inputs):
            raise ValueError("public inputs must be field elements")
        self.trace_length = trace_length
        self.public_inputs = list(public_inputs)

    # --- shape ---------------------------------------------------------------------------
    @property
    def width(self) -> int:
        return self.main_width + self.aux_width

    def column_offsets(self, column: int) -> tuple[int, ...]:
        return self.offsets

    def periodic_columns(self) -> list[list[int]]:
        return []

    def mask(self) -> list[tuple[int, int]]:
        """(column, offset) pairs with an out-of-domain value in the proof, in proof order:
        offsets in the order of `offsets`, then columns in increasing order."""
        return [(c, o) for o in self.offsets for c in range(self.width) if o in self.column_offsets(c)]

    # --- constraints ---------------------------------------------------------------------
    @abstractmethod
    def constraints(self) -> list[Constraint]: ...

    @abstractmethod
    def evaluate(self, frame: Frame, periodic: list[Any], challenges: list[int]) -> list[Any]: ...

    def build_aux_trace(self, main: list[list[int]], challenges: list[int]) -> list[list[int]]:
        raise NotImplementedError("this AIR has no interaction phase")

    # --- derived quantities shared by prover and verifier ----------------------------------
    def max_degree(self) -> int:
        return max(c.degree for c in self.constraints())

    def composition_degree_bound(self) -> int:
        """An upper bound on deg(sum of numerator / vanishing polynomial) plus one."""
        n = self.trace_length
        return max(c.degree * (n - 1) - c.rows.size(n) for c in self.constraints()) + 1

    def n_composition_parts(self) -> int:
        n = self.trace_length
        return max(1, -(-self.composition_degree_bound() // n))
