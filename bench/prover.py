"""The STARK prover on the Fibonacci AIR with the default (>= 96-bit) parameters, on each
backend (offchain/prover/backend.py): prove time, proof size, verify time and peak memory per
trace length. Each size runs in a fresh process, whose peak resident set size is the memory
figure. `python -m bench prover [largest_log2]` (default 14; the reference stops at 2^12)."""
import multiprocessing
import resource
import sys
import time

from offchain.prover import ProofParams, prove, verify
from offchain.prover.airs.fibonacci import FibonacciAir, fibonacci_public_inputs, fibonacci_trace

REFERENCE_MAX_LOG = 12


def measure(log_n: int, params: ProofParams, backend_name: str, results) -> None:
    from offchain.prover.native import NativeBackend
    from offchain.prover.reference import ReferenceBackend

    backend = NativeBackend() if backend_name == "native" else ReferenceBackend()
    n = 1 << log_n
    trace = fibonacci_trace(n)
    air = FibonacciAir(n, fibonacci_public_inputs(trace))
    start = time.perf_counter()
    data = prove(air, trace, params, backend=backend).to_bytes()
    prove_s = time.perf_counter() - start
    start = time.perf_counter()
    verify(data, FibonacciAir)
    verify_s = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results.put((prove_s, len(data), verify_s, peak_mib))


def main() -> None:
    params = ProofParams()
    largest = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[1] == "prover" else 14
    print(f"Fibonacci AIR, 2 columns; blowup {params.blowup}, {params.n_queries} queries, "
          f"{params.grinding_bits} grinding bits, FRI folding {params.folding_factor}: "
          f"{params.security_bits} bits conjectured")
    for backend in ("reference", "native"):
        print(f"backend: {backend}")
        print(f"{'trace rows':>10} {'prove s':>9} {'proof KiB':>10} {'verify s':>9} {'peak RSS MiB':>13}")
        ctx = multiprocessing.get_context("spawn")
        top = min(largest, REFERENCE_MAX_LOG) if backend == "reference" else largest
        for log_n in range(8, top + 1):
            results = ctx.Queue()
            worker = ctx.Process(target=measure, args=(log_n, params, backend, results))
            worker.start()
            prove_s, size, verify_s, peak = results.get()
            worker.join()
            print(f"{'2^' + str(log_n):>10} {prove_s:9.2f} {size / 1024:10.1f} {verify_s:9.3f} {peak:13.0f}",
                  flush=True)


if __name__ == "__main__":
    main()
