"""Operator throughput: transactions validated per second, Pedersen hashes per second, and the
time from add_transaction to an accepted state update on the local node for 1, 10, 100 transfers."""
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


def time_to_acceptance(sizes=(1, 10, 100)) -> list[tuple[int, float, int]]:
    from ape import accounts, chain, networks, project

    from offchain.perpetual.local import ETH_QUANTUM, LocalStack
    from offchain.core.l1.users import register_user

    rows = []
    with networks.ethereum.local.use_provider("foundry"):
        for n in sizes:
            workdir = Path(tempfile.mkdtemp(prefix="bench-operator-"))
            stack = LocalStack.deploy(project, accounts.test_accounts[0], accounts.test_accounts[1], chain, workdir,
                                      fee_public_key=private_to_public_key(0xFEE))
            exchange, collateral = stack.deployment.exchange, stack.deployment.collateral_asset_type
            register_user(exchange, accounts.test_accounts[2], SENDER_KEY)  # a new exchange each size
            exchange.deposit(SENDER, collateral, 1, 10**6, value=10**6 * ETH_QUANTUM, sender=accounts.test_accounts[2])
            operator = stack.operator()
            operator.watcher.poll()
            operator.pipeline.run_until_idle()  # the deposit batch, not timed
            client = TestClient(operator.app, headers=operator.access.client(Role.APPLICATION).header())
            start = time.perf_counter()
            first = operator.store.first_unused_tx_id()
            for i, tx in enumerate(transfers(collateral, n, chain.pending_timestamp // 3600 + 24)):
                assert client.post("/gateway/add_transaction", json={"tx_id": first + i, "tx": tx}).status_code == 200
            accepted = operator.pipeline.run_until_idle()
            rows.append((n, time.perf_counter() - start, accepted[-1].data["cairo_steps"]))
    return rows


def main() -> None:
    print(f"{'transactions validated per second (signed transfers, stored)':64} {validation_rate():10,.0f}")
    print(f"{'pedersen hashes per second (fast-stark-crypto, full-size inputs)':64} {pedersen_rate():10,.0f}")
    print(f"{'transfers':>10} {'add_transaction -> accepted (s)':>34} {'Cairo steps':>12}")
    for n, seconds, steps in time_to_acceptance():
        print(f"{n:>10} {seconds:>34.1f} {steps:>12}")


if __name__ == "__main__":
    main()
