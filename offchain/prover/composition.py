"""Vanishing polynomials and periodic columns: the pieces of the composition polynomial that
the prover evaluates over the LDE domain and the verifier at the out-of-domain point."""
import numpy as np

from offchain.prover import kernels
from offchain.prover.air import RowSet
from offchain.prover.field import P, inv, log2, root_of_unity


def vanishing_at(rows: RowSet, n: int, x: int) -> int:
    """Z(x) = (x^(n/step) - g^(offset*n/step)) / (prod_{e excluded}(x - g^e) ·
    prod_{r skipped}(x^(n/period) - g^(r*n/period))), g = w_n."""
    step, offset, exclude, period, skip = rows.resolved(n)
    g = root_of_unity(log2(n))
    m = n // step
    num = (pow(x, m, P) - pow(g, offset * m, P)) % P
    den = 1
    for e in exclude:
        den = den * (x - pow(g, e, P)) % P
    for r in skip:
        den = den * (pow(x, n // period, P) - pow(g, r * (n // period), P)) % P
    return num * inv(den) % P


def vanishing_inverse_on_lde(rows: RowSet, n: int, blowup: int, shift: int) -> np.ndarray:
    """1/Z(x) at every point x_j = shift * w_N^j of the LDE domain (N = n * blowup)."""
    step, offset, exclude, period, skip = rows.resolved(n)
    size = n * blowup
    g = root_of_unity(log2(n))
    m = n // step
    # x_j^m = shift^m * (w_N^m)^j repeats with period N/m: invert one period only.
    repeat = size // m
    base = pow(shift, m, P)
    w = pow(root_of_unity(log2(size)), m, P)
    c = pow(g, offset * m, P)
    values = [0] * repeat
    acc = base
    for j in range(repeat):
        values[j] = (acc - c) % P
        acc = acc * w % P
    out = np.tile(np.array(kernels.batch_inverse(values), dtype=object), m)
    if exclude or skip:
        xs = domain_points(size, shift)
        for e in exclude:
            out = out * ((xs - pow(g, e, P)) % P) % P
        if skip:
            xs_period = np.array([pow(int(x), n // period, P) for x in xs], dtype=object)
        for r in skip:
            out = out * ((xs_period - pow(g, r * (n // period), P)) % P) % P
    return out


def domain_points(size: int, shift: int) -> np.ndarray:
    w = root_of_unity(log2(size))
    out = [0] * size
    acc = shift % P
    for j in range(size):
        out[j] = acc
        acc = acc * w % P
    return np.array(out, dtype=object)


def periodic_at(columns: list[list[int]], n: int, x: int) -> list[int]:
    """Periodic column k (period m) is the polynomial p_k(x^(n/m)) with p_k(w_m^i) = col[i]."""
    out = []
    for col in columns:
        m = len(col)
        coeffs = kernels.intt(col)
        y = pow(x, n // m, P)
        acc = 0
        for c in reversed(coeffs):
            acc = (acc * y + c) % P
        out.append(acc)
    return out


def periodic_on_lde(columns: list[list[int]], n: int, blowup: int, shift: int) -> list[np.ndarray]:
    out = []
    for col in columns:
        m = len(col)
        coeffs = kernels.intt(col)
        # p(x^(n/m)) over shift*<w_N>: x^(n/m) runs over shift^(n/m) * <w_{m*blowup}>, repeated.
        lde = kernels.coset_lde(coeffs, blowup, pow(shift, n // m, P))
        out.append(np.tile(np.array(lde, dtype=object), n // m))
    return out


def check_periodic_columns(columns: list[list[int]], n: int) -> None:
    for k, col in enumerate(columns):
        m = len(col)
        if m == 0 or m & (m - 1) or m > n:
            raise ValueError(f"periodic column {k} has length {m}, not a power of two dividing {n}")
