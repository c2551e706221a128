"""Stark-field kernels: native (C via ctypes) vs pure Python, where Python is affordable."""
from __future__ import annotations

import random
import time
from collections.abc import Callable

import numpy as np

from offchain.prover.native import P, backend, to_array
from offchain.prover.native.native_backend import NativeBackend

PYTHON_NTT_MAX_LOG = 14  # 2^14 points take the pure-Python NTT about a second


def best_time(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def random_array(n: int, seed: int = 1) -> np.ndarray:
    rng = random.Random(seed)
    return to_array(rng.randrange(P) for _ in range(n))


def row(name: str, native: str, python: str = "-") -> None:
    print(f"{name:38} {native:>16} {python:>16}")


def main() -> None:
    fast, slow = backend("native"), backend("python")
    row("kernel", "native", "python")

    a, b = random_array(2**18, 1), random_array(2**18, 2)
    small_a, small_b = a[: 2**14], b[: 2**14]
    row("field mul / s",
        f"{len(a) / best_time(lambda: fast.mul(a, b)):,.0f}",
        f"{len(small_a) / best_time(lambda: slow.mul(small_a, small_b), 1):,.0f}")
    row("batch inverse / s",
        f"{len(a) / best_time(lambda: fast.batch_inverse(a)):,.0f}",
        f"{2**10 / best_time(lambda: slow.batch_inverse(small_a[: 2**10]), 1):,.0f}")

    for log_n in range(12, 21):
        n = 2**log_n
        data = random_array(n, log_n)
        butterflies = n // 2 * log_n
        fast.ntt(data[:n])  # twiddles are cached per size: time the steady state
        native_time = best_time(lambda: fast.ntt(data), 3 if log_n < 18 else 1)
        python = "-"
        if log_n <= PYTHON_NTT_MAX_LOG:
            python = f"{butterflies / best_time(lambda: slow.ntt(data), 1) / 1e6:.2f} M"
        row(f"NTT 2^{log_n} butterflies / s ({native_time * 1e3:.1f} ms)",
            f"{butterflies / native_time / 1e6:.2f} M", python)

    coeffs = random_array(2**16, 3)
    fast.coset_lde(coeffs[:16], 8, 3)
    row("coset LDE 2^16 x 8 (s)", f"{best_time(lambda: fast.coset_lde(coeffs, 8, 3), 2):.3f}")
    batch = random_array(2**16 * 4, 6).reshape(4, 2**16, 4)
    serial = NativeBackend(fast.lib, threads=1)
    row("coset LDE 4 columns, 1 thread (s)",
        f"{best_time(lambda: serial.coset_lde(batch, 8, 3), 1):.3f}")
    row(f"coset LDE 4 columns, {fast.threads} threads (s)",
        f"{best_time(lambda: fast.coset_lde(batch, 8, 3), 1):.3f}")

    columns = random_array(2**14 * 16, 4).reshape(2**14, 16, 4)
    row("keccak rows / s (16 elements)",
        f"{len(columns) / best_time(lambda: fast.keccak_rows(columns)):,.0f}",
        f"{2**10 / best_time(lambda: slow.keccak_rows(columns[: 2**10]), 1):,.0f}")

    leaves = np.frombuffer(random.Random(5).randbytes(32 * 2**19), dtype=np.uint8).reshape(-1, 32)
    row("Merkle tree 2^19 leaves (s)",
        f"{best_time(lambda: fast.merkle_layers(leaves), 2):.3f}",
        f"{best_time(lambda: slow.merkle_layers(leaves), 1):.3f}")


if __name__ == "__main__":
    main()
