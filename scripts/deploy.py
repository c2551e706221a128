"""`ape run deploy --network <ecosystem:network:provider> --account <alias> --verifier <address> ...`

Deploys the Perpetual exchange behind its upgrade proxy, initialized in the deploying
transaction (so no one can initialize it first), with ETH as collateral and an empty genesis
state; the deploying account is its governor and the proxy's admin. Every address given with
--verifier joins the verifier chain: a batch is accepted only if each of them holds its fact. On the local node with no --verifier, the DEVELOPMENT fact
registry is deployed and used; on any other network a real verifier is required.
"""
from pathlib import Path

from offchain.toolchain import use_project_tools

use_project_tools()  # anvil on PATH before Ape connects, however the command was started

import click
from ape import chain, project
from ape.cli import ConnectedProviderCommand, account_option

from offchain import batch_program
from offchain.crypto.signature import private_to_public_key
from offchain.facts import program_hash
from offchain.l1.deployment_file import DeploymentRecord
from offchain.l1.exchange import LOCAL_CHAIN_ID, deploy_exchange, eth_collateral
from offchain.perpetual.config import GeneralConfig
from offchain.perpetual.state import PerpetualState


@click.command(cls=ConnectedProviderCommand)
@account_option()
@click.option("--operator", "operator_address", default=None, help="operator address (default: the deploying account)")
@click.option("--verifier", "verifiers", multiple=True, help="fact registry address for the verifier chain (repeatable)")
@click.option("--quantum", default=10**10, show_default=True, help="wei per quantized ETH unit")
@click.option("--committee-member", "members", multiple=True,
              help="validium mode: an address of the data-availability committee (repeatable); default: rollup")
@click.option("--committee-threshold", default=None, type=int, help="signatures the committee needs (default: all members)")
@click.option("--fee-public-key", default=hex(private_to_public_key(0xFEE)), show_default=True)
@click.option("--save", "save_path", type=click.Path(path_type=Path), default=None,
              help="write the deployment (JSON) here, for `ape run operator --deployment FILE`")
def cli(account, operator_address, verifiers, quantum, members, committee_threshold, fee_public_key, save_path):
    verifiers = list(verifiers)
    committee = None
    if members:
        committee = account.deploy(project.Committee, list(members), committee_threshold or len(members))
        click.echo(f"Committee at {committee.address}: {len(members)} members, threshold {committee.threshold()}")
    if not verifiers:
        if chain.chain_id != LOCAL_CHAIN_ID:
            raise click.ClickException("a real network needs --verifier (a STARK fact registry); the development registry is local-only")
        verifiers = [account.deploy(project.LocalDevFactRegistry).address]
        click.echo(f"LocalDevFactRegistry (DEVELOPMENT ONLY) at {verifiers[0]}")
    config = GeneralConfig(collateral_asset_id=eth_collateral(quantum), fee_position_id=0,
                           fee_public_key=int(fee_public_key, 0), data_availability_mode=0 if committee else 1)
    genesis = PerpetualState(config=config, system_time=chain.pending_timestamp)
    start_block = chain.blocks.height
    program = program_hash(batch_program.compiled_program())
    deployment = deploy_exchange(project, account, operator_address or account.address, genesis, program, verifiers, quantum,
                                 availability_verifiers=[committee.address] if committee else [])
    click.echo(f"exchange (proxy) at {deployment.exchange.address}, implementation "
               f"{deployment.exchange.proxyImplementation()}; escape verifier {deployment.escape_verifier.address}; "
               f"verifier chain {deployment.verifier_chain}; collateral asset type {hex(deployment.collateral_asset_type)}")
    if save_path:
        DeploymentRecord.of(deployment, genesis, program, chain.chain_id, start_block,
                            committee.address if committee else None).save(save_path)
        click.echo(f"deployment written to {save_path}")
