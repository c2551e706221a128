"""Proving Perpetual batches of n transfers (the batch program, bench.cairo_steps's state and
signed transfers) — or, with --app spot, Spot batches of n settlements with fees (cairo/spot,
bench.cairo_steps's Spot vaults and signed orders) — with this project's prover at the default (>= 96-bit) parameters, and
registering their facts through the on-chain STARK verifier.

For each size: the run's Cairo steps, the trace's geometry (rows T, pedersen and ecdsa lanes,
main + aux columns: offchain/prover/cairo/layout.py), trace cells (T x columns) and cells per
transfer, the time to lay out and prove (wall, and the prover's CPU seconds: on a shared machine
the wall time is mostly waiting, the load average after the run says how much), peak memory (each size in a fresh process: its peak
RSS), proof size. With --gas, on a local anvil (tools/bin/anvil, no step tracing): the batch
program registered in a fresh Cairo verifier stack, then the proof's fact registered as the
operator does (offchain/core/l1/stark.py register_proof: DEEP and FRI-layer statements, then the main
verification), with the transactions, their gas, and the gas per transfer.

Peak memory is given three ways: peak RSS, which also counts the resident pages of file-backed
columns (a trace of 2^20 rows and more: native/src/store.rs), the peak of anonymous memory, which
is what must fit in RAM, and the peak space taken on the spill filesystem ($STARK_LDE_DIR). A size
that runs out of memory prints how its process ended. The runner's files are cached in build/bench-runs/<transfers|settlements>-<n>-<program>/.

`python -m bench.batch_prover [--sizes 1,10,100] [--params 8:27:16,4:40:17] [--gas] [--verify] [--app perpetual|spot]`
  --params blowup:queries:grinding_bits sets (folding 4 to 64 coefficients), each size proven with each"""
from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import queue
import resource
import sys
import time
from pathlib import Path

RUNS_DIR = Path(__file__).resolve().parents[1] / "build" / "bench-runs"
FIELD_BYTES = 32


# What a batch of n holds, per application.
UNITS = {"perpetual": "transfers", "spot": "settlements"}


def program(app: str) -> Path:
    from offchain.core.batch_program import PROGRAM_DIR, SPOT_PROGRAM_DIR, compiled_program

    return compiled_program(SPOT_PROGRAM_DIR if app == "spot" else PROGRAM_DIR)


def batch_input(n: int, app: str) -> dict:
    if app == "spot":
        from bench.cairo_steps import spot_batch_input, spot_batches

        return spot_batch_input(4 * n + 2, spot_batches(n)["SETTLEMENT (with fees)"])
    from bench.cairo_steps import make_state, transfer
    from offchain.perpetual.batch import execute_batch

    return execute_batch(make_state(2 * n + 2), [transfer(2 * i + 1, i) for i in range(n)], 0).program_input


def batch_files(n: int, app: str = "perpetual"):
    """The runner's files of a batch of n transfers (Spot: settlements), cached on disk."""
    from offchain.core.batch_program import run_batch
    from offchain.core.cairo_runner import CairoRun
    from offchain.prover.cairo.runner_files import RunnerFiles

    compiled = program(app)
    out = RUNS_DIR / f"{UNITS[app]}-{n}-{compiled.stem}"  # the program's source digest
    if not (out / "air_private_input.json").exists():
        return RunnerFiles.from_run(run_batch(batch_input(n, app), out, program=compiled).run)
    return RunnerFiles.from_run(CairoRun.at(compiled, out))


def measure(n: int, app: str, param_words: tuple[int, int, int], check: bool, results) -> None:
    """In a fresh process: lays out and proves the batch of n; puts the figures on results."""
    from bench.cairo_prover import Footprint, _Phases, peak_mib
    from offchain.prover import ProofParams, prove
    from offchain.prover.cairo.air import CairoAir
    from offchain.prover.cairo.trace import run_steps, used_instances
    from offchain.prover.native.cairo import build_trace

    try:
        files = batch_files(n, app)
        blowup, queries, grinding = param_words
        params = ProofParams(blowup=blowup, n_queries=queries, grinding_bits=grinding)
        logging.getLogger("offchain.prover").setLevel(logging.INFO)
        footprint = Footprint()
        footprint.start()
        start, cpu = time.perf_counter(), time.process_time()
        trace = build_trace(files)
        layout_s = time.perf_counter() - start
        layout = ("trace layout", layout_s, time.process_time() - cpu, peak_mib())
        phases = _Phases()
        logging.getLogger("offchain.prover").addHandler(phases)
        air = CairoAir.for_trace(trace)
        proof = prove(air, trace.main, params, consume_trace=True).to_bytes()
        prove_s = time.perf_counter() - start
        footprint.stop()
        verify_s = None
        if check:  # the Python verifier on the proof, as a fact registry's caller would check it
            from offchain.core.facts import program_bytecode
            from offchain.prover.cairo.prove import verify_run

            verify_start = time.perf_counter()
            statement = verify_run(proof, [program_bytecode(program(app))])
            verify_s = time.perf_counter() - verify_start
            assert statement.output() == trace.statement.output(), "the proof's statement holds another output"
        lay = trace.layout
        rows = air.trace_length
        hashes, signatures = used_instances(files, "pedersen"), used_instances(files, "ecdsa")
        results.put(dict(n=n, steps=run_steps(files), rows=rows, hashes=hashes, signatures=signatures,
                         alternatives=alternatives(rows, hashes, signatures, lay.n_rc_fill),
                         k_p=lay.n_pedersen_lanes, k_e=lay.n_ecdsa_lanes,
                         main=lay.main_width, aux=lay.aux_width, layout_s=layout_s, prove_s=prove_s,
                         peak=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, proof=proof,
                         peak_anon=footprint.peak_anon_mib, peak_spill=footprint.peak_spill_gib, verify_s=verify_s,
                         params=param_words, phases=[layout] + phases.rows))
    except MemoryError:
        results.put(dict(n=n, error="out of memory (MemoryError)"))


def alternatives(rows: int, hashes: int, signatures: int, n_rc_fill: int) -> list[tuple[int, int, int, int, int]]:
    """(T, K_p, K_e, columns, cells) of the run's instances laid out in T = rows, 2·rows, 4·rows:
    a taller trace needs fewer lanes (fewer columns: a smaller proof) but pays T more CPU cells
    per extra row. (Not provable as is: the runner pads to `rows` steps and allocates the builtin
    segments for them; a taller trace means running with more steps.)"""
    from offchain.prover.cairo import layout as L

    out = []
    for t in (rows, 2 * rows, 4 * rows):
        k_p = max(1, -(-hashes // (t // L.PEDERSEN_ROWS)))
        k_e = max(1, -(-signatures // (t // L.ECDSA_ROWS))) if signatures else 0
        if not L.slot_rows_fit(k_p, k_e):
            continue
        lay = L.CairoLayout(n_rc_fill=n_rc_fill, n_pedersen_lanes=k_p, n_ecdsa_lanes=k_e)
        columns = lay.main_width + lay.aux_width
        out.append((t, k_p, k_e, columns, t * columns))
    return out


def main() -> None:
    from bench.cairo_prover import format_phases

    parser = argparse.ArgumentParser(prog="python -m bench.batch_prover")
    parser.add_argument("--sizes", default="1,10,100")
    parser.add_argument("--gas", action="store_true")
    parser.add_argument("--params", default="8:27:16", help="blowup:queries:grinding_bits sets, comma-separated")
    parser.add_argument("--app", choices=sorted(UNITS), default="perpetual")
    parser.add_argument("--verify", action="store_true", help="check each proof with the Python verifier")
    args = parser.parse_args([a for a in sys.argv[1:] if a != "batch_prover"])
    sizes = [int(s) for s in args.sizes.split(",")]
    param_sets = [tuple(int(x) for x in p.split(":")) for p in args.params.split(",")]
    context = multiprocessing.get_context("spawn")
    unit = UNITS[args.app]
    print(f"{unit:>11} {'params':>9} {'steps':>8} {'rows':>8} {'K_p':>4} {'K_e':>4} {'columns':>8} {'cells':>12} "
          f"{'cells/' + unit[:-1]:>14} {'layout s':>8} {'prove s':>8} {'CPU s':>6} {'peak MiB':>8} {'proof KiB':>9}  load",
          flush=True)
    measured = []
    for n in sizes:
        for param_words in param_sets:
            r = _measure_apart(context, n, args.app, param_words, args.verify)
            if "error" in r:
                print(f"{n:>11} {r['error']}", flush=True)
                continue
            columns = r["main"] + r["aux"]
            cells = r["rows"] * columns
            cpu = sum(c for _, _, c, _ in r["phases"][1:])  # the prover's
            print(f"{n:>11} {':'.join(map(str, param_words)):>9} {r['steps']:>8,} {r['rows']:>8,} {r['k_p']:>4} "
                  f"{r['k_e']:>4} {columns:>8} {cells:>12,} {cells // n:>14,} {r['layout_s']:>8.1f} "
                  f"{r['prove_s']:>8.1f} {cpu:>6.1f} {r['peak']:>8.0f} {len(r['proof']) / 1024:>9.0f}  "
                  f"{os.getloadavg()[0]:.1f}", flush=True)
            print(f"          trace cells/s: {cells / r['prove_s']:,.0f} (wall), {cells / cpu:,.0f} per CPU second; "
                  f"peak anonymous memory {r['peak_anon']:,.0f} MiB, peak spill {r['peak_spill']:.1f} GiB"
                  + (f"; the Python verifier accepts it in {r['verify_s']:.1f} s" if r["verify_s"] is not None else ""),
                  flush=True)
            print(format_phases(r["phases"]), flush=True)
            print(f"          {r['hashes']} hashes, {r['signatures']} signatures; the same in a taller trace: " + "; ".join(
                f"T={t:,}: {k_p}+{k_e} lanes, {c} columns, {cells / n:,.0f} cells/{unit[:-1]}" for t, k_p, k_e, c, cells in
                r["alternatives"]), flush=True)
            measured.append(r)
    if args.gas and measured:
        _gas(measured, args.app)


def _measure_apart(context, n: int, app: str, param_words, check: bool) -> dict:
    """measure() in a fresh process (its peak RSS is the size's alone); an error entry if it died."""
    results = context.Queue()
    process = context.Process(target=measure, args=(n, app, param_words, check, results))
    process.start()
    r = None
    while r is None and (process.is_alive() or not results.empty()):
        try:  # read before joining: the child exits only once its result is through the pipe
            r = results.get(timeout=1)
        except queue.Empty:
            pass
    process.join()
    if r is None:
        return dict(n=n, error=f"the prover's process ended with exit code {process.exitcode} "
                               f"({'killed: out of memory?' if process.exitcode == -9 else 'see its error above'})")
    return r


def _gas(measured, app: str) -> None:
    from ape import accounts, networks, project

    from offchain.core.facts import program_bytecode
    from offchain.core.l1.stark import deploy_cairo_verifier, register_program
    from offchain.core.toolchain import use_project_tools

    use_project_tools()
    code = program_bytecode(program(app))
    with networks.parse_network_choice("ethereum:local:foundry"):
        sender = accounts.test_accounts[0]
        stack = deploy_cairo_verifier(project, sender)
        register_program(stack.programs, sender, code)
        unit = UNITS[app]
        print(f"{unit:>11} {'params':>9} {'proof KiB':>9} {'txs':>4} {'gas':>12} {'max tx gas':>11} {'gas/' + unit[:-1]:>15}")
        for r in measured:
            registration, tx_gas = _register(stack, sender, r["proof"], code)
            print(f"{r['n']:>11} {':'.join(map(str, r['params'])):>9} {len(r['proof']) / 1024:>9.0f} {len(registration.transactions):>4} "
                  f"{registration.gas:>12,} {max(tx_gas):>11,} {registration.gas // r['n']:>15,}", flush=True)


def _register(stack, sender, proof: bytes, program):
    from offchain.core.l1.stark import register_proof

    registration = register_proof(stack, sender, proof, [program])
    web3 = stack.registry.provider.web3
    return registration, [int(web3.eth.get_transaction_receipt(h)["gasUsed"]) for h in registration.transactions]


if __name__ == "__main__":
    main()
