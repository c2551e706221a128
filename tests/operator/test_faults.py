"""Faults around the operator: a busy port, a replaced node, a stalled node, a killed process's
children and leftovers. Each fails fast with its reason or is contained."""
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from clients import gateway_client
from offchain.core.batching.executor import BatchExecutor
from offchain.cli import save_stack
from offchain.core.operator import NODE_IDENTITY, GatewayPortBusy, NodeReplaced
from test_operator_l1 import alice_and_bob, user_transactions
from dev_registry import dev_registry

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def stack(project, accounts, chain, tmp_path):
    return alice_and_bob(project, accounts, chain, tmp_path, run_cairo=False, **dev_registry(project, accounts[0]))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_busy_gateway_port_fails_at_once_with_the_reason(stack):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen(1)
        port = squatter.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(GatewayPortBusy) as busy:
            stack.operator().serve_gateway(port=port)
        assert time.monotonic() - started < 5
        assert f"127.0.0.1:{port}" in str(busy.value) and "in use" in str(busy.value)


def test_restart_over_another_node_stops_with_the_reason(stack):
    operator = stack.operator()
    identity = operator.store.get_setting(NODE_IDENTITY)
    assert identity["exchange"] == stack.deployment.exchange.address and identity["exchange_code"]
    # The store was made on another chain (what a restarted, empty local node looks like).
    operator.store.set_setting(NODE_IDENTITY, {**identity, "genesis_hash": "0x" + "11" * 32})
    with pytest.raises(NodeReplaced) as replaced:
        stack.operator()
    assert "genesis_hash" in str(replaced.value)


def run_local(stack_file: Path, node_uri: str, port: int, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "APE_FOUNDRY_HOST": node_uri, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "offchain.cli", "run-local", "--stack", str(stack_file), "--port", str(port),
                           "--log-format", "text"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def test_run_local_against_an_empty_node_or_a_busy_port_exits_with_the_reason(stack, chain, tmp_path):
    """What follows a killed `ape run operator`: its node is gone, and a new process pointed at the
    same address finds (or starts) an empty chain. It must stop, not retry forever."""
    stack_file = tmp_path / "stack.pickle"
    save_stack(stack, stack_file)
    empty_node = f"http://127.0.0.1:{free_port()}"  # nothing there: ape starts an empty local node
    ended = run_local(stack_file, empty_node, free_port())
    assert ended.returncode == 2, ended.stderr[-2000:]
    assert "no contract at the exchange address" in ended.stderr
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen(1)
        ended = run_local(stack_file, chain.provider.uri, squatter.getsockname()[1])
    assert ended.returncode == 2 and "cannot serve the gateway" in ended.stderr, ended.stderr[-2000:]


def node_pid(chain) -> int:
    return chain.provider.process.pid


def test_intake_answers_while_the_node_is_stalled(stack, chain):
    """The node stops answering (SIGSTOP): the service loop's L1 reads hang, the gateway does not."""
    operator = stack.operator()
    operator.watcher.poll()
    client = gateway_client(operator)
    transfer, withdrawal = user_transactions(stack)
    stalled_loop = threading.Thread(target=operator.watcher.poll, daemon=True)
    os.kill(node_pid(chain), signal.SIGSTOP)
    try:
        stalled_loop.start()  # blocks inside an RPC to the stopped node
        time.sleep(0.5)
        started = time.monotonic()
        for tx_id, tx in ((1, transfer), (2, withdrawal)):
            response = client.post("/gateway/add_transaction", json={"tx_id": tx_id, "tx": tx})
            assert response.status_code == 200, response.json()
        assert time.monotonic() - started < 5
        assert stalled_loop.is_alive()
    finally:
        os.kill(node_pid(chain), signal.SIGCONT)
    stalled_loop.join(60)
    assert operator.drain()[-1].tx_ids == range(0, 3)


def test_run_folders_of_dead_processes_are_swept_and_accepted_ones_removed(stack, tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    abandoned = tmp_path / f"batch-0.run-{dead.pid}-abcdef12"
    abandoned.mkdir()
    (abandoned / "trace.bin").write_bytes(b"x")
    mine = tmp_path / f"batch-1.run-{os.getpid()}-abcdef12"
    mine.mkdir()
    executor = BatchExecutor(stack.genesis, tmp_path, run_cairo=False, keep_runs=1)
    assert not abandoned.exists() and mine.exists()  # a live process's run is not touched
    for batch_id in (0, 1):
        executor.run_dir(batch_id).mkdir()
    executor.accepted(0)
    assert executor.run_dir(0).exists()  # kept: the retention is one accepted batch
    executor.accepted(1)
    assert not executor.run_dir(0).exists() and executor.run_dir(1).exists()


@pytest.mark.slow
def test_killed_ape_run_operator_takes_its_local_node_with_it(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    port = free_port()
    process = subprocess.Popen([str(Path(sys.executable).parent / "ape"), "run", "operator", "--port", str(port),
                                "--application-port", str(free_port()),
                                "--workdir", str(tmp_path), "--network", "ethereum:local:foundry"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        output = []
        for line in process.stdout:
            output.append(line)
            if "Ctrl-C stops" in line or time.monotonic() > deadline:
                break
        assert any("gateway http://" in line for line in output), "".join(output[-40:])
        nodes = [int(p) for p in subprocess.run(["pgrep", "-P", str(process.pid), "anvil"], capture_output=True,
                                                  text=True).stdout.split()]
        assert len(nodes) == 1, "".join(output[-40:])
        applications = [int(p) for p in subprocess.run(["pgrep", "-P", str(process.pid), "-f", "offchain.application"],
                                                         capture_output=True, text=True).stdout.split()]
        assert len(applications) == 1, "".join(output[-40:])
        nodes += applications  # the application ends with its operator too
        assert (tmp_path / "gateway-clients.json").stat().st_mode & 0o077 == 0  # the tokens: owner only
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        for pid in nodes:
            deadline = time.monotonic() + 15
            while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


def test_served_gateway_survives_hostile_bodies(stack):
    """Over real HTTP (uvicorn in the operator's gateway thread): an oversized body and a deeply
    nested one are refused before parsing, and the gateway still answers."""
    import httpx

    operator = stack.operator()
    port = free_port()
    operator.serve_gateway(port=port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30,
                          headers={**operator.access.clients[0].header(), "content-type": "application/json"}) as client:
            deep = client.post("/gateway/add_transaction", content=b"[" * 300_000 + b"]" * 300_000)
            assert deep.status_code == 413  # over the body limit first
            deep = client.post("/gateway/add_transaction", content=b"[" * 100_000)
            assert deep.status_code == 400, deep.text
            assert client.get("/gateway/is_alive").status_code == 200
    finally:
        operator.stop_gateway()


@pytest.mark.slow
@pytest.mark.parametrize("script", ["demo", "operator"])
def test_ape_run_on_a_busy_port_stops_at_once_with_the_reason(script, tmp_path):
    """`make demo` and `ape run operator` used to hang after "address already in use"."""
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen(1)
        port = squatter.getsockname()[1]
        ended = subprocess.run([str(Path(sys.executable).parent / "ape"), "run", script, "--port", str(port),
                                "--network", "ethereum:local:foundry"], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                               capture_output=True, text=True, timeout=180)
    assert ended.returncode != 0
    assert f"cannot serve the gateway on 127.0.0.1:{port}" in ended.stdout + ended.stderr


def test_ape_run_operator_refuses_proof_params_a_verifier_would_refuse(tmp_path):
    """--proof-params below 96 bits would prove batches no deployed verifier accepts: refused
    before anything is deployed, naming the floor."""
    ended = subprocess.run([str(Path(sys.executable).parent / "ape"), "run", "operator", "--proof-params", "2:40:16",
                            "--workdir", str(tmp_path), "--network", "ethereum:local:foundry"], cwd=ROOT,
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=180)
    assert ended.returncode != 0
    said = ended.stdout + ended.stderr
    assert "--proof-params" in said and "56 bits of conjectured security is below the verifiers' floor of 96" in said
    assert not (tmp_path / "gateway-clients.json").exists()  # nothing was set up


def test_ape_run_operator_refuses_empty_proof_params(tmp_path):
    """An empty --proof-params is a malformed set, not "use the default": refused before anything
    is deployed (the adversary's finding: it was taken for the option left out)."""
    ended = subprocess.run([str(Path(sys.executable).parent / "ape"), "run", "operator", "--proof-params", "",
                            "--workdir", str(tmp_path), "--network", "ethereum:local:foundry"], cwd=ROOT,
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=180)
    assert ended.returncode != 0
    assert "proof parameters '' are not BLOWUP:QUERIES:GRINDING_BITS" in ended.stdout + ended.stderr
    assert not (tmp_path / "gateway-clients.json").exists()
