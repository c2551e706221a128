"""The Stark curve's constants the pedersen and ecdsa lanes use, from cairo-lang (the hash's and
the signature's definitions: starkware/crypto/signature/pedersen_params.json), and affine point
arithmetic on Python ints for the reference trace builder.

The curve is y^2 = x^3 + ALPHA·x + BETA over the Stark field. CONSTANT_POINTS[0] is the shift
point S of both the hash and the signature, CONSTANT_POINTS[1] the generator G, and
CONSTANT_POINTS[2 + 252·k + i] the point the hash adds for bit i of its input k (k = 0, 1):
2^i·P0 for i < 248, 2^(i-248)·P1 after (P2, P3 for the second input), cairo-lang's
pedersen_hash_as_point."""
from __future__ import annotations

from starkware.crypto.signature.signature import ALPHA, BETA, CONSTANT_POINTS, EC_ORDER

from offchain.prover.field import P, inv

Point = tuple[int, int]

SHIFT_POINT: Point = tuple(CONSTANT_POINTS[0])
GENERATOR: Point = tuple(CONSTANT_POINTS[1])
HASH_INPUT_BITS = 252
# HASH_POINTS[k][i]: the point the hash adds for bit i of input k.
HASH_POINTS: tuple[tuple[Point, ...], ...] = tuple(
    tuple(tuple(CONSTANT_POINTS[2 + HASH_INPUT_BITS * k + i]) for i in range(HASH_INPUT_BITS)) for k in range(2))

__all__ = ["ALPHA", "BETA", "EC_ORDER", "SHIFT_POINT", "GENERATOR", "HASH_POINTS", "add", "double", "neg",
           "on_curve", "y_of"]


class CurveError(ValueError):
    """An addition of points with equal x, or a point that is not on the curve."""


def add(a: Point, b: Point) -> tuple[Point, int]:
    """a + b and the chord's slope, for points with different x."""
    if (a[0] - b[0]) % P == 0:
        raise CurveError("adding points with equal x")
    slope = (a[1] - b[1]) * inv(a[0] - b[0]) % P
    x = (slope * slope - a[0] - b[0]) % P
    return (x, (slope * (a[0] - x) - a[1]) % P), slope


def double(a: Point) -> tuple[Point, int]:
    """2·a and the tangent's slope."""
    if a[1] % P == 0:
        raise CurveError("doubling a point with y = 0")
    slope = (3 * a[0] * a[0] + ALPHA) * inv(2 * a[1]) % P
    x = (slope * slope - 2 * a[0]) % P
    return (x, (slope * (a[0] - x) - a[1]) % P), slope


def neg(a: Point) -> Point:
    return a[0], (-a[1]) % P


def on_curve(a: Point) -> bool:
    return (a[1] * a[1] - (a[0] ** 3 + ALPHA * a[0] + BETA)) % P == 0


def y_of(x: int) -> int | None:
    """A y with (x, y) on the curve (the other is -y), or None if x is no point's."""
    rhs = (pow(x, 3, P) + ALPHA * x + BETA) % P
    if rhs == 0:
        return 0
    if pow(rhs, (P - 1) // 2, P) != 1:
        return None
    y = _sqrt(rhs)
    return y


def _sqrt(a: int) -> int:
    """Tonelli-Shanks: P - 1 = 2^192·q."""
    q, s = P - 1, 0
    while q % 2 == 0:
        q, s = q // 2, s + 1
    z = 3  # a non-residue: 3 generates the multiplicative group
    m, c, t, r = s, pow(z, q, P), pow(a, q, P), pow(a, (q + 1) // 2, P)
    while t != 1:
        i, t2 = 0, t
        while t2 != 1:
            t2, i = t2 * t2 % P, i + 1
        b = pow(c, 1 << (m - i - 1), P)
        m, c, t, r = i, b * b % P, t * b * b % P, r * b % P
    return r
