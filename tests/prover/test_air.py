"""The AIR building blocks: row sets, vanishing polynomials, periodic columns, and an AIR with
a negative row offset and a degree-3 constraint end to end."""
import random

import pytest

from offchain.prover import ProofError, prove, verify
from offchain.prover.air import Air, Constraint, RowSet
from offchain.prover.composition import periodic_at, periodic_on_lde, vanishing_at, vanishing_inverse_on_lde
from offchain.prover.field import GENERATOR, P, inv, root_of_unity
from offchain.prover.params import ProofParams
from offchain.prover.prover import TraceError

rng = random.Random(11)
N_ROWS = 16
G = root_of_unity(4)


@pytest.mark.parametrize("rows,expected", [
    (RowSet(), list(range(16))),
    (RowSet.all_but_last(), list(range(15))),
    (RowSet.all_but_last(2), list(range(14))),
    (RowSet.single(0), [0]),
    (RowSet.single(-1), [15]),
    (RowSet(step=4, offset=1), [1, 5, 9, 13]),
    (RowSet(step=4, offset=0, exclude=(-4,)), [0, 4, 8]),
    (RowSet(period=8, skip=(6, 7)), [0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13]),
    (RowSet(step=2, offset=1, period=8, skip=(5,), exclude=(-1,)), [1, 3, 7, 9, 11]),
])
def test_row_sets_and_their_vanishing_polynomials(rows, expected):
    assert rows.rows(N_ROWS) == expected
    assert rows.size(N_ROWS) == len(expected)
    _, _, excluded, period, skip = rows.resolved(N_ROWS)
    for i in range(N_ROWS):
        if i not in excluded and not (skip and i % period in skip):  # Z is 0/0 there as a fraction; never evaluated on the trace domain
            assert (vanishing_at(rows, N_ROWS, pow(G, i, P)) == 0) == (i in expected)
    x = rng.randrange(P)
    direct = 1
    for i in expected:
        direct = direct * (x - pow(G, i, P)) % P
    assert vanishing_at(rows, N_ROWS, x) == direct
    blowup = 4
    lde = vanishing_inverse_on_lde(rows, N_ROWS, blowup, GENERATOR)
    w = root_of_unity(6)
    for j in (0, 1, 17, 63):
        assert lde[j] == inv(vanishing_at(rows, N_ROWS, GENERATOR * pow(w, j, P) % P))


@pytest.mark.parametrize("bad", [RowSet(step=3), RowSet(step=4, offset=4), RowSet(step=4, offset=1, exclude=(2,)),
                                 RowSet(step=0, offset=3, exclude=(3,)), RowSet(period=8, skip=(8,)),
                                 RowSet(step=2, period=8, skip=(3,)), RowSet(period=6, skip=(1,)),
                                 RowSet(period=32, skip=(1,)), RowSet(period=8, skip=(1,), exclude=(9,)),
                                 RowSet(period=2, skip=(0, 1))])
def test_malformed_row_sets(bad):
    with pytest.raises(ValueError):
        bad.resolved(N_ROWS)


def test_periodic_columns_on_lde_and_at_a_point():
    columns = [[rng.randrange(P) for _ in range(m)] for m in (1, 2, 8, 16)]
    blowup = 2
    lde = periodic_on_lde(columns, N_ROWS, blowup, GENERATOR)
    w = root_of_unity(5)
    for j in (0, 3, 31):
        x = GENERATOR * pow(w, j, P) % P
        assert [int(c[j]) for c in lde] == periodic_at(columns, N_ROWS, x)
    for i in range(N_ROWS):
        assert periodic_at(columns, N_ROWS, pow(G, i, P)) == [c[i % len(c)] for c in columns]


class CubeAir(Air):
    """x_i = x_{i-1}^3 + k_i with k a periodic column: a negative offset and a degree-3 constraint."""

    main_width = 1
    offsets = (-1, 0)

    def __init__(self, trace_length, public_inputs):
        super().__init__(trace_length, public_inputs)
        (self.start,) = public_inputs

    def periodic_columns(self):
        return [[1, 2, 3, 4]]

    def constraints(self):
        return [Constraint("cube", 3, RowSet(exclude=(0,))), Constraint("start", 1, RowSet.single(0))]

    def evaluate(self, frame, periodic, challenges):
        (prev,), (cur,) = frame.row(-1), frame.row(0)
        return [cur - prev * prev * prev - periodic[0], cur - self.start]


def cube_trace(n, start=5):
    col = [start]
    for i in range(1, n):
        col.append((pow(col[-1], 3, P) + [1, 2, 3, 4][i % 4]) % P)
    return [col]


def test_negative_offset_degree_three_air():
    params = ProofParams(blowup=4, n_queries=8, grinding_bits=2, last_layer_degree_bound=2)
    air = CubeAir(32, [5])
    assert air.n_composition_parts() == 2  # 3(n-1) - (n-1) < 2n
    data = prove(air, cube_trace(32), params).to_bytes()
    assert verify(data, CubeAir, min_security_bits=params.security_bits).start == 5
    bad = cube_trace(32)
    bad[0][9] += 1
    with pytest.raises(TraceError, match="cube"):
        prove(air, bad, params)
    with pytest.raises(ProofError):
        verify(prove(air, bad, params, check=False).to_bytes(), CubeAir, min_security_bits=params.security_bits)
    with pytest.raises(ValueError, match="blowup"):
        prove(air, cube_trace(32), ProofParams(blowup=2, n_queries=8))


class BlockCounterAir(Air):
    """x counts 0..7 in every block of 8 rows: the step constraint skips the last row of each
    block (a skipped residue), the reset holds on the first (a step-8 row set)."""

    main_width = 1

    def constraints(self):
        return [Constraint("count", 1, RowSet(period=8, skip=(7,))), Constraint("reset", 1, RowSet(step=8))]

    def evaluate(self, frame, periodic, challenges):
        return [frame.next[0] - frame.curr[0] - 1, frame.curr[0]]


def block_counter_trace(n):
    return [[i % 8 for i in range(n)]]


def test_skipped_residues_end_to_end():
    params = ProofParams(blowup=4, n_queries=8, grinding_bits=2, last_layer_degree_bound=2)
    air = BlockCounterAir(32, [])
    data = prove(air, block_counter_trace(32), params).to_bytes()
    verify(data, BlockCounterAir, min_security_bits=params.security_bits)
    bad = block_counter_trace(32)
    bad[0][13] += 1
    with pytest.raises(TraceError, match="count"):
        prove(air, bad, params)
    with pytest.raises(ProofError):
        verify(prove(air, bad, params, check=False).to_bytes(), BlockCounterAir, min_security_bits=params.security_bits)
