"""A toy read-only memory, in the shape of the Cairo memory argument: it exercises the
interaction phase (two challenges, a grand-product column), constraints over several row
offsets (0, 1, 4), a row set with a step, and a periodic column.

Main columns: 0 addr, 1 value (the access log, in access order); 2 sorted_addr, 3 sorted_value
(the same accesses sorted by address). Public inputs: [base], the first accessed address.
Statement: the sorted copy is a permutation of the log (grand product with challenges z, alpha:
prod (z - (addr + alpha*value)) = prod (z - (sorted_addr + alpha*sorted_value))), sorted
addresses are contiguous (steps of 0 or 1) and each address has a single value (so the log is
a consistent read-only memory); every 4th access (rows 4j) reads address base + j.
Aux column: 4 p, p_i = prod_{j<=i} (z - (addr_j + alpha value_j)) / (z - (sorted_addr_j + alpha sorted_value_j)).
Periodic column: [1, 0, 0, 0], the address step between consecutive rows 4j (one per block).
"""
from offchain.prover.air import Air, Constraint, RowSet
from offchain.prover.field import P, batch_inverse

ADDR, VALUE, SORTED_ADDR, SORTED_VALUE, PRODUCT = range(5)


class MemoryAir(Air):
    main_width = 4
    aux_width = 1
    n_challenges = 2
    offsets = (0, 1, 4)

    def __init__(self, trace_length: int, public_inputs: list[int]):
        super().__init__(trace_length, public_inputs)
        if len(public_inputs) != 1:
            raise ValueError("memory public inputs are [base]")
        self.base = public_inputs[0]

    def column_offsets(self, column: int) -> tuple[int, ...]:
        return (0, 1, 4) if column == ADDR else (0, 1)

    def periodic_columns(self) -> list[list[int]]:
        return [[1, 0, 0, 0]]

    def constraints(self) -> list[Constraint]:
        return [
            Constraint("memory continuity", 2, RowSet.all_but_last()),
            Constraint("memory single value", 2, RowSet.all_but_last()),
            Constraint("block address step", 1, RowSet(step=4, offset=0, exclude=(-4,))),
            Constraint("first address", 1, RowSet.single(0)),
            Constraint("product first", 2, RowSet.single(0)),
            Constraint("product step", 2, RowSet.all_but_last()),
            Constraint("product last", 1, RowSet.single(-1)),
        ]

    def evaluate(self, frame, periodic, challenges):
        z, alpha = challenges
        cur, nxt = frame.curr, frame.next
        a, v, sa, sv, p = cur
        a1, v1, sa1, sv1, p1 = nxt
        a4 = frame.row(4)[ADDR]
        (step,) = periodic
        return [
            (sa1 - sa) * (sa1 - sa - 1),
            (sv1 - sv) * (sa1 - sa - 1),
            a4 - a - step,
            a - self.base,
            p * (z - (sa + alpha * sv)) - (z - (a + alpha * v)),
            p1 * (z - (sa1 + alpha * sv1)) - p * (z - (a1 + alpha * v1)),
            p - 1,
        ]

    def build_aux_trace(self, main, challenges):
        z, alpha = challenges
        a, v, sa, sv = main
        n = len(a)
        denominators = batch_inverse([(z - (sa[i] + alpha * sv[i])) % P for i in range(n)])
        product, acc = [0] * n, 1
        for i in range(n):
            acc = acc * (z - (a[i] + alpha * v[i])) % P * denominators[i] % P
            product[i] = acc
        return [product]


def memory_trace(trace_length: int, base: int = 100, seed: int = 1) -> list[list[int]]:
    """Rows 4j read base + j; the other rows read earlier-or-later addresses of the same range."""
    import random

    rng = random.Random(seed)
    blocks = trace_length // 4
    memory = {base + j: rng.randrange(P) for j in range(blocks)}
    addr = [base + i // 4 if i % 4 == 0 else base + rng.randrange(blocks) for i in range(trace_length)]
    value = [memory[x] for x in addr]
    accesses = sorted(zip(addr, value))
    return [addr, value, [x for x, _ in accesses], [y for _, y in accesses]]
