"""The prover's array path (LDEs, Merkle leaves, constraints and DEEP on native arrays, taken when
the installed kernels offer an array backend) gives the same proof bytes as the object-array path."""
import random

from offchain.prover import kernels
from offchain.prover.cairo.examples import EXAMPLE_PROGRAMS, run_example
from offchain.prover import verify
from offchain.prover.cairo.air import CairoAir
from offchain.prover.cairo.prove import prove_run
from offchain.prover.field import P
from offchain.prover.native import default_backend, list_kernels
from offchain.prover.native.felt_array import FeltArray
from offchain.prover.params import TEST_PARAMS


def test_felt_array_arithmetic_matches_ints():
    rng = random.Random(5)
    a = [rng.randrange(P) for _ in range(16)]
    b = [rng.randrange(P) for _ in range(16)]
    c = rng.randrange(P)
    x, y = FeltArray.from_ints(default_backend(), a), FeltArray.from_ints(default_backend(), b)
    expressions = {
        "x + y": ((x + y).ints(), [(u + v) % P for u, v in zip(a, b)]),
        "x - y": ((x - y).ints(), [(u - v) % P for u, v in zip(a, b)]),
        "x * y": ((x * y).ints(), [u * v % P for u, v in zip(a, b)]),
        "c - x * 7 + 1": ((c - x * 7 + 1).ints(), [(c - u * 7 + 1) % P for u in a]),
        "-3 * x - c": ((-3 * x - c).ints(), [(-3 * u - c) % P for u in a]),
        "(0 + x) % P": (((0 + x) % P).ints(), a),
        "roll 3": (x.roll(3).ints(), a[3:] + a[:3]),
    }
    for name, (got, want) in expressions.items():
        assert got == want, name
    assert x[5] == a[5]


def test_array_path_gives_the_same_proof_as_the_object_path():
    files = run_example("recursion", EXAMPLE_PROGRAMS["recursion"][0])
    assert kernels.array_backend() is None
    object_path = prove_run(files, TEST_PARAMS).to_bytes()
    kernels.install(list_kernels)
    try:
        assert kernels.array_backend() is not None
        array_path = prove_run(files, TEST_PARAMS).to_bytes()
    finally:
        kernels.install(None)
    assert array_path == object_path
    statement = verify(array_path, CairoAir, min_security_bits=TEST_PARAMS.security_bits).statement
    assert statement.output() == EXAMPLE_PROGRAMS["recursion"][1]
