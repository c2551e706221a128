"""`ape run operator`: the operator service — gateway over HTTP, L1 watcher, batch pipeline.

On the local node it deploys a fresh exchange first (verifying through the DEVELOPMENT fact
registry). On any other network it stops with the reason: batches there need the STARK
verifier, which does not yet cover the batch program's pedersen and ecdsa builtins.
"""
import tempfile
import threading
from pathlib import Path

import click
from ape import accounts, chain, networks, project
from ape.cli import ConnectedProviderCommand

from offchain.batching.pipeline import BatchPolicy
from offchain.cli import save_stack as save_stack_file
from offchain.crypto.signature import private_to_public_key
from offchain.l1.exchange import LOCAL_CHAIN_ID
from offchain.l1.local import LocalStack
from offchain.logs import configure


@click.command(cls=ConnectedProviderCommand)
@click.option("--port", default=9414, show_default=True, help="gateway port on 127.0.0.1")
@click.option("--workdir", type=click.Path(path_type=Path), default=None, help="store and Cairo runs (default: a new temp dir)")
@click.option("--database-url", default=None, help="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db (default: SQLite in workdir)")
@click.option("--batch-size", default=100, show_default=True)
@click.option("--batch-age", default=5.0, show_default=True, help="seconds before a non-full batch closes")
@click.option("--fee-private-key", default="0xfee", show_default=True, help="Stark key of the fee position (demo value)")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one short line per event, with progress of the Cairo run and proving; json: structured")
@click.option("--save-stack", type=click.Path(path_type=Path), default=None,
              help="write the deployment here, for `starkex-operator run-local --stack` (a restart without redeploying)")
@click.option("--validium", default=None, metavar="N:T",
              help="validium mode: deploy a data-availability committee of N members (test accounts), threshold T; "
                   "run each member with `starkex-operator committee-member --stack FILE --key K`")
def cli(port, workdir, database_url, batch_size, batch_age, fee_private_key, log_format, save_stack, validium):
    configure("INFO", fmt=log_format)
    if chain.chain_id != LOCAL_CHAIN_ID:
        raise click.ClickException(
            f"chain {chain.chain_id} ({networks.provider.network.name}) is not the local node: proving batches on a real "
            "network needs the STARK verifier to cover the batch program's pedersen and ecdsa builtins (not yet)."
        )
    workdir = workdir or Path(tempfile.mkdtemp(prefix="starkex-operator-"))
    workdir.mkdir(parents=True, exist_ok=True)
    deployer, operator_account = accounts.test_accounts[:2]
    committee, members = None, []
    if validium:
        n_members, threshold = (int(x) for x in validium.split(":"))
        members = accounts.test_accounts[2:2 + n_members]
        committee = deployer.deploy(project.Committee, [m.address for m in members], threshold)
    stack = LocalStack.deploy(project, deployer, operator_account, chain, workdir,
                              fee_public_key=private_to_public_key(int(fee_private_key, 0)),
                              batch_policy=BatchPolicy(max_size=batch_size, max_age_seconds=batch_age),
                              committee=committee)
    if database_url:
        stack.settings.database_url = database_url
    if save_stack:
        save_stack_file(stack, save_stack)
    operator = stack.operator()
    operator.serve_gateway(port=port)
    for member in members:
        click.echo(f"committee member {member.address}: key {member.private_key}")
    click.echo(f"exchange {stack.deployment.exchange.address}; gateway http://127.0.0.1:{port} "
               f"(OpenAPI at /docs); store {stack.settings.database_url}. Ctrl-C stops.")
    stop = threading.Event()
    try:
        operator.run_forever(stop)
    except KeyboardInterrupt:
        stop.set()
    finally:
        operator.stop_gateway()
