"""A new user's journey, as the README walks it, through the CLI against `ape run operator`
started from a plain shell (no virtual environment or node_modules on PATH): two key files,
registration and deposits on L1, a transfer, two opposite orders matched by the application into
a trade accepted on L1, a withdrawal paid on L1, a withdrawal to an unregistered address paid on
L1; and the exit codes scripts rely on."""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
STARTUP_SECONDS = 400  # deploys, compiles if needed, first batch: minutes on a loaded machine


PAYEE = "0x00000000000000000000000000000000C0FFEE01"  # checksummed: digits only past the letters


def rpc(node: str, method: str, *params):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)})
    request = urllib.request.Request(node, body.encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)["result"]


def l1_balance(node: str, address: str) -> int:
    """The address's wei on the node, by a plain JSON-RPC call (no account, no registration)."""
    return int(rpc(node, "eth_getBalance", address, "latest"), 16)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def plain_shell_env(**extra) -> dict:
    """What a user's shell has after the README's set-up: none of the Makefile's PATH entries."""
    env = {k: v for k, v in os.environ.items() if k not in ("PATH", "SOLCX_BINARY_PATH", "PYTHONPATH", "VIRTUAL_ENV")}
    return {**env, "PATH": "/usr/local/bin:/usr/bin:/bin", **extra}


@pytest.fixture
def operator(tmp_path):
    port, application_port = free_port(), free_port()
    log = (tmp_path / "operator.log").open("w")
    process = subprocess.Popen([str(BIN / "ape"), "run", "operator", "--port", str(port), "--application-port",
                                str(application_port), "--workdir", str(tmp_path / "operator")],
                               cwd=ROOT, env=plain_shell_env(), stdout=log, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    deadline = time.monotonic() + STARTUP_SECONDS
    while "Ctrl-C stops." not in (tmp_path / "operator.log").read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail("ape run operator did not start:\n" + (tmp_path / "operator.log").read_text()[-4000:])
        time.sleep(0.5)
    yield {"STARKEX_OPERATOR": f"http://127.0.0.1:{port}", "STARKEX_APPLICATION": f"http://127.0.0.1:{application_port}"}
    process.send_signal(signal.SIGINT)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    log.close()


@pytest.mark.slow
def test_two_users_from_keys_to_a_withdrawal(operator, tmp_path):
    def client(*args, expect: int = 0) -> str:
        done = subprocess.run([str(BIN / "starkex-client"), *args], cwd=tmp_path, env=plain_shell_env(**operator),
                              capture_output=True, text=True, timeout=900)
        assert done.returncode == expect, f"starkex-client {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        return done.stdout if expect == 0 else done.stderr

    alice = re.search(r"Stark key (0x[0-9a-f]+)", client("keys", "new", "--out", "keys/alice.json")).group(1)
    bob = re.search(r"Stark key (0x[0-9a-f]+)", client("keys", "new", "--out", "keys/bob.json")).group(1)
    assert (tmp_path / "keys/alice.json").stat().st_mode & 0o077 == 0  # the private key: owner only
    assert (tmp_path / "keys").stat().st_mode & 0o077 == 0
    assert client("keys", "show", "--key", "keys/alice.json").strip() == alice
    assert "BTC-10" in client("config")

    client("register", "--key", "keys/alice.json", "--account", "TEST::2")
    client("register", "--key", "keys/bob.json", "--account", "TEST::3")
    assert "is registered to" in client("register", "--key", "keys/bob.json", "--account", "TEST::4", expect=1)
    assert "holds 20000 collateral" in client("deposit", "--key", "keys/alice.json", "--account", "TEST::2", "--position", "11",
                                              "--amount", "20000")
    client("deposit", "--key", "keys/bob.json", "--account", "TEST::3", "--position", "12", "--amount", "20000")

    sent = client("transfer", "--key", "keys/alice.json", "--position", "11", "--to-key", bob, "--to-position", "12",
                  "--amount", "500")
    assert re.search(r"tx \d+: ACCEPTED in batch \d+", sent), sent

    resting = client("order", "--key", "keys/bob.json", "--position", "12", "--market", "BTC-10", "--side", "sell",
                     "--amount-synthetic", "10", "--amount-collateral", "990", "--fee", "10", "--no-wait")
    assert ": OPEN, filled 0 of 10" in resting
    traded = client("trade", "--key", "keys/alice.json", "--position", "11", "--market", "BTC-10", "--side", "buy",
                    "--amount-synthetic", "10", "--amount-collateral", "1000", "--fee", "10")
    trade_tx = re.search(r"trade tx (\d+): ACCEPTED", traded).group(1)
    assert "FILLED, filled 10 of 10" in traded
    assert "ACCEPTED" in client("status", trade_tx) and "(TRADE)" in client("status", trade_tx)

    refused = client("withdraw", "--key", "keys/bob.json", "--position", "12", "--amount", "100000000", expect=1)
    assert "ILLEGAL_POSITION_TRANSITION" in refused and "takes 100000000" in refused
    withdrawn = client("withdraw", "--key", "keys/bob.json", "--position", "12", "--amount", "1000", "--account", "TEST::3")
    assert "withdrew 1000 quantized collateral (10000000000000 wei)" in withdrawn

    # Alice withdraws to an address no Stark key is registered to (WITHDRAWAL_TO_ADDRESS); Bob's
    # account sends the L1 withdrawal, and the address itself is paid.
    node = re.search(r"L1 node (\S+)", client("config")).group(1)
    payee_before = l1_balance(node, PAYEE)
    to_address = client("withdraw", "--key", "keys/alice.json", "--position", "11", "--amount", "700", "--to-address", PAYEE,
                        "--account", "TEST::3")
    assert re.search(r"tx \d+: ACCEPTED in batch \d+", to_address), to_address
    assert f"withdrew 700 quantized collateral (7000000000000 wei) to {PAYEE}" in to_address
    assert l1_balance(node, PAYEE) == payee_before + 700 * 10**10
    assert "nothing to withdraw for address" in client("withdraw-l1", "--to-address", PAYEE, "--account", "TEST::2",
                                                        expect=1)
    assert "not a nonzero 0x-prefixed 20-byte" in client("withdraw", "--key", "keys/alice.json", "--position", "11",
                                                         "--amount", "1", "--to-address", "0x1234", expect=2)

    # 20000 - 500 transferred - 990 paid - 9 fee - 700 to the address; Bob: 20000 + 500 + 990 - 10 fee
    # - 1000 withdrawn.
    assert "collateral 17801" in client("balance", "--position", "11") and "BTC-10 10 " in client("balance", "--position", "11")
    assert "collateral 20480" in client("balance", "--position", "12")
    assert "collateral 20480" in client("balance", "--position", "12", "--rebuild")  # from L1 calldata alone
    assert re.search(r"^batch \d+: ACCEPTED, transactions \d+\.\.\d+$", client("batches"), re.MULTILINE)

    derived = client("keys", "from-eth-signature", "--account", "TEST::4", "--out", "carol.json")
    again = client("keys", "from-eth-signature", "--account", "TEST::4", "--out", "carol-again.json")
    assert derived.split()[2] == again.split()[2]  # the same wallet signature, the same Stark key
    assert "error" in client("--application", "http://127.0.0.1:1", "status", trade_tx, expect=3)
    vector = client("keys", "from-eth-signature", "--out", "vector.json", "--signature",  # StarkWare's public vector
                    "0x21fbf0696d5e0aa2ef41a2b4ffb623bcaf070461d61cf7251c74161f82fec3a4"
                    "370854bc0a34b3ab487c1bc021cd318c734c51ae29374f2beb0e6f2dd49b4bf41c")
    assert "0x766f11e90cd7c7b43085b56da35c781f8c067ac0d578eabdceebc4886435bda" in (tmp_path / "vector.json").read_text()
    assert vector.split()[2] == client("keys", "show", "--key", "vector.json").strip()
    # A deposit the operator could never credit (into Bob's position) is refused before L1; sent
    # anyway, it is cancelled and, two days later on L1, reclaimed. Unknown accounts are usage errors.
    assert "TEST::0 .. TEST::" in client("register", "--key", "keys/alice.json", "--account", "TEST::999", expect=2)
    assert "not an `ape accounts` alias" in client("deposit", "--key", "keys/alice.json", "--account", "nobody",
                                                   "--position", "11", "--amount", "5", expect=2)
    refused = client("deposit", "--key", "keys/alice.json", "--account", "TEST::2", "--position", "12", "--amount", "5", expect=1)
    assert f"INVALID_PUBLIC_KEY: position 12 belongs to Stark key {bob}" in refused
    assert "no uncredited deposit" in client("deposit-cancel", "--key", "keys/alice.json", "--account", "TEST::2",
                                             "--position", "12", expect=1)
    client("deposit", "--key", "keys/alice.json", "--account", "TEST::2", "--position", "12", "--amount", "5", "--force")
    assert "cancelled 5 quantized collateral pending for position 12" in client(
        "deposit-cancel", "--key", "keys/alice.json", "--account", "TEST::2", "--position", "12")
    assert "DEPOSIT_RECLAIM_TOO_EARLY" in client("deposit-reclaim", "--key", "keys/alice.json", "--account", "TEST::2",
                                                 "--position", "12", expect=1)
    rpc(node, "evm_increaseTime", 2 * 24 * 3600)
    rpc(node, "evm_mine")
    assert "reclaimed 5 quantized collateral (50000000000 wei)" in client(
        "deposit-reclaim", "--key", "keys/alice.json", "--account", "TEST::2", "--position", "12")
    assert "collateral 20480" in client("balance", "--position", "12")  # never credited to Bob

    forced = client("forced-withdrawal", "--key", "keys/alice.json", "--account", "TEST::2", "--position", "11", "--amount", "1")
    assert re.search(r"request key 0x[0-9a-f]{64}; freezable at \d{4}-", forced), forced

    (tmp_path / "broken.json").write_text("{}")
    assert "not a key file" in client("keys", "show", "--key", "broken.json", expect=2)
    client("keys", "show", "--key", "missing.json", expect=2)
