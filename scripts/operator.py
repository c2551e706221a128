"""`ape run operator`: the operator service — gateway over HTTP, L1 watcher, batch pipeline.

Without --deployment (local node only) it deploys a fresh exchange and its STARK fact registry
first. With `--deployment FILE --account ALIAS` (any network; the file from `ape run deploy
--save FILE`) it attaches to that exchange and sends updateState from the account. Either way
each batch is proven by this project's STARK prover and its fact registered through the
on-chain STARK verifier (offchain/core/l1/stark.py) before its state update; with --external-prover
the proving goes to an external service instead (offchain/core/l1/external_prover.py): job files go
to <workdir>/proving-jobs and the batch waits until the verifier chain holds its fact.

Gateway callers authenticate with a bearer token per client (offchain/core/gateway/access.py): from
--gateway-clients FILE, or else one fresh client per role written to <workdir>/gateway-clients.json.
"""
import tempfile
import threading
from pathlib import Path

from offchain.core.toolchain import use_project_tools

use_project_tools()  # anvil on PATH before Ape connects, however the command was started

import click  # noqa: E402
from ape import accounts, chain, networks, project  # noqa: E402
from ape.cli import ConnectedProviderCommand  # noqa: E402

from offchain.application.price_source import LOCAL_MARKET, LocalPriceSource  # noqa: E402
from offchain.application.server import DEFAULT_PORT as APPLICATION_PORT, ApplicationFailed, start_process  # noqa: E402
from offchain.core.batching.pipeline import BatchPolicy  # noqa: E402
from offchain.cli import save_stack as save_stack_file  # noqa: E402
from offchain.client.api import GatewayClient, ServiceError  # noqa: E402
from offchain.crypto.signature import private_to_public_key  # noqa: E402
from offchain.core.gateway.access import GatewayAccess, Role  # noqa: E402
from offchain.perpetual.feeder import asset_name  # noqa: E402
from offchain.core.gateway.intake import DEFAULT_MAX_PENDING  # noqa: E402
from offchain.core.l1.accounts import account_by_alias  # noqa: E402
from offchain.perpetual.deployment_file import DeploymentRecord  # noqa: E402
from offchain.core.l1.accounts import LOCAL_CHAIN_ID  # noqa: E402
from offchain.perpetual.local import LocalStack, bind_node_to_this_process  # noqa: E402
from offchain.prover.params import LOCAL_NODE_PARAMS, ProofParams  # noqa: E402
from offchain.core.l1.watcher import DEFAULT_CONFIRMATIONS  # noqa: E402
from offchain.core.logs import configure  # noqa: E402
from offchain.core.operator import GatewayPortBusy, NodeReplaced, Operator, bind_gateway_socket  # noqa: E402
from offchain.spot.local import SpotStack  # noqa: E402


@click.command(cls=ConnectedProviderCommand)
@click.option("--app", "app_name", type=click.Choice(["perpetual", "spot"]), default="perpetual", show_default=True,
              help="the application: StarkEx Perpetual, or Spot (local node only: a rollup StarkExchange, no "
                   "reference application)")
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
@click.option("--deployment", "deployment_file", type=click.Path(exists=True, path_type=Path), default=None,
              help="attach to the exchange in this file (from `ape run deploy --save`) instead of deploying one")
@click.option("--account", "account_alias", default=None,
              help="with --deployment: the operator account (an alias of `ape accounts`, or TEST::<n> on the local node)")
@click.option("--external-prover", is_flag=True, default=False,
              help="with --deployment: hand each batch's proving to an external service (job files in "
                   "<workdir>/proving-jobs) instead of proving it here")
@click.option("--confirmations", type=click.IntRange(min=0), default=None,
              help=f"blocks on top of an L1 event, and of a state update, before the operator relies on it "
                   f"[default: 0 on the local node, {DEFAULT_CONFIRMATIONS} elsewhere]")
@click.option("--gateway-clients", type=click.Path(exists=True, path_type=Path), default=None,
              help='gateway callers: JSON {"clients": [{"name", "role": application|price_source|user_door, "token"}]} '
                   "[default: one fresh client per role, written to <workdir>/gateway-clients.json]")
@click.option("--max-pending", type=click.IntRange(min=1), default=DEFAULT_MAX_PENDING, show_default=True,
              help="transactions waiting for a batch before the gateway answers 503 with Retry-After")
@click.option("--keep-batch-runs", type=click.IntRange(min=0), default=0, show_default=True,
              help="accepted batches whose Cairo run folders (trace, memory) are kept in the workdir")
@click.option("--proof-params", default=None, metavar="BLOWUP:QUERIES:BITS",
              help="the STARK parameters batches are proven with (>= 96 bits): 2:80:16 the least prover time, "
                   "8:27:16 the least gas (100 transfers: 55 s against 125 s, 65 M gas against 31 M) "
                   f"[default: {LOCAL_NODE_PARAMS.spec} on the local node, where gas costs nothing; "
                   f"{ProofParams().spec} elsewhere]")
@click.option("--application-port", type=click.IntRange(min=0), default=APPLICATION_PORT, show_default=True,
              help="the reference application's port on 127.0.0.1 (users' door: orders, transfers, withdrawals); "
                   "0: do not start it")
def cli(app_name, port, workdir, database_url, batch_size, batch_age, fee_private_key, log_format, save_stack, validium,
        deployment_file, account_alias, external_prover, confirmations, gateway_clients, max_pending, keep_batch_runs,
        proof_params, application_port):
    configure("INFO", fmt=log_format)
    try:
        params = None if proof_params is None else ProofParams.parse(proof_params)
    except ValueError as bad:
        raise click.BadParameter(str(bad), param_hint="--proof-params") from None
    try:
        bind_gateway_socket("127.0.0.1", port).close()  # a busy port stops us before anything is deployed
    except GatewayPortBusy as busy:
        raise click.ClickException(str(busy)) from None
    if application_port:
        try:
            bind_gateway_socket("127.0.0.1", application_port).close()
        except GatewayPortBusy:
            raise click.ClickException(f"cannot serve the application on 127.0.0.1:{application_port}: the port is in use "
                                       "(choose another with --application-port, or 0 for none)") from None
    workdir = workdir or Path(tempfile.mkdtemp(prefix="starkex-operator-"))
    workdir.mkdir(parents=True, exist_ok=True)
    local = chain.chain_id == LOCAL_CHAIN_ID
    if local:
        bind_node_to_this_process(networks.provider)  # a killed operator takes its local node with it
    if confirmations is None:
        confirmations = 0 if local else DEFAULT_CONFIRMATIONS
    if params is None:
        params = LOCAL_NODE_PARAMS if local else ProofParams()
    policy = BatchPolicy(max_size=batch_size, max_age_seconds=batch_age)
    access = GatewayAccess.load(gateway_clients) if gateway_clients else GatewayAccess.generate()
    if gateway_clients is None:
        access.save(workdir / "gateway-clients.json")
    extra = dict(confirmations=confirmations, gateway_access=access, max_pending=max_pending,
                 keep_batch_runs=keep_batch_runs, proof_params=params)
    if deployment_file is not None:
        if app_name != "perpetual":
            raise click.ClickException("--deployment attaches to a Perpetual exchange; --app spot deploys its own on the local node")
        if not account_alias:
            raise click.ClickException("--deployment needs --account: the operator account that sends updateState")
        operator = attached_operator(deployment_file, account_alias, workdir, database_url, policy,
                                     {**extra, "external_prover": external_prover})
        serve(operator, port, f"attached to the exchange in {deployment_file}; store {operator.settings.database_url}",
              workdir, gateway_clients, application_port)
        return
    if chain.chain_id != LOCAL_CHAIN_ID:
        raise click.ClickException(
            f"chain {chain.chain_id} ({networks.provider.network.name}) is not the local node: deploy with "
            "`ape run deploy --account ALIAS --save FILE`, then run `ape run operator --deployment FILE --account ALIAS`."
        )
    deployer, operator_account = accounts.test_accounts[:2]
    if app_name == "spot":
        if validium or save_stack:
            raise click.ClickException("--app spot runs a rollup without a saved stack: leave out --validium and --save-stack")
        stack = SpotStack.deploy(project, deployer, operator_account, chain, workdir, batch_policy=policy)
        if database_url:
            stack.settings.database_url = database_url
        for name, value in extra.items():
            setattr(stack.settings, name, value)
        serve(stack.operator(), port, f"token administrator {deployer.address}; store {stack.settings.database_url}",
              workdir, gateway_clients, application_port=0)
        return
    committee, members = None, []
    if validium:
        n_members, threshold = (int(x) for x in validium.split(":"))
        members = accounts.test_accounts[2:2 + n_members]
        committee = deployer.deploy(project.Committee, [m.address for m in members], threshold)
    stack = LocalStack.deploy(project, deployer, operator_account, chain, workdir,
                              fee_public_key=private_to_public_key(int(fee_private_key, 0)),
                              batch_policy=policy, committee=committee, synthetics=[LOCAL_MARKET])
    if database_url:
        stack.settings.database_url = database_url
    for name, value in extra.items():
        setattr(stack.settings, name, value)
    if save_stack:
        save_stack_file(stack, save_stack)
    for member in members:
        click.echo(f"committee member {member.address}: key {member.private_key}")
    serve(stack.operator(), port, f"store {stack.settings.database_url}", workdir, gateway_clients, application_port,
          open_local_market=True)


def attached_operator(deployment_file: Path, account_alias: str, workdir: Path, database_url, policy, extra) -> Operator:
    record = DeploymentRecord.load(deployment_file)
    account = account_by_alias(account_alias)
    try:
        return record.operator(project, chain, account, workdir, policy, database_url, **extra)
    except (ValueError, NodeReplaced) as wrong_chain:
        raise click.ClickException(f"{deployment_file}: {wrong_chain}") from None


def serve(operator: Operator, port: int, what: str, workdir: Path, gateway_clients: Path | None, application_port: int,
          open_local_market: bool = False) -> None:
    try:
        operator.serve_gateway(port=port)
    except GatewayPortBusy as busy:
        raise click.ClickException(str(busy)) from None
    clients = gateway_clients or workdir / "gateway-clients.json"
    gateway_url = f"http://127.0.0.1:{port}"
    click.echo(operator.exchange_config.describe())
    click.echo(f"{what}; gateway {gateway_url} (OpenAPI at /docs, state explorer at /explorer), "
               f"client tokens in {clients}")
    if open_local_market:
        send_local_prices(operator, gateway_url)
    application = None
    if application_port:
        try:
            application = start_process(gateway_url, clients, workdir, application_port)
        except ApplicationFailed as failed:
            raise click.ClickException(str(failed)) from None
        click.echo(f"application http://127.0.0.1:{application_port} (users send orders, transfers and withdrawals "
                   f"here; log {workdir / 'application.log'})")
    click.echo("Ctrl-C stops.")
    stop = threading.Event()
    try:
        operator.run_forever(stop)
    except KeyboardInterrupt:
        stop.set()
    except NodeReplaced as replaced:
        raise click.ClickException(str(replaced)) from None
    finally:
        operator.stop_gateway()
        if application is not None:
            application.terminate()


def send_local_prices(operator: Operator, gateway_url: str) -> None:
    """Opens the local market: its oracles' first prices and funding index, from the price source."""
    if not any(c.role is Role.PRICE_SOURCE for c in operator.access.clients):
        click.echo("no price_source client configured: the market opens when one sends prices")
        return
    source = LocalPriceSource(GatewayClient(gateway_url, operator.access.client(Role.PRICE_SOURCE).token),
                              LOCAL_MARKET, operator.exchange_config.collateral_resolution, operator.clock)
    try:
        tx_ids = source.tick()
    except ServiceError as refused:
        raise click.ClickException(f"the local price source's first tick was refused: {refused}") from None
    click.echo(f"market {asset_name(LOCAL_MARKET.asset_id)}: oracle prices and funding index sent (txs {tx_ids[0]}..{tx_ids[-1]})")
