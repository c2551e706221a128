"""Gas of registering a stark key (registerEthAddress), against the alternatives the exchange
could have used, on a local anvil (deploys everything itself).

Run: python -m bench registration. Each row is the mean over SAMPLES keys and eth addresses. The
verification rows are eth_estimateGas of a harness call minus the 21,000 of the transaction:
- y given, comb for G: what the exchange runs (StarkEx's r ‖ s ‖ y signature; u1·G over a
  6-tooth fixed-base comb of G (63 points, 42 doublings), EcdsaConstants.sol);
- y given, double-and-add for G: the same without the comb (252 doublings for u1·G);
- x only (the former): y by a Tonelli-Shanks square root (the field's 2-adicity is 192), both
  signs tried, double-and-add for both products;
- the square root alone, to show where the former cost went.
The last row is what StarkEx v4's choice costs a user who only deposits: nothing — a deposit to an
unregistered key is the plain deposit.
"""
from __future__ import annotations

import sys
from pathlib import Path
from statistics import mean

from ape import accounts, networks, project

from bench import print_table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from contracts.conftest import QUANTUM, deploy_exchange  # noqa: E402
from offchain.crypto.signature import sign  # noqa: E402
from offchain.core.l1.users import register_user, stark_public_point, user_registration_hash  # noqa: E402

SAMPLES = 5
BASE_TX = 21_000
ROWS = (
    "registerEthAddress tx (y given, comb for G)",
    "ECDSA alone: y given, comb for G (the exchange's)",
    "ECDSA alone: y given, double-and-add for G",
    "ECDSA alone: x only, square root + both signs (former)",
    "square root of the key's y alone (Tonelli-Shanks)",
    "deposit to an unregistered key (no registration needed)",
)


def _estimate(contract, method: str, *args) -> int:
    data = getattr(contract, method).encode_input(*args)
    web3 = networks.provider.web3
    return web3.eth.estimate_gas({"to": contract.address, "data": "0x" + bytes(data).hex()}) - BASE_TX


def measure() -> list[tuple[str, int]]:
    deployer, operator = accounts.test_accounts[0], accounts.test_accounts[1]
    chain = networks.provider.chain_manager
    harness = deployer.deploy(project.StarkEcdsaHarness)
    exchange = deploy_exchange(project, deployer, operator, chain, deployer.deploy(project.EscapeVerifier))
    samples: dict[str, list[int]] = {name: [] for name in ROWS}
    for i in range(SAMPLES):
        private_key = 0x5EED_0000 + 7919 * i
        owner = accounts.test_accounts[2 + i]
        x, y = stark_public_point(private_key)
        msg_hash = user_registration_hash(owner.address, x)
        signature = sign(private_key, msg_hash)
        samples[ROWS[0]].append(register_user(exchange.contract, owner, private_key).gas_used)
        samples[ROWS[1]].append(_estimate(harness, "verify", msg_hash, signature.r, signature.s, x, y))
        samples[ROWS[2]].append(_estimate(harness, "verifyWithoutComb", msg_hash, signature.r, signature.s, x, y))
        samples[ROWS[3]].append(_estimate(harness, "verifyXOnly", msg_hash, signature.r, signature.s, x))
        samples[ROWS[4]].append(_estimate(harness, "squareRootY", x))
        fresh_key = stark_public_point(0xD0_0000 + i)[0]
        samples[ROWS[5]].append(exchange.contract.deposit(fresh_key, exchange.collateral, 1, 1, value=QUANTUM,
                                                          sender=owner).gas_used)
    return [(name, round(mean(values))) for name, values in samples.items()]


def main() -> None:
    with networks.ethereum.local.use_provider("foundry"):
        rows = measure()
    print_table(f"registration, mean of {SAMPLES} keys", rows)


if __name__ == "__main__":
    main()
