"""The STARK prover on fibonacci.cairo (the Cairo CPU AIR), default (>= 96-bit) parameters on the
native core: for each size, the time to lay out the trace and prove it, Cairo steps/s, trace
cells/s (rows × (main + aux columns)), peak memory, proof size, Python verify time, and where the
time goes (wall and CPU seconds per phase: CPU/wall near 2 means both cores were busy). Each
measurement runs in a fresh process (its peak RSS is the memory figure); with `--repeat R` each
size is proven R times and the best and median are given, with the machine's load average before
each run (the cores are shared: a load above 2 means other work competed).

`python -m bench.cairo_prover [--sizes 16,18] [--repeat R] [--params 8:27:16,4:40:17] [--gas]`
  --params blowup:queries:grinding_bits sets (folding 4 to 64 coefficients)
  --gas    also the on-chain gas of verifying each proof and registering the fact
           (CairoFactRegistry.verifyProofAndRegister, eth_estimateGas on a local anvil)
The runner's files are cached in build/bench-runs/ (a 2^18-step run takes cairo-lang ~45 s)."""
from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from offchain.core.cairo_runner import CAIRO_ROOT, compile_program, run_program

BLOCK_GAS_LIMIT = 30_000_000
RUNS_DIR = Path(__file__).resolve().parents[1] / "build" / "bench-runs"


def fibonacci_n_for(log_steps: int) -> int:
    # fibonacci.cairo spends ~10 steps per iteration; the runner pads to the next power of two.
    return max(1, int((1 << log_steps) * 0.9) // 10)


def runner_files(log_steps: int) -> Path:
    """The proof-mode run of fibonacci.cairo padded to 2^log_steps steps (cached)."""
    out = RUNS_DIR / f"fibonacci-{log_steps}"
    if not (out / "run" / "air_private_input.json").exists():
        compiled = compile_program(CAIRO_ROOT / "examples" / "fibonacci.cairo", out / "fib.json")
        run_program(compiled, {"n": fibonacci_n_for(log_steps)}, out / "run")
    return out


class _Phases(logging.Handler):
    """Wall and CPU seconds of each prover phase, from the prover's stage log lines, and the
    process's peak RSS (MiB) when it ended: the phase where the peak rises is where it is."""

    def __init__(self):
        super().__init__()
        self.rows: list[tuple[str, float, float, float]] = []
        self.cpu = time.process_time()

    def emit(self, record):
        stage = getattr(record, "stage", None)
        if stage and getattr(record, "event", None) == "done":
            now = time.process_time()
            self.rows.append((stage.split(".", 1)[1], record.elapsed_s, now - self.cpu, peak_mib()))
            self.cpu = now


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Footprint(threading.Thread):
    """Samples, twice a second until stopped, the process's anonymous resident memory (RssAnon of
    /proc/self/status, MiB) and the space taken on the prover's spill filesystem since it started
    (GiB, the statvfs of $STARK_LDE_DIR or the temporary directory). Peak RSS also counts the
    pages of file-backed columns (native/src/store.rs) that happen to be resident, which the
    kernel can drop; the anonymous peak is what must fit in memory, the spill what must fit on
    disk."""

    def __init__(self):
        super().__init__(daemon=True)
        self.directory = os.environ.get("STARK_LDE_DIR") or tempfile.gettempdir()
        self.free_at_start = self._free()
        self.peak_anon_mib = self.peak_spill_gib = 0.0
        self.done = threading.Event()

    def _free(self) -> int:
        s = os.statvfs(self.directory)
        return s.f_bavail * s.f_frsize

    def run(self):
        while not self.done.wait(0.5):
            with open("/proc/self/status") as f:
                anon = next((int(line.split()[1]) for line in f if line.startswith("RssAnon:")), 0)
            self.peak_anon_mib = max(self.peak_anon_mib, anon / 1024)
            self.peak_spill_gib = max(self.peak_spill_gib, (self.free_at_start - self._free()) / 2**30)

    def stop(self) -> "Footprint":
        self.done.set()
        self.join()
        return self


def format_phases(rows) -> str:
    """The phases line of both prover benches."""
    return "          phases (wall s / CPU s / peak MiB so far): " + ", ".join(
        f"{name} {w:.2f}/{c:.2f}/{m:.0f}" for name, w, c, m in rows)


def measure(log_steps: int, blowup: int, queries: int, grinding: int, results) -> None:
    from offchain.prover import ProofParams, prove
    from offchain.prover.cairo.air import CairoAir
    from offchain.core.facts import program_bytecode
    from offchain.prover.cairo.prove import verify_run
    from offchain.prover.cairo.runner_files import RunnerFiles
    from offchain.prover.native.cairo import build_trace

    out = runner_files(log_steps)
    run = out / "run"
    files = RunnerFiles.load(out / "fib.json", run / "trace.bin", run / "memory.bin", run / "air_public_input.json",
                             run / "air_private_input.json")
    logger = logging.getLogger("offchain.prover")
    logger.setLevel(logging.INFO)
    params = ProofParams(blowup=blowup, n_queries=queries, grinding_bits=grinding)
    cpu, start = time.process_time(), time.perf_counter()
    trace = build_trace(files)  # what prove_run does on the native backend, timed apart
    layout = (time.perf_counter() - start, time.process_time() - cpu, peak_mib())
    phases = _Phases()
    logger.addHandler(phases)
    proof = prove(CairoAir.for_trace(trace), trace.main, params)
    prove_s, prove_cpu = time.perf_counter() - start, time.process_time() - cpu
    data = proof.to_bytes()
    start = time.perf_counter()
    verify_run(data, [program_bytecode(out / "fib.json")])
    verify_s = time.perf_counter() - start
    width = len(proof.queries[0].trace_rows[0]) + len(proof.queries[0].trace_rows[1])
    peak = peak_mib()
    results.put(dict(steps=proof.trace_length, width=width, prove_s=prove_s, prove_cpu=prove_cpu, peak=peak,
                     proof=data, verify_s=verify_s, phases=[("trace layout", *layout)] + phases.rows,
                     security=params.security_bits, program=files.public_input))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cairo_prover")
    parser.add_argument("--sizes", default="16,18")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--params", default="8:27:16")
    parser.add_argument("--gas", action="store_true")
    args = parser.parse_args([a for a in sys.argv[1:] if a != "cairo_prover"])
    sizes = [int(s) for s in args.sizes.split(",")]
    param_sets = [tuple(int(x) for x in p.split(":")) for p in args.params.split(",")]
    for log_steps in sizes:
        runner_files(log_steps)
    context = multiprocessing.get_context("spawn")
    print(f"{'steps':>8} {'blowup':>6} {'queries':>7} {'bits':>4} {'prove s':>8} {'median s':>8} {'steps/s':>8} "
          f"{'cells/s':>10} {'CPU s':>7} {'peak MiB':>8} {'proof KiB':>9} {'verify s':>8}  load before runs",
          flush=True)
    measured = []
    for log_steps in sizes:
        for blowup, queries, grinding in param_sets:
            runs, loads = [], []
            for _ in range(args.repeat):
                loads.append(os.getloadavg()[0])
                results = context.Queue()
                process = context.Process(target=measure, args=(log_steps, blowup, queries, grinding, results))
                process.start()
                runs.append(results.get())
                process.join()
            best = min(runs, key=lambda r: r["prove_s"])
            median = statistics.median(r["prove_s"] for r in runs)
            steps, cells = best["steps"], best["steps"] * best["width"]
            print(f"{steps:>8} {blowup:>6} {queries:>7} {best['security']:>4} {best['prove_s']:>8.1f} {median:>8.1f} "
                  f"{steps / best['prove_s']:>8.0f} {cells / best['prove_s']:>10.0f} {best['prove_cpu']:>7.1f} "
                  f"{max(r['peak'] for r in runs):>8.0f} {len(best['proof']) / 1024:>9.0f} {best['verify_s']:>8.2f}  "
                  + " ".join(f"{x:.1f}" for x in loads), flush=True)
            print(format_phases(best["phases"]), flush=True)
            measured.append((steps, blowup, queries, best["proof"]))
    if args.gas:
        _gas(measured, sizes)


def _gas(measured, sizes) -> None:
    from ape import accounts, networks, project

    from bench.verifier_gas import calldata_gas, deploy_cairo_registry, estimate_register_gas
    from offchain.core.facts import program_bytecode

    program = program_bytecode(runner_files(sizes[0]) / "fib.json")
    with networks.parse_network_choice("ethereum:local:foundry"):
        sender = accounts.test_accounts[0]
        registry = deploy_cairo_registry(project, sender, [program], min_security_bits=96)
        print(f"{'steps':>8} {'blowup':>6} {'queries':>7} {'verify gas':>12} {'calldata gas':>13} {'txs':>4}")
        for steps, blowup, queries, proof in measured:
            gas = estimate_register_gas(registry, sender, proof)
            fits = "1" if gas <= BLOCK_GAS_LIMIT else ">30M"
            print(f"{steps:>8} {blowup:>6} {queries:>7} {gas:>12,} {calldata_gas(proof):>13,} {fits:>4}", flush=True)


if __name__ == "__main__":
    main()
