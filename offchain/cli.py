"""Console entry point: `starkex-operator`.

`starkex-operator run-local --stack FILE` runs the operator as a process of its own over a
stack already deployed on the local node (saved by `save_stack`): the restart tests start it,
kill it with SIGKILL and start it again over the same store and chain, as a crash would.
`starkex-operator committee-member --stack FILE --key K` runs one validium committee member.
"""
from __future__ import annotations

import argparse
import pickle
import signal
import sys
import threading
from pathlib import Path

from offchain import __version__

LOCAL_NETWORK = "ethereum:local:foundry"


def save_stack(stack, path: Path) -> None:
    """Writes what a fresh process needs to attach to `stack` (a LocalStack) without deploying.

    Contract types travel with the addresses so that the process needs no compilation.
    """
    def contract(instance) -> tuple[str, str]:
        return instance.address, instance.contract_type.model_dump_json()

    manifest = {
        "exchange": contract(stack.deployment.exchange),
        "escape_verifier": contract(stack.deployment.escape_verifier),
        "fact_registry": contract(stack.fact_registry),
        "verifier_chain": stack.deployment.verifier_chain,
        "collateral_asset_type": stack.deployment.collateral_asset_type,
        "quantum": stack.deployment.quantum,
        "genesis": stack.genesis,
        "program_hash": stack.program_hash,
        "deployer": stack.deployer.address,
        "operator": stack.operator_account.address,
        "settings": stack.settings,
        "committee": contract(stack.committee) if stack.committee is not None else None,
        "stark": {name: contract(getattr(stack.stark, name)) for name in ("programs", "statements", "verifier", "registry")}
        if stack.stark is not None else None,
    }
    Path(path).write_bytes(pickle.dumps(manifest))


def load_stack(path: Path):
    """The LocalStack saved at path, over the connected local node."""
    from ape import accounts, chain
    from ape.contracts import ContractInstance
    from ethpm_types import ContractType

    from offchain.perpetual.exchange import Deployment
    from offchain.perpetual.local import LocalStack
    from offchain.core.l1.stark import CairoVerifierStack

    manifest = pickle.loads(Path(path).read_bytes())

    def contract(entry):
        address, contract_type = entry
        return ContractInstance(address, ContractType.model_validate_json(contract_type))

    by_address = {a.address: a for a in accounts.test_accounts}
    deployment = Deployment(contract(manifest["exchange"]), contract(manifest["escape_verifier"]),
                            manifest["verifier_chain"], manifest["collateral_asset_type"], manifest["quantum"])
    committee = manifest.get("committee")
    stark = manifest.get("stark")
    return LocalStack(deployment, contract(manifest["fact_registry"]), manifest["genesis"], manifest["program_hash"],
                      by_address[manifest["deployer"]], by_address[manifest["operator"]], chain, manifest["settings"],
                      contract(committee) if committee is not None else None,
                      CairoVerifierStack(**{k: contract(v) for k, v in stark.items()}) if stark else None)


def run_local(stack_file: Path, port: int, idle_sleep: float, log_format: str) -> int:
    """Exits 2 with the reason when the node is not the stack's (a restarted, empty local node)
    or the gateway's port is taken, instead of retrying forever."""
    from ape import networks

    from offchain.core.logs import configure
    from offchain.core.operator import GatewayPortBusy, NodeReplaced

    configure("INFO", fmt=log_format)
    with networks.parse_network_choice(LOCAL_NETWORK):
        try:
            operator = load_stack(stack_file).operator()
            operator.serve_gateway(port=port)
            stop = threading.Event()
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
            operator.run_forever(stop, idle_sleep=idle_sleep)
        except (NodeReplaced, GatewayPortBusy) as fatal:
            print(f"starkex-operator: {fatal}", file=sys.stderr, flush=True)
            return 2
        operator.stop_gateway()
    return 0


def run_member(stack_file: Path, gateway_url: str, private_key: str, poll_seconds: float) -> int:
    """A validium committee member: follows the operator's batches through its availability
    gateway, replays each on its own state and signs the roots only when they match."""
    import httpx

    from offchain.core.l1.committee import CommitteeMember

    genesis = pickle.loads(Path(stack_file).read_bytes())["genesis"]
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with httpx.Client(base_url=gateway_url, timeout=30) as client:
        member = CommitteeMember(private_key, genesis, client)
        print(f"committee member {member.address} following {gateway_url}", flush=True)
        while not stop.is_set():
            if member.review_next():
                print(f"signed batch {member.next_batch_id - 1}", flush=True)
            else:
                stop.wait(poll_seconds)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="starkex-operator", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    commands = parser.add_subparsers(dest="command")
    local = commands.add_parser("run-local", help="run the operator over a saved local stack (APE_FOUNDRY_HOST names the node)")
    local.add_argument("--stack", type=Path, required=True, help="file written by offchain.cli.save_stack")
    local.add_argument("--port", type=int, default=9414, help="gateway port on 127.0.0.1")
    local.add_argument("--idle-sleep", type=float, default=0.2, help="seconds between loops when idle")
    local.add_argument("--log-format", choices=("json", "text"), default="json", help="json: structured lines; text: for a terminal")
    member = commands.add_parser("committee-member", help="run a validium committee member against an operator's gateway")
    member.add_argument("--stack", type=Path, required=True, help="file written by offchain.cli.save_stack (for the genesis)")
    member.add_argument("--gateway", default="http://127.0.0.1:9414", help="the operator's gateway URL")
    member.add_argument("--key", required=True, help="the member's Ethereum private key (hex)")
    member.add_argument("--poll", type=float, default=1.0, help="seconds between polls when there is nothing to sign")
    args = parser.parse_args(argv)
    if args.version:
        print(f"starkex-operator {__version__}")
        return 0
    if args.command == "run-local":
        return run_local(args.stack, args.port, args.idle_sleep, args.log_format)
    if args.command == "committee-member":
        return run_member(args.stack, args.gateway, args.key, args.poll)
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
