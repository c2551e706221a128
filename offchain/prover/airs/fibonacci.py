"""Fibonacci over F_P: two columns (a, b), each row advances two terms.

Row i holds (F_{2i}, F_{2i+1}) of the sequence starting at the public (a_0, b_0); the public
result is b on the last row. Transitions: a' = a + b, b' = b + a' = a + 2b.
Public inputs: [a_0, b_0, result].
"""
from offchain.prover.air import Air, Constraint, RowSet
from offchain.prover.field import P


class FibonacciAir(Air):
    main_width = 2

    def __init__(self, trace_length: int, public_inputs: list[int]):
        super().__init__(trace_length, public_inputs)
        if len(public_inputs) != 3:
            raise ValueError("Fibonacci public inputs are [a_0, b_0, result]")
        self.first, self.second, self.result = public_inputs

    def constraints(self) -> list[Constraint]:
        return [
            Constraint("a next", 1, RowSet.all_but_last()),
            Constraint("b next", 1, RowSet.all_but_last()),
            Constraint("a first", 1, RowSet.single(0)),
            Constraint("b first", 1, RowSet.single(0)),
            Constraint("result", 1, RowSet.single(-1)),
        ]

    def evaluate(self, frame, periodic, challenges):
        a, b = frame.curr
        a_next, b_next = frame.next
        return [
            a_next - (a + b),
            b_next - (a + 2 * b),
            a - self.first,
            b - self.second,
            b - self.result,
        ]


def fibonacci_trace(trace_length: int, first: int = 1, second: int = 1) -> list[list[int]]:
    a, b = first % P, second % P
    col_a, col_b = [], []
    for _ in range(trace_length):
        col_a.append(a)
        col_b.append(b)
        a = (a + b) % P
        b = (a + b) % P
    return [col_a, col_b]


def fibonacci_public_inputs(trace: list[list[int]], first: int = 1, second: int = 1) -> list[int]:
    return [first % P, second % P, trace[1][-1]]
