"""On-chain gas of the Solidity STARK verifier: one verifyProofAndRegister transaction per proof
(Fibonacci at several trace lengths, and every cairo/examples program on the inputs the
verifier tests prove, all with the default >= 96-bit parameters), on a local anvil that ape
starts (port from APE_FOUNDRY_HOST, default ape's). Also prints calldata bytes and the gas spent
on calldata alone (included in the total) (16 per non-zero byte, 4 per zero byte)."""
from __future__ import annotations

import sys

from offchain.prover import ProofParams, prove
from offchain.prover.airs.fibonacci import FibonacciAir, fibonacci_public_inputs, fibonacci_trace

BLOCK_GAS_LIMIT = 30_000_000
# The cap of the estimate: far above a block, so that an over-limit verification is measured, not refused.
ESTIMATE_GAS_CAP = 1_000_000_000


def fibonacci_proof_bytes(trace_length: int, params: ProofParams) -> bytes:
    trace = fibonacci_trace(trace_length)
    return prove(FibonacciAir(trace_length, fibonacci_public_inputs(trace)), trace, params).to_bytes()


def calldata_gas(data: bytes) -> int:
    return sum(16 if b else 4 for b in data)


def deploy_cairo_registry(project, sender, programs=(), min_security_bits: int = 96):
    """CairoFactRegistry over the STARK verifier and the generated Cairo AIR (one contract for every
    statement's counts), `programs` (bytecodes) in its program store."""
    from offchain.core.l1.stark import deploy_cairo_verifier, register_program

    stack = deploy_cairo_verifier(project, sender, min_security_bits)
    for program in programs:
        register_program(stack.programs, sender, program)
    return stack.registry


def estimate_register_gas(registry, sender, *args) -> int:
    """eth_estimateGas of the verifyProofAndRegister transaction: the local node executes calls far
    faster than transactions, and the estimate is what the transaction needs."""
    w3 = registry.provider.web3
    data = registry.verifyProofAndRegister.encode_input(*args)
    return w3.eth.estimate_gas({"from": sender.address, "to": registry.address,
                                "data": "0x" + bytes(data).hex(), "gas": ESTIMATE_GAS_CAP})


def cairo_example_proofs(params: ProofParams):
    """(name, steps, proof bytes, program) for each cairo/examples program, as tests/verifier proves it."""
    from offchain.core.facts import program_bytecode
    from offchain.prover.cairo.examples import EXAMPLE_PROGRAMS, compiled_example, run_example
    from offchain.prover.cairo.prove import prove_run

    for name, (program_input, _) in sorted(EXAMPLE_PROGRAMS.items()):
        proof = prove_run(run_example(name, program_input), params)
        yield name, proof.trace_length, proof.to_bytes(), program_bytecode(compiled_example(name))


def main() -> None:
    from ape import accounts, networks, project

    params = ProofParams()
    log_lengths = [int(a) for a in sys.argv[2:]] if len(sys.argv) > 2 and sys.argv[1] == "verifier_gas" else [6, 10, 13]
    with networks.parse_network_choice("ethereum:local:foundry"):
        sender = accounts.test_accounts[0]
        air = sender.deploy(project.FibonacciAir)
        verifier = sender.deploy(project.StarkVerifier, air, 96)
        registry = sender.deploy(project.FibonacciFactRegistry, verifier)
        print(f"Fibonacci AIR; blowup {params.blowup}, {params.n_queries} queries, {params.grinding_bits} grinding "
              f"bits, FRI folding {params.folding_factor}: {params.security_bits} bits; block limit {BLOCK_GAS_LIMIT:,}")
        print(f"{'proof':<26}{'calldata B':>12}{'calldata gas':>14}{'tx gas':>12}{'of 30M':>8}")
        for log_n in log_lengths:
            proof = fibonacci_proof_bytes(1 << log_n, params)
            _row(f"fibonacci 2^{log_n}", proof, estimate_register_gas(registry, sender, proof))
        examples = list(cairo_example_proofs(params))
        cairo_registry = deploy_cairo_registry(project, sender, [program for *_, program in examples])
        for name, n, proof, _ in examples:
            _row(f"cairo {name} 2^{n.bit_length() - 1}", proof, estimate_register_gas(cairo_registry, sender, proof))


def _row(label: str, proof: bytes, gas: int) -> None:
    print(f"{label:<26}{len(proof):>12,}{calldata_gas(proof):>14,}{gas:>12,}{100 * gas / BLOCK_GAS_LIMIT:>7.1f}%",
          flush=True)


if __name__ == "__main__":
    main()
