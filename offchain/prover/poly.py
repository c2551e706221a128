"""Polynomials over F_P as coefficient lists (increasing degree), built on the kernels."""
from offchain.prover import kernels
from offchain.prover.field import P


def evaluate(coeffs: list[int], x: int) -> int:
    """Horner's rule at one point."""
    acc = 0
    for c in reversed(coeffs):
        acc = (acc * x + c) % P
    return acc


def interpolate(evals: list[int]) -> list[int]:
    """Coefficients of the polynomial of degree < n through evals over the n-th roots of unity."""
    return kernels.intt(evals)


def interpolate_coset(evals: list[int], shift: int) -> list[int]:
    return kernels.coset_intt(evals, shift)


def evaluate_on_coset(coeffs: list[int], blowup: int, shift: int) -> list[int]:
    """The low-degree extension: evaluations over shift * <w_N>, N = len(coeffs) * blowup."""
    return kernels.coset_lde(coeffs, blowup, shift)


def degree(coeffs: list[int]) -> int:
    """The degree (-1 for the zero polynomial)."""
    for i in range(len(coeffs) - 1, -1, -1):
        if coeffs[i] % P:
            return i
    return -1
