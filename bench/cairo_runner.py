"""The Cairo runner on the Perpetual batch program: wall and CPU seconds and steps/s for batches of
1, 10 and 100 transfers on each runner:
- cairo-vm: the operator's runner for the Perpetual program (native/cairo_runner/, lambdaclass'
  cairo-vm with the program's hints in Rust, in the operator's process);
- cairo-lang: cairo-lang's VM in a kept runner process (offchain/core/cairo_inprocess.py), the
  fallback for a program whose hints cairo-vm lacks (and the reference's fast twin);
- cairo-run: the reference command as cairo-lang ships it;
and the floor of cairo-lang's VM: stepping fibonacci.cairo (no hint after the first, no builtin but
output).

BENCH_TRANSFERS=1,10,100,1000 chooses the batch sizes; BENCH_REFERENCE_MAX (default 100) the
largest batch also run on cairo-lang and cairo-run. CPU seconds are the run's own (the cairo-vm
run's thread, the runner process's, or the cairo-run child's, whose include its start: imports and
parsing the program), which is what counts on a shared machine; wall seconds include writing the
program input; steps are before proof mode's padding; steps/s are per CPU second.
"""
from __future__ import annotations

import os
import resource
import tempfile
import time
from pathlib import Path

from bench.cairo_steps import make_state, original_steps, transfer
from offchain.core.batch_program import compiled_program
from offchain.core.cairo_runner import (
    CAIRO_ROOT, compile_program, run_program_cairo_lang, run_program_cairo_vm, run_program_reference)
from offchain.perpetual.batch import execute_batch

RUNNERS = {"cairo-vm": run_program_cairo_vm, "cairo-lang": run_program_cairo_lang,
           "cairo-run": run_program_reference}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(fn):
    """(result, wall seconds, CPU seconds of the children that ended meanwhile)."""
    wall, children = time.perf_counter(), _children_cpu()
    result = fn()
    return result, time.perf_counter() - wall, _children_cpu() - children


def floor_steps_per_second() -> tuple[int, float]:
    """cairo-lang's VM alone: fibonacci.cairo's steps and the run's CPU seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        compiled = compile_program(CAIRO_ROOT / "examples" / "fibonacci.cairo", Path(tmp) / "fib.json")
        run_program_cairo_lang(compiled, {"n": 10}, Path(tmp) / "warm")  # parse once, as the operator does
        run = run_program_cairo_lang(compiled, {"n": 30_000}, Path(tmp) / "run")
        return original_steps(run), run.cpu_seconds


def main() -> None:
    sizes = [int(n) for n in os.environ.get("BENCH_TRANSFERS", "1,10,100").split(",")]
    reference_max = int(os.environ.get("BENCH_REFERENCE_MAX", "100"))
    program = compiled_program()
    steps, cpu = floor_steps_per_second()
    print(f"floor: cairo-lang's VM on fibonacci.cairo, {steps} steps in {cpu:.1f} CPU s: "
          f"{steps / cpu:,.0f} steps/s")
    warm = execute_batch(make_state(4), [transfer(1, 0)], 0).program_input
    for runner in (run_program_cairo_vm, run_program_cairo_lang):  # parse the program once
        with tempfile.TemporaryDirectory() as tmp:
            runner(program, warm, Path(tmp))
    print(f"{'transfers':>9} {'runner':>10} {'wall s':>8} {'CPU s':>7} {'steps':>9} {'padded':>9} "
          f"{'steps/CPU s':>12}")
    for n in sizes:
        batch_input = execute_batch(make_state(2 * n + 2), [transfer(2 * i + 1, i) for i in range(n)],
                                    0).program_input
        for name, runner in RUNNERS.items():
            if name != "cairo-vm" and n > reference_max:
                continue
            with tempfile.TemporaryDirectory() as tmp:
                run, wall, cpu = timed(lambda: runner(program, batch_input, Path(tmp)))
                cpu = run.cpu_seconds if run.cpu_seconds is not None else cpu
                steps = original_steps(run)
                print(f"{n:9} {name:>10} {wall:8.2f} {cpu:7.2f} {steps:9} {run.n_steps:9} "
                      f"{steps / cpu:12,.0f}", flush=True)


if __name__ == "__main__":
    main()
