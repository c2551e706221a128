"""The STARK prover on real Cairo runs (the Cairo CPU AIR), 2^10 … 2^16 steps, default
(>= 96-bit) parameters, native kernels where gcc exists: prove time, peak memory, proof size,
Python verify time. Each size runs in a fresh process; its peak RSS is the memory figure.
On-chain verify gas is printed by bench/verifier_gas.py.

`python -m bench.cairo_prover [largest_log2]` (default 16)."""
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

from offchain.cairo_runner import CAIRO_ROOT, compile_program, run_program


def fibonacci_n_for(log_steps: int) -> int:
    # fibonacci.cairo spends ~10 steps per iteration; the runner pads to the next power of two.
    return max(1, int((1 << log_steps) * 0.9) // 10)


def measure(log_steps: int, results) -> None:
    from offchain.prover import kernels
    from offchain.prover.cairo.prove import prove_run, verify_run
    from offchain.prover.cairo.runner_files import RunnerFiles
    from offchain.prover.native import default_backend_name, list_kernels

    if default_backend_name() == "native":
        kernels.install(list_kernels)
    with tempfile.TemporaryDirectory() as tmp:
        compiled = compile_program(CAIRO_ROOT / "examples" / "fibonacci.cairo", Path(tmp) / "fib.json")
        run = run_program(compiled, {"n": fibonacci_n_for(log_steps)}, Path(tmp) / "run")
        start = time.perf_counter()
        proof = prove_run(RunnerFiles.from_run(run)).to_bytes()
        prove_s = time.perf_counter() - start
        start = time.perf_counter()
        verify_run(proof)
        verify_s = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results.put((run.n_steps, prove_s, len(proof), verify_s, peak_mib))


def main() -> None:
    largest = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 16
    print(f"{'steps':>8} {'prove s':>9} {'proof KiB':>10} {'verify s':>9} {'peak MiB':>9}", flush=True)
    context = multiprocessing.get_context("spawn")
    for log_steps in range(10, largest + 1, 2):
        results = context.Queue()
        process = context.Process(target=measure, args=(log_steps, results))
        process.start()
        steps, prove_s, size, verify_s, peak = results.get()
        process.join()
        print(f"{steps:>8} {prove_s:>9.1f} {size / 1024:>10.0f} {verify_s:>9.2f} {peak:>9.0f}", flush=True)


if __name__ == "__main__":
    main()
