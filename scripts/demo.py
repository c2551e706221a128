"""`ape run demo`: the main job on the local node.

Deploys the exchange with one market (BTC-10), lets Alice and Bob register and deposit ETH on L1,
starts the operator (gateway over HTTP, L1 watcher, batch pipeline), its price source and the
reference application; Alice and Bob send their signed requests to the application as users do:
Alice's transfer to Bob, Bob's withdrawal (and one he cannot afford), and two opposite limit
orders that the application matches into a TRADE. The batch runs through the Python model and the
Cairo program; this project's STARK prover proves the Cairo run, the on-chain STARK verifier
checks the proof (in several transactions: its statements, then the main verification) and
registers the batch's fact, and only then does L1 accept the state update; then Bob withdraws
his ETH on L1.
"""
import tempfile
from pathlib import Path

from offchain.core.toolchain import use_project_tools

use_project_tools()  # anvil on PATH before Ape connects, however the command was started

import click  # noqa: E402
from ape import accounts, chain, project  # noqa: E402
from ape.cli import ConnectedProviderCommand  # noqa: E402

from offchain.application.price_source import LOCAL_MARKET, LocalPriceSource  # noqa: E402
from offchain.application.server import DEFAULT_PORT as APPLICATION_PORT, ApplicationFailed, start_process  # noqa: E402
from offchain.client.api import ApplicationClient, FeederGatewayClient, GatewayClient, RequestRefused  # noqa: E402
from offchain.client.keys import StarkKeyPair  # noqa: E402
from offchain.client.requests import Position, RequestSigner, to_starkex_json  # noqa: E402
from offchain.crypto.signature import private_to_public_key  # noqa: E402
from offchain.core.gateway.access import Role  # noqa: E402
from offchain.perpetual.local import ETH_QUANTUM, LocalStack  # noqa: E402
from offchain.core.logs import configure  # noqa: E402
from offchain.core.operator import GatewayPortBusy, bind_gateway_socket  # noqa: E402
from offchain.spot import commands as spot_commands  # noqa: E402

ALICE_KEY, BOB_KEY, FEE_KEY = 0xA11CE, 0xB0B, 0xFEE


@click.command(cls=ConnectedProviderCommand)
@click.option("--app", "app_name", type=click.Choice(["perpetual", "spot"]), default="perpetual", show_default=True,
              help="perpetual: the main job; spot: a StarkExchange with ETH, ERC-20 and ERC-721 (offchain/spot/commands.py)")
@click.option("--port", default=9414, show_default=True, help="the demo operator's gateway port on 127.0.0.1")
@click.option("--application-port", default=APPLICATION_PORT, show_default=True,
              help="the reference application's port on 127.0.0.1")
def cli(app_name, port, application_port):
    configure("INFO", fmt="text")  # a person watches the demo: short lines with progress
    if app_name == "spot":
        try:
            bind_gateway_socket("127.0.0.1", port).close()
        except GatewayPortBusy as busy:
            raise click.ClickException(str(busy)) from None
        spot_commands.demo(project, chain, accounts.test_accounts, Path(tempfile.mkdtemp(prefix="starkex-spot-demo-")), port)
        return
    for name, number in (("gateway", port), ("application", application_port)):
        try:
            bind_gateway_socket("127.0.0.1", number).close()  # a busy port stops the demo before it deploys
        except GatewayPortBusy as busy:
            raise click.ClickException(str(busy).replace("the gateway", f"the {name}")) from None
    deployer, operator_account, alice_eth, bob_eth = accounts.test_accounts[:4]
    alice_keys, bob_keys = StarkKeyPair.from_private_key(ALICE_KEY), StarkKeyPair.from_private_key(BOB_KEY)
    workdir = Path(tempfile.mkdtemp(prefix="starkex-demo-"))

    stack = LocalStack.deploy(project, deployer, operator_account, chain, workdir,
                              fee_public_key=private_to_public_key(FEE_KEY), synthetics=[LOCAL_MARKET])
    operator = stack.operator()
    exchange, config = operator.l1, operator.exchange_config
    click.echo(f"{config.describe()}\nprogram hash 0x{stack.program_hash.hex()}")

    for name, keys, eth, position_id in (("Alice", alice_keys, alice_eth, 1), ("Bob", bob_keys, bob_eth, 2)):
        exchange.register(eth, keys)
        exchange.deposit(eth, keys.public_key, config.collateral_asset_id, position_id, 1000)
        click.echo(f"{name} registered a Stark key and deposited 1000 quantized ETH on L1 into position {position_id}")

    try:
        operator.serve_gateway(port=port)
    except GatewayPortBusy as busy:
        raise click.ClickException(str(busy)) from None
    gateway_url = f"http://127.0.0.1:{port}"
    operator.watcher.poll()
    clients_file = workdir / "gateway-clients.json"
    stack.settings.gateway_access.save(clients_file)
    LocalPriceSource(GatewayClient(gateway_url, operator.access.client(Role.PRICE_SOURCE).token), LOCAL_MARKET,
                     config.collateral_resolution, operator.clock).tick()
    click.echo("the price source opened the BTC-10 market (oracle prices, funding index)")
    try:
        application_process = start_process(gateway_url, clients_file, workdir, application_port)
    except ApplicationFailed as failed:
        raise click.ClickException(str(failed)) from None
    application = ApplicationClient(f"http://127.0.0.1:{application_port}")
    alice = RequestSigner(Position(alice_keys, 1), config.collateral_asset_id)
    bob = RequestSigner(Position(bob_keys, 2), config.collateral_asset_id)
    try:
        for what, request in (
                ("Alice's transfer of 400 to Bob", alice.transfer(receiver_public_key=bob_keys.public_key,
                                                                  receiver_position_id=2, amount=400)),
                ("Bob's withdrawal of 250", bob.withdrawal(amount=250)),
                # Refused on purpose: Bob holds 1150 after his withdrawal.
                ("Bob's withdrawal of 5000", bob.withdrawal(amount=5000))):
            try:
                click.echo(f"{what}: tx {application.submit_transaction(to_starkex_json(request))}")
            except RequestRefused as refused:
                click.echo(f"{what}: refused, {refused.code}: {refused.message}")
        for who, signer, buying in (("Bob", bob, False), ("Alice", alice, True)):
            order = signer.limit_order(synthetic_asset_id=LOCAL_MARKET.asset_id, is_buying_synthetic=buying,
                                       amount_synthetic=2, amount_collateral=200, amount_fee=2)
            state = application.submit_order(to_starkex_json(order))
            trades = ", ".join(f"TRADE tx {f['tx_id']}" for f in state["fills"]) or "resting in the book"
            click.echo(f"{who} {'buys' if buying else 'sells'} 2 BTC-10 for 200: {state['status']} ({trades})")

        with FeederGatewayClient(gateway_url) as feeder:
            for batch in operator.drain():
                click.echo(f"{feeder.get_batch_info(batch.batch_id).describe()}: {batch.data['cairo_steps']} Cairo steps, "
                           f"fact {batch.data['fact']}")
                if batch.data.get("proof_size"):
                    click.echo(f"  STARK proof of {batch.data['proof_size']} bytes, verified on L1 by the STARK "
                               f"verifier in {len(batch.data['registration_transactions'])} transactions "
                               f"({batch.data['registration_gas']} gas); updateState gas {batch.data['update_state_gas']}")
            for name, position_id in (("Alice", 1), ("Bob", 2)):
                position = feeder.get_position(position_id)
                synthetics = "".join(f", {a['balance']} {a['name']}" for a in position["assets"])
                click.echo(f"{name}: {position['collateral_balance']} collateral{synthetics}")
    finally:
        application_process.terminate()
        operator.stop_gateway()
    assert stack.deployment.exchange.positionsRoot() == operator.pipeline.executor.state.positions_root, "L1 root differs"

    received = exchange.withdraw(bob_eth, bob_keys.public_key, config.collateral_asset_id)
    click.echo(f"Bob withdrew {received} quantized ETH ({received * ETH_QUANTUM} wei) on L1")
    assert received == 250
