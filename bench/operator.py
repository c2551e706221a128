"""Operator throughput: transactions validated per second, Pedersen hashes per second, and the
time from add_transaction to an accepted state update on the local node for 1, 10, 100 transfers,
end to end on the stack `ape run demo` runs (offchain/l1/local.py LocalStack: anvil, the
exchange, the on-chain STARK verifier; the operator's store, gateway and pipeline): n signed
transfers through the gateway's add_transaction, one batch (the policy's max_size is 100) executed
by the model and run by the Cairo program, its run proven by this project's prover, the fact
registered through the STARK verifier, updateState accepted. Each phase's wall seconds, from the
operator's stage log lines (offchain/logs.py), and this process's CPU seconds (the prover's; the
Cairo runner's processes and anvil are apart), with the load average: the machine is shared.

`python -m bench.operator [--sizes 1,10,100] [--e2e-only] [--params BLOWUP:QUERIES:BITS]` (the proof
parameters; default 2:80:16, what `ape run operator` proves with on the local node)"""
import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

import fast_stark_crypto as fsc
from fastapi.testclient import TestClient

from offchain.crypto.signature import private_to_public_key
from offchain.core.gateway.access import Role
from offchain.core.gateway.intake import TransactionIntake
from offchain.perpetual import signing
from offchain.perpetual.config import GeneralConfig
from offchain.perpetual.state import PerpetualState
from offchain.core.storage import OperatorStore
from offchain.prover.params import LOCAL_NODE_PARAMS, ProofParams

SENDER_KEY, RECEIVER_KEY = 0x5E1D, 0x2EC
SENDER, RECEIVER = private_to_public_key(SENDER_KEY), private_to_public_key(RECEIVER_KEY)


def transfers(collateral: int, n: int, expiration: int) -> list[dict]:
    return [signing.transfer(SENDER_KEY, asset_id=collateral, sender_position_id=1, receiver_position_id=2,
                             receiver_public_key=RECEIVER, amount=1, nonce=i, expiration_timestamp=expiration).to_json()
            for i in range(n)]


def validation_rate(n: int = 300) -> float:
    now = int(time.time())
    genesis = PerpetualState(GeneralConfig(collateral_asset_id=1, fee_position_id=0, fee_public_key=0), system_time=now)
    txs = [{"type": "DEPOSIT", "position_id": 1, "public_key": SENDER, "amount": 10**6}] + transfers(1, n, now // 3600 + 24)
    with tempfile.TemporaryDirectory() as tmp:
        intake = TransactionIntake(OperatorStore(f"sqlite:///{tmp}/b.sqlite"), genesis)
        intake.submit_from_l1(txs[0], origin="bench:0")
        start = time.perf_counter()
        for tx_id, tx in enumerate(txs[1:], start=1):
            intake.submit(tx_id, tx)
        return n / (time.perf_counter() - start)


def pedersen_rate(seconds: float = 1.0) -> float:
    a, n, start = 2**250 + 12345, 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        a = fsc.pedersen_hash(a, n)
        n += 1
    return n / (time.perf_counter() - start)


class _StageTimes(logging.Handler):
    """Wall seconds of each finished stage (offchain/logs.py stage lines), by stage name, summed."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.seconds: dict[str, float] = {}

    def emit(self, record):
        if getattr(record, "event", None) == "done" and getattr(record, "stage", None):
            self.seconds[record.stage] = self.seconds.get(record.stage, 0.0) + record.elapsed_s


# The columns: stage times (register fact = the prove stage less stark_prove; updateState = what is left).
PHASES = ("add_transaction", "execute", "of which cairo_run", "stark_prove", "register fact", "updateState",
          "total")


def time_to_acceptance(sizes=(1, 10, 100), params: ProofParams = LOCAL_NODE_PARAMS) -> list[tuple[int, dict[str, float], float, int]]:
    """For each size: (n, wall seconds by PHASES, CPU seconds of this process, Cairo steps), the
    batch proven with `params`."""
    from ape import accounts, chain, networks, project

    from offchain.perpetual.local import ETH_QUANTUM, LocalStack
    from offchain.core.l1.users import register_user

    rows = []
    logger = logging.getLogger("offchain")
    logger.setLevel(logging.INFO)
    with networks.ethereum.local.use_provider("foundry"):
        for n in sizes:
            workdir = Path(tempfile.mkdtemp(prefix="bench-operator-"))
            stack = LocalStack.deploy(project, accounts.test_accounts[0], accounts.test_accounts[1], chain, workdir,
                                      fee_public_key=private_to_public_key(0xFEE))
            stack.settings.proof_params = params
            exchange, collateral = stack.deployment.exchange, stack.deployment.collateral_asset_type
            register_user(exchange, accounts.test_accounts[2], SENDER_KEY)  # a new exchange each size
            exchange.deposit(SENDER, collateral, 1, 10**6, value=10**6 * ETH_QUANTUM, sender=accounts.test_accounts[2])
            operator = stack.operator()
            operator.watcher.poll()
            operator.pipeline.run_until_idle()  # the deposit batch, not timed
            client = TestClient(operator.app, headers=operator.access.client(Role.APPLICATION).header())
            stages = _StageTimes()
            logger.addHandler(stages)
            try:
                cpu, start = time.process_time(), time.perf_counter()
                first = operator.store.first_unused_tx_id()
                for i, tx in enumerate(transfers(collateral, n, chain.pending_timestamp // 3600 + 24)):
                    assert client.post("/gateway/add_transaction", json={"tx_id": first + i, "tx": tx}).status_code == 200
                added = time.perf_counter()
                accepted = operator.pipeline.run_until_idle()
                end = time.perf_counter()
            finally:
                logger.removeHandler(stages)
            assert len(accepted) == 1 and accepted[-1].last_tx_id == first + n - 1, "one batch of the n transfers"
            t = stages.seconds
            phases = {"add_transaction": added - start, "execute": t.get("execute", 0.0),
                      "of which cairo_run": t.get("cairo_run", 0.0), "stark_prove": t.get("stark_prove", 0.0),
                      "register fact": t.get("prove", 0.0) - t.get("stark_prove", 0.0),
                      # what the pipeline spends after the fact is registered: updateState, its receipt
                      "updateState": end - added - t.get("execute", 0.0) - t.get("prove", 0.0),
                      "total": end - start}
            rows.append((n, phases, time.process_time() - cpu, accepted[-1].data["cairo_steps"]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.operator")
    parser.add_argument("--sizes", default="1,10,100", help="batch sizes (transfers), comma-separated")
    parser.add_argument("--e2e-only", action="store_true", help="only add_transaction -> accepted")
    parser.add_argument("--params", default=LOCAL_NODE_PARAMS.spec, help="the proof parameters, BLOWUP:QUERIES:BITS")
    args = parser.parse_args([a for a in sys.argv[1:] if a != "operator"])
    if not args.e2e_only:
        print(f"{'transactions validated per second (signed transfers, stored)':64} {validation_rate():10,.0f}")
        print(f"{'pedersen hashes per second (fast-stark-crypto, full-size inputs)':64} {pedersen_rate():10,.0f}")
    params = ProofParams.parse(args.params)
    print(f"add_transaction -> accepted on L1, proofs at {params.spec}, wall seconds by phase (CPU s: this process's, the prover's included)")
    print(f"{'transfers':>9} {'steps':>8} " + " ".join(f"{p:>{max(len(p), 8)}}" for p in PHASES) + f" {'CPU s':>7}  load")
    for n, phases, cpu, steps in time_to_acceptance([int(s) for s in args.sizes.split(",")], params):
        print(f"{n:>9} {steps:>8,} " + " ".join(f"{phases[p]:>{max(len(p), 8)}.1f}" for p in PHASES)
              + f" {cpu:>7.1f}  {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
