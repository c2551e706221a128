"""The physical floor of the native core on one core (native/src, `stark_native.floor_rates`):
Stark-field multiplications, NTT butterflies and keccak permutations per CPU second (CPU time,
so other work on the shared cores does not lower them), and the worker threads the heavy phases
use. Each rate is the best of 3 runs."""
from __future__ import annotations

import stark_native


def main() -> None:
    runs = [stark_native.floor_rates(16) for _ in range(3)]
    mul, ntt, keccak = (max(r[k] for r in runs) for k in range(3))
    print(f"rayon threads                  {stark_native.threads():>10}")
    print(f"field mul / CPU s              {mul / 1e6:>9.1f} M")
    print(f"NTT 2^16 butterflies / CPU s   {ntt / 1e6:>9.1f} M")
    print(f"keccak permutations / CPU s    {keccak / 1e6:>9.2f} M")


if __name__ == "__main__":
    main()
