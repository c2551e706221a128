"""`ape run escape --exchange ADDR --position ID [--account ALIAS] [--from-block N]`

The escape hatch from the user's side: after a freeze, rebuild the positions tree from L1
calldata alone (no operator), check it against L1, and escape the position, then withdraw its
value to the eth address that registered its Stark key. Without --account it only reports what
the escape would pay.
"""
from offchain.core.toolchain import use_project_tools

use_project_tools()  # anvil on PATH before Ape connects, however the command was started

import click
from ape import chain, project
from ape.cli import ConnectedProviderCommand

from offchain.core.l1.accounts import account_by_alias
from offchain.perpetual.escape import EscapeClient, EscapeError


@click.command(cls=ConnectedProviderCommand)
@click.option("--exchange", "address", required=True, help="the exchange address (its proxy)")
@click.option("--position", "position_id", type=int, required=True)
@click.option("--account", "account_alias", default=None,
              help="sender of escape and withdraw (an alias of `ape accounts`, or TEST::<n> on the local node)")
@click.option("--from-block", default=0, show_default=True, help="the exchange's deployment block (speeds up the log scan)")
def cli(address, position_id, account_alias, from_block):
    client = EscapeClient.at(project, address, chain, start_block=from_block)
    try:
        report = client.report(position_id)
    except EscapeError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"position {report.position_id}: key {hex(report.stark_key)}, owner {report.owner or '(unregistered)'}, "
               f"value {report.value}, escape pays {report.payout} ({report.payout_base_units} base units)"
               + (" — already escaped" if report.escaped else ""))
    if account_alias is None:
        return
    sender = account_by_alias(account_alias)
    try:
        credited = client.escape_and_withdraw(position_id, sender)
    except EscapeError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"escaped: {credited} quantized collateral credited and withdrawn to {report.owner}")
