"""The Stark field F_P, P = 2^251 + 17*2^192 + 1, elements as Python ints in [0, P).

P - 1 = 2^192 * (2^59 + 17) * ..., so F_P* has subgroups of every order 2^k, k <= 192.
"""
from offchain.prover import kernels

P = 2**251 + 17 * 2**192 + 1
GENERATOR = 3  # generates all of F_P*
TWO_ADICITY = 192
# The coset shift of every low-degree extension: outside each power-of-two subgroup because it
# generates the whole group.
COSET_SHIFT = GENERATOR


def root_of_unity(log_n: int) -> int:
    """The primitive 2^log_n-th root of unity 3^((P-1)/2^log_n)."""
    if not 0 <= log_n <= TWO_ADICITY:
        raise ValueError(f"no subgroup of order 2^{log_n}")
    return pow(GENERATOR, (P - 1) >> log_n, P)


def inv(x: int) -> int:
    if x % P == 0:
        raise ZeroDivisionError("inverse of zero in F_P")
    return pow(x, P - 2, P)


def neg(x: int) -> int:
    return (-x) % P


def batch_inverse(values: list[int]) -> list[int]:
    return kernels.batch_inverse(values)


def powers(base: int, count: int, start: int = 1) -> list[int]:
    """[start, start*base, start*base^2, ...], count elements."""
    out = [0] * count
    acc = start % P
    for i in range(count):
        out[i] = acc
        acc = acc * base % P
    return out


def is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


def log2(n: int) -> int:
    if not is_power_of_two(n):
        raise ValueError(f"{n} is not a power of two")
    return n.bit_length() - 1
