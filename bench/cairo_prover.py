"""The STARK prover on real Cairo runs (the Cairo CPU AIR), 2^10 … 2^16 steps, default
(>= 96-bit) parameters, native kernels where gcc exists: prove time, peak memory, proof size,
Python verify time, and the on-chain gas of verifying the same proof bytes and registering the
fact (CairoFactRegistry.verifyProofAndRegister, eth_estimateGas) on a local anvil that ape starts
(port from APE_FOUNDRY_HOST). Each size is proven in a fresh process; its peak RSS is the memory
figure. A proof whose verification needs more than the 30M block gas limit is flagged: it would
have to be split into several transactions, which this verifier does not do.

`python -m bench.cairo_prover [largest_log2]` (default 16)."""
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

from offchain.cairo_runner import CAIRO_ROOT, compile_program, run_program

BLOCK_GAS_LIMIT = 30_000_000


def fibonacci_n_for(log_steps: int) -> int:
    # fibonacci.cairo spends ~10 steps per iteration; the runner pads to the next power of two.
    return max(1, int((1 << log_steps) * 0.9) // 10)


def measure(log_steps: int, results) -> None:
    from offchain.facts import program_bytecode
    from offchain.prover import kernels
    from offchain.prover.cairo.prove import prove_run, verify_run
    from offchain.prover.cairo.runner_files import RunnerFiles
    from offchain.prover.native import default_backend_name, list_kernels

    if default_backend_name() == "native":
        kernels.install(list_kernels)
    with tempfile.TemporaryDirectory() as tmp:
        compiled = compile_program(CAIRO_ROOT / "examples" / "fibonacci.cairo", Path(tmp) / "fib.json")
        program = program_bytecode(compiled)
        run = run_program(compiled, {"n": fibonacci_n_for(log_steps)}, Path(tmp) / "run")
        start = time.perf_counter()
        proof = prove_run(RunnerFiles.from_run(run)).to_bytes()
        prove_s = time.perf_counter() - start
        start = time.perf_counter()
        verify_run(proof)
        verify_s = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results.put((run.n_steps, prove_s, proof, verify_s, peak_mib, program))


def main() -> None:
    from ape import accounts, networks, project

    from bench.verifier_gas import calldata_gas, deploy_cairo_registry, estimate_register_gas

    largest = int(sys.argv[-1]) if len(sys.argv) > 1 and sys.argv[-1].isdigit() else 16
    context = multiprocessing.get_context("spawn")
    with networks.parse_network_choice("ethereum:local:foundry"):
        sender = accounts.test_accounts[0]
        registry = deploy_cairo_registry(project, sender, min_security_bits=96)
        print(f"{'steps':>8} {'prove s':>9} {'peak MiB':>9} {'proof KiB':>10} {'verify s':>9} "
              f"{'verify gas':>12} {'calldata gas':>13} {'txs':>4}", flush=True)
        for log_steps in range(10, largest + 1):
            results = context.Queue()
            process = context.Process(target=measure, args=(log_steps, results))
            process.start()
            steps, prove_s, proof, verify_s, peak, program = results.get()
            process.join()
            gas = estimate_register_gas(registry, sender, proof, program)
            fits = "1" if gas <= BLOCK_GAS_LIMIT else ">30M"
            print(f"{steps:>8} {prove_s:>9.1f} {peak:>9.0f} {len(proof) / 1024:>10.0f} {verify_s:>9.2f} "
                  f"{gas:>12,} {calldata_gas(proof):>13,} {fits:>4}", flush=True)


if __name__ == "__main__":
    main()
