"""The reference kernels on plain Python lists of ints: the definitions the verifier, the
reference backend (reference.py) and the tests use. The native core (native/src) follows the
same conventions:

- Field: P = 2^251 + 17*2^192 + 1. Inputs are canonical (0 <= x < P); outputs are canonical.
- Roots of unity: the primitive n-th root (n a power of two) is w_n = 3^((P-1)/n) mod P.
- Evaluation order is NATURAL: evaluation i of a domain of size n with shift s is at the point
  s * w_n^i (no bit reversal anywhere in the interface).
- Coefficients are in increasing degree: coeffs[j] multiplies x^j.
- ntt(coeffs) -> [f(w_n^i) for i in range(n)], n = len(coeffs).
- intt(evals) -> coeffs, the inverse of ntt.
- coset_lde(coeffs, blowup, shift) -> [f(shift * w_N^i) for i in range(N)], N = len(coeffs)*blowup.
- coset_intt(evals, shift) -> coeffs of the polynomial of degree < n with f(shift*w_n^i) = evals[i].
- batch_inverse(values) -> [1/v for v in values]; raises ZeroDivisionError on a zero.
- hash_rows(columns) -> leaves: leaf i = keccak256(col_0[i] || col_1[i] || ...), each element
  a 32-byte big-endian word; columns are given column-major (a list of equal-length columns).
- merkle_layers(leaves) -> [leaves, parents, ..., [root]], parent = keccak256(left || right);
  len(leaves) is a power of two.
"""
import numpy as np

try:  # safe-pysha3 is several times faster than pycryptodome for short inputs
    from sha3 import keccak_256 as _keccak_256

    def keccak256(data: bytes) -> bytes:
        return _keccak_256(data).digest()

except ImportError:  # pragma: no cover - depends on the environment
    from eth_utils import keccak as _eth_keccak

    def keccak256(data: bytes) -> bytes:
        return _eth_keccak(data)


P = 2**251 + 17 * 2**192 + 1
_GENERATOR = 3


def _root(n: int) -> int:
    return pow(_GENERATOR, (P - 1) // n, P)


def _check_size(n: int) -> None:
    if n <= 0 or n & (n - 1):
        raise ValueError(f"length {n} is not a power of two")


_TWIDDLES: dict[int, np.ndarray] = {}
_INV_TWIDDLES: dict[int, np.ndarray] = {}


def _twiddles(m: int, inverse: bool) -> np.ndarray:
    """[w^0, ..., w^(m-1)] for w the primitive 2m-th root (or its inverse), as an object array."""
    cache = _INV_TWIDDLES if inverse else _TWIDDLES
    tw = cache.get(m)
    if tw is None:
        w = _root(2 * m)
        if inverse:
            w = pow(w, P - 2, P)
        values = [1] * m
        for j in range(1, m):
            values[j] = values[j - 1] * w % P
        tw = np.array(values, dtype=object)
        cache[m] = tw
    return tw


def _bit_reverse_permutation(n: int) -> np.ndarray:
    bits = n.bit_length() - 1
    idx = np.arange(n)
    rev = np.zeros(n, dtype=np.int64)
    for b in range(bits):
        rev |= ((idx >> b) & 1) << (bits - 1 - b)
    return rev


def _transform(values: list[int], inverse: bool) -> np.ndarray:
    """Radix-2 decimation-in-time, one vectorised numpy pass per stage.

    Sums and differences are left unreduced (they grow one bit per stage) because the
    product with the twiddle reduces them anyway; one final reduction makes them canonical.
    """
    n = len(values)
    _check_size(n)
    a = np.array(values, dtype=object)[_bit_reverse_permutation(n)]
    m = 1
    while m < n:
        blocks = a.reshape(n // (2 * m), 2, m)
        u = blocks[:, 0, :]
        v = blocks[:, 1, :] * _twiddles(m, inverse) % P
        a = np.concatenate((u + v, u - v), axis=1).reshape(n)
        m *= 2
    return a % P


def ntt(coeffs: list[int]) -> list[int]:
    return _transform(coeffs, inverse=False).tolist()


def intt(evals: list[int]) -> list[int]:
    n = len(evals)
    n_inv = pow(n, P - 2, P)
    return (_transform(evals, inverse=True) * n_inv % P).tolist()


def _powers(base: int, count: int) -> np.ndarray:
    out = [1] * count
    for i in range(1, count):
        out[i] = out[i - 1] * base % P
    return np.array(out, dtype=object)


def coset_lde(coeffs: list[int], blowup: int, shift: int) -> list[int]:
    n = len(coeffs)
    _check_size(n)
    _check_size(blowup)
    scaled = np.array(coeffs, dtype=object) * _powers(shift % P, n) % P
    padded = scaled.tolist() + [0] * (n * (blowup - 1))
    return _transform(padded, inverse=False).tolist()


def coset_intt(evals: list[int], shift: int) -> list[int]:
    n = len(evals)
    n_inv = pow(n, P - 2, P)
    shift_inv = pow(shift, P - 2, P)
    unscale = _powers(shift_inv, n) * n_inv % P
    return (_transform(evals, inverse=True) * unscale % P).tolist()


def batch_inverse(values: list[int]) -> list[int]:
    n = len(values)
    prefix = [1] * n
    acc = 1
    for i, v in enumerate(values):
        prefix[i] = acc
        acc = acc * v % P
    if acc == 0:
        raise ZeroDivisionError("batch_inverse of a list containing zero")
    inv_acc = pow(acc, P - 2, P)
    out = [0] * n
    for i in range(n - 1, -1, -1):
        out[i] = prefix[i] * inv_acc % P
        inv_acc = inv_acc * values[i] % P
    return out


def hash_rows(columns: list[list[int]]) -> list[bytes]:
    if not columns:
        raise ValueError("hash_rows needs at least one column")
    return [keccak256(b"".join(v.to_bytes(32, "big") for v in row)) for row in zip(*columns)]


def merkle_layers(leaves: list[bytes]) -> list[list[bytes]]:
    _check_size(len(leaves))
    layers = [list(leaves)]
    current = layers[0]
    while len(current) > 1:
        current = [keccak256(current[i] + current[i + 1]) for i in range(0, len(current), 2)]
        layers.append(current)
    return layers
