"""`ape run deploy --network <ecosystem:network:provider> --account <alias> ...`

Deploys the STARK fact registry (CairoFactRegistry over the StarkVerifier and the generated
Cairo AIR, offchain/core/l1/stark.py) and registers the batch program in its program store, then
deploys the Perpetual exchange behind its upgrade proxy, initialized in the deploying
transaction (so no one can initialize it first), with ETH as collateral, an empty genesis
state and that registry as its verifier chain: a batch is accepted only once a STARK proof of
its run verified on-chain. The deploying account is the exchange's governor and the proxy's
admin. The same on every network, the local node included. --stark-registry ADDR reuses a
registry already deployed; each --verifier address joins the chain as well (each must hold a
batch's fact).
"""
from pathlib import Path

from offchain.core.toolchain import use_project_tools

use_project_tools()  # anvil on PATH before Ape connects, however the command was started

import click
from ape import chain, project
from ape.cli import ConnectedProviderCommand, account_option

from offchain.core import batch_program
from offchain.crypto.signature import private_to_public_key
from offchain.core.facts import program_bytecode, program_hash
from offchain.perpetual.deployment_file import DeploymentRecord
from offchain.perpetual.exchange import deploy_exchange, eth_collateral
from offchain.core.l1.stark import CairoVerifierStack, deploy_cairo_verifier, register_program
from offchain.perpetual.config import GeneralConfig
from offchain.perpetual.state import PerpetualState
from offchain.spot import commands as spot_commands


@click.command(cls=ConnectedProviderCommand)
@account_option()
@click.option("--app", "app_name", type=click.Choice(["perpetual", "spot"]), default="perpetual", show_default=True,
              help="the exchange: StarkPerpetual, or StarkExchange (Spot: a rollup with an empty genesis, the account its "
                   "governor and token administrator)")
@click.option("--operator", "operator_address", default=None, help="operator address (default: the deploying account)")
@click.option("--stark-registry", default=None, help="a CairoFactRegistry already deployed (default: deploy one)")
@click.option("--verifier", "verifiers", multiple=True,
              help="a further fact registry of the verifier chain (repeatable): each must hold a batch's fact")
@click.option("--quantum", default=10**10, show_default=True, help="wei per quantized ETH unit")
@click.option("--committee-member", "members", multiple=True,
              help="validium mode: an address of the data-availability committee (repeatable); default: rollup")
@click.option("--committee-threshold", default=None, type=int, help="signatures the committee needs (default: all members)")
@click.option("--fee-public-key", default=hex(private_to_public_key(0xFEE)), show_default=True)
@click.option("--save", "save_path", type=click.Path(path_type=Path), default=None,
              help="write the deployment (JSON) here, for `ape run operator --deployment FILE`")
def cli(app_name, account, operator_address, stark_registry, verifiers, quantum, members, committee_threshold, fee_public_key,
        save_path):
    if app_name == "spot":
        if members or verifiers or save_path:
            raise click.ClickException("--app spot deploys a rollup StarkExchange verified by the STARK registry alone: "
                                       "leave out --committee-member, --verifier and --save")
        spot_commands.deploy(project, chain, account, operator_address, stark_registry)
        return
    committee = None
    if members:
        committee = account.deploy(project.Committee, list(members), committee_threshold or len(members))
        click.echo(f"Committee at {committee.address}: {len(members)} members, threshold {committee.threshold()}")
    if stark_registry:
        stark = CairoVerifierStack.at(project, stark_registry)
    else:
        stark = deploy_cairo_verifier(project, account)
    compiled = batch_program.compiled_program()
    code_hash = register_program(stark.programs, account, program_bytecode(compiled))
    click.echo(f"STARK fact registry at {stark.registry.address} (verifier {stark.verifier.address}, statements "
               f"{stark.statements.address}); batch program 0x{code_hash.hex()} in its store {stark.programs.address}")
    verifiers = [stark.registry.address, *verifiers]
    config = GeneralConfig(collateral_asset_id=eth_collateral(quantum), fee_position_id=0,
                           fee_public_key=int(fee_public_key, 0), data_availability_mode=0 if committee else 1)
    genesis = PerpetualState(config=config, system_time=chain.pending_timestamp)
    start_block = chain.blocks.height
    program = program_hash(compiled)
    deployment = deploy_exchange(project, account, operator_address or account.address, genesis, program, verifiers, quantum,
                                 availability_verifiers=[committee.address] if committee else [])
    click.echo(f"exchange (proxy) at {deployment.exchange.address}, implementation "
               f"{deployment.exchange.proxyImplementation()}; escape verifier {deployment.escape_verifier.address}; "
               f"verifier chain {deployment.verifier_chain}; collateral asset type {hex(deployment.collateral_asset_type)}")
    if save_path:
        DeploymentRecord.of(deployment, genesis, program, chain.chain_id, start_block,
                            committee.address if committee else None, stark.registry.address).save(save_path)
        click.echo(f"deployment written to {save_path}")
