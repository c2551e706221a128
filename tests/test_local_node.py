"""The local node the tests run on is started through tools/bin/anvil, without step tracing."""
from pathlib import Path


def test_local_node_keeps_no_step_traces(chain):
    process = chain.provider.process
    assert process is not None, "the tests expect ape-foundry to start the local node"
    cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes().split(b"\0")
    # The wrapper execs the real anvil, so the node's own command line is what it was given.
    assert any(arg.endswith(b"anvil") for arg in cmdline), cmdline
    assert b"--steps-tracing" not in cmdline
