"""The field, the NTT kernels and polynomial helpers against naive definitions."""
import random

import pytest
from hypothesis import given, settings, strategies as st

from offchain.prover import kernels, poly
from offchain.prover.field import GENERATOR, P, batch_inverse, inv, root_of_unity

rng = random.Random(7)


def naive_eval(coeffs, x):
    return sum(c * pow(x, j, P) for j, c in enumerate(coeffs)) % P


def test_prime_and_generator():
    assert P == 0x800000000000011000000000000000000000000000000000000000000000001
    # 3 is a quadratic non-residue, so it generates the 2-Sylow part and every 2^k root is primitive.
    assert pow(GENERATOR, (P - 1) // 2, P) == P - 1


@pytest.mark.parametrize("log_n", [1, 2, 5, 16, 192])
def test_root_of_unity_is_primitive(log_n):
    w = root_of_unity(log_n)
    assert pow(w, 1 << log_n, P) == 1
    assert pow(w, 1 << (log_n - 1), P) == P - 1


def test_root_of_unity_beyond_two_adicity():
    with pytest.raises(ValueError):
        root_of_unity(193)


def test_inverse_and_batch_inverse():
    values = [rng.randrange(1, P) for _ in range(50)]
    assert batch_inverse(values) == [inv(v) for v in values]
    assert all(v * i % P == 1 for v, i in zip(values, batch_inverse(values)))
    with pytest.raises(ZeroDivisionError):
        batch_inverse([1, 0, 2])
    with pytest.raises(ZeroDivisionError):
        inv(P)


@pytest.mark.parametrize("n", [1, 2, 4, 32])
def test_ntt_matches_naive_evaluation(n):
    coeffs = [rng.randrange(P) for _ in range(n)]
    w = root_of_unity(n.bit_length() - 1)
    assert kernels.ntt(coeffs) == [naive_eval(coeffs, pow(w, i, P)) for i in range(n)]


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 7), st.randoms(use_true_random=False))
def test_intt_inverts_ntt(log_n, r):
    values = [r.randrange(P) for _ in range(1 << log_n)]
    assert kernels.intt(kernels.ntt(values)) == values
    assert kernels.ntt(kernels.intt(values)) == values


@pytest.mark.parametrize("n,blowup", [(1, 2), (4, 4), (16, 8)])
def test_coset_lde_and_its_inverse(n, blowup):
    coeffs = [rng.randrange(P) for _ in range(n)]
    shift = GENERATOR
    big = n * blowup
    w = root_of_unity(big.bit_length() - 1)
    lde = kernels.coset_lde(coeffs, blowup, shift)
    assert lde == [naive_eval(coeffs, shift * pow(w, i, P)) for i in range(big)]
    assert kernels.coset_intt(lde, shift) == coeffs + [0] * (big - n)


def test_non_power_of_two_is_rejected():
    with pytest.raises(ValueError):
        kernels.ntt([1, 2, 3])
    with pytest.raises(ValueError):
        kernels.coset_lde([1, 2], 3, GENERATOR)


def test_poly_helpers():
    coeffs = [rng.randrange(P) for _ in range(8)]
    x = rng.randrange(P)
    assert poly.evaluate(coeffs, x) == naive_eval(coeffs, x)
    assert poly.interpolate(kernels.ntt(coeffs)) == coeffs
    assert poly.degree(coeffs[:5] + [0, 0, 0]) == 4
    assert poly.degree([0, 0]) == -1
