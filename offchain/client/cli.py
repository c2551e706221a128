"""`starkex-client`: a user's command line for the exchange.

Keys live in a key file (JSON, readable by its owner only). L2 requests are signed here and sent
to the reference application (`--application`, default http://127.0.0.1:9415); reads go to the
operator's open feeder gateway (`--operator`, default http://127.0.0.1:9414); L1 calls go through
Ape accounts (`--account`: an `ape accounts` alias, or TEST::<n> on the local node) to the node
the operator names in get_config (or `--node URL`, `--network CHOICE`).

Exit codes, for scripts: 0 done; 1 refused (the service's code and message on stderr); 2 bad
usage or input; 3 a service or the node unreachable; 4 a wait timed out; 5 an L1 transaction
failed.
"""
from __future__ import annotations

import json
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from offchain.client.api import (STATUS_ORDER, ApplicationClient, FeederGatewayClient, NotAuthorized, RequestRefused,
                                 ServiceError, Timeout, Unavailable)
from offchain.client.keys import (InvalidKey, StarkKeyPair, key_derivation_message, key_pair_from_eth_signature)
from offchain.client.requests import Position, RequestSigner, to_starkex_json
from offchain.core.l1.accounts import UnknownAccount

EXIT_REFUSED, EXIT_USAGE, EXIT_UNREACHABLE, EXIT_TIMEOUT, EXIT_L1 = 1, 2, 3, 4, 5
# The pipeline a transaction goes through once acknowledged, for the progress bar.
PIPELINE = ("PENDING", "CREATED", "EXECUTED", "PROVED", "SUBMITTED", "ACCEPTED")
EXCHANGE_NAME = "starkex-rollup"

err = Console(stderr=True)  # progress bars and spinners; results go to stdout with click.echo


def say(text: str) -> None:
    """One line of the command's result on stdout (progress and errors go to stderr)."""
    click.echo(text)


class Context:
    def __init__(self, operator: str, application: str, node: str | None, network: str, timeout: float):
        self.operator_url = operator
        self.application_url = application
        self.node = node
        self.network = network
        self.timeout = timeout
        self._config = None

    def feeder(self) -> FeederGatewayClient:
        return FeederGatewayClient(self.operator_url)

    def application(self) -> ApplicationClient:
        return ApplicationClient(self.application_url)

    def config(self):
        if self._config is None:
            with self.feeder() as feeder:
                self._config = feeder.get_config()
        return self._config

    @contextmanager
    def l1(self):
        """The exchange on L1 (offchain.client.l1.ExchangeL1) over a connected Ape provider."""
        config = self.config()
        node = self.node or config.l1_node_url
        if node and self.network.endswith(":foundry"):
            os.environ["APE_FOUNDRY_HOST"] = node
        with progress_spinner(f"connecting to L1 ({node or self.network})"):
            from ape import networks
            from ape.logging import logger

            from offchain.client.l1 import connect_exchange
        logger.set_level("ERROR")  # Ape's per-transaction lines would bury the command's own
        with networks.parse_network_choice(self.network):
            yield connect_exchange(config.exchange_address)


class Failure(click.ClickException):
    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None):
        click.echo(f"error: {self.message}", err=True)


def fail_on(error: Exception) -> Failure:
    if isinstance(error, Timeout):
        return Failure(str(error), EXIT_TIMEOUT)
    if isinstance(error, Unavailable):
        return Failure(f"{error.code}: {error.message}", EXIT_UNREACHABLE)
    if isinstance(error, ServiceError):
        return Failure(f"{error.code}: {error.message}", EXIT_REFUSED)
    if isinstance(error, (InvalidKey, UnknownAccount)):
        return Failure(str(error), EXIT_USAGE)
    return Failure(f"L1: {type(error).__name__}: {error}", EXIT_L1)


@contextmanager
def failures(l1: bool = False):
    """Turns what went wrong into a message and an exit code."""
    try:
        yield
    except click.ClickException:
        raise
    except (ServiceError, InvalidKey, UnknownAccount) as error:
        raise fail_on(error) from None
    except Exception as error:  # noqa: BLE001 — an L1 revert or a node error, named
        if not l1:
            raise
        raise fail_on(error) from None


@contextmanager
def progress_spinner(what: str):
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err,
                  transient=True) as progress:
        progress.add_task(what, total=None)
        yield


def wait_for_tx(ctx: Context, tx_id: int, wanted: str = "ACCEPTED") -> dict:
    """Polls the transaction with a progress bar over the pipeline's steps."""
    with ctx.application() as application, Progress(
            TextColumn("tx {task.fields[tx_id]}"), BarColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
            console=err) as progress:
        task = progress.add_task("PENDING", total=len(PIPELINE) - 1, tx_id=tx_id)

        def step(status: str) -> None:
            done = PIPELINE.index(status) if status in PIPELINE else 0
            progress.update(task, completed=done, description=status)

        return application.wait_for_status(tx_id, wanted, timeout=ctx.timeout, on_status=step)


def load_keys(path: Path) -> StarkKeyPair:
    try:
        return StarkKeyPair.from_json(json.loads(Path(path).read_text()))
    except (OSError, ValueError, KeyError) as error:
        raise Failure(f"{path}: not a key file ({error})", EXIT_USAGE) from None


def save_keys(keys: StarkKeyPair, path: Path) -> None:
    if path.exists():
        raise Failure(f"{path} exists: a key file is never overwritten", EXIT_USAGE)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        json.dump(keys.to_json(), file, indent=1)
        file.write("\n")


def number(text: str) -> int:
    try:
        return int(text, 0)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not an integer (decimal or 0x hex)") from None


def _eth_address(_ctx, _param, value: str | None) -> str | None:
    """A 0x-prefixed 20-byte Ethereum address (checksummed form), or None; 0x0 pays no one."""
    if value is None:
        return None
    from eth_utils import is_hex_address, to_checksum_address

    if not is_hex_address(value) or int(value, 16) == 0:
        raise click.BadParameter(f"{value!r} is not a nonzero 0x-prefixed 20-byte Ethereum address")
    return to_checksum_address(value)


key_option = click.option("--key", "key_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
                          help="the key file (from `keys new` or `keys from-eth-signature`)")
position_option = click.option("--position", "position_id", type=click.IntRange(min=0), required=True,
                               help="the position id")
account_option = click.option("--account", "account_alias", required=True,
                              help="the L1 account: an `ape accounts` alias, or TEST::<n> on the local node")
wait_option = click.option("--wait/--no-wait", default=True, show_default=True,
                           help="wait until the operator's batch holding it is accepted on L1")


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, help=__doc__)
@click.option("--operator", envvar="STARKEX_OPERATOR", default="http://127.0.0.1:9414", show_default=True,
              help="the operator's URL (feeder gateway) [env STARKEX_OPERATOR]")
@click.option("--application", envvar="STARKEX_APPLICATION", default="http://127.0.0.1:9415", show_default=True,
              help="the reference application's URL [env STARKEX_APPLICATION]")
@click.option("--node", envvar="STARKEX_NODE", default=None,
              help="the L1 node's URL [default: the one get_config names, on the local node] [env STARKEX_NODE]")
@click.option("--network", envvar="STARKEX_NETWORK", default="ethereum:local:foundry", show_default=True,
              help="Ape's network choice for L1 calls [env STARKEX_NETWORK]")
@click.option("--timeout", type=float, default=600.0, show_default=True, help="seconds any one wait may take")
@click.pass_context
def main(click_ctx, operator, application, node, network, timeout):
    click_ctx.obj = Context(operator, application, node, network, timeout)


# --- keys ---------------------------------------------------------------------------------------

@main.group()
def keys():
    """Stark key pairs."""


@keys.command("new")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="the key file to write")
def keys_new(out: Path):
    """A fresh random key pair."""
    keys = StarkKeyPair.generate()
    save_keys(keys, out)
    say(f"Stark key {hex(keys.public_key)} written to {out}")


@keys.command("from-eth-signature")
@click.option("--signature", default=None, help="a wallet's signature (65 bytes hex) of the message `keys message` prints")
@click.option("--account", "account_alias", default=None,
              help="or sign that message now with this Ape account (an alias, or TEST::<n>)")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="the key file to write")
@click.pass_obj
def keys_from_eth_signature(ctx: Context, signature, account_alias, out):
    """The key StarkEx wallets derive from an Ethereum signature (the same signature, the same key)."""
    if (signature is None) == (account_alias is None):
        raise Failure("give --signature or --account (one of them)", EXIT_USAGE)
    with failures(l1=account_alias is not None):
        if signature is None:
            signature = sign_derivation_message(ctx, account_alias)
        keys = key_pair_from_eth_signature(signature)
    save_keys(keys, out)
    say(f"Stark key {hex(keys.public_key)} written to {out}")


def sign_derivation_message(ctx: Context, account_alias: str) -> str:
    from eth_account.messages import encode_defunct

    from offchain.core.l1.accounts import account_by_alias

    with ctx.l1():
        account = account_by_alias(account_alias)
        message = key_derivation_message(EXCHANGE_NAME, ctx.config().chain_id)
        return account.sign_message(encode_defunct(text=message)).encode_rsv().hex()


@keys.command("message")
@click.pass_obj
def keys_message(ctx: Context):
    """The message a wallet signs (personal_sign) to derive its Stark key for this exchange."""
    with failures():
        say(key_derivation_message(EXCHANGE_NAME, ctx.config().chain_id))


@keys.command("show")
@key_option
def keys_show(key_file):
    """The Stark key (public) of a key file."""
    say(hex(load_keys(key_file).public_key))


# --- exchange and L1 ----------------------------------------------------------------------------

@main.command()
@click.pass_obj
def config(ctx: Context):
    """What the operator states about the exchange (get_config)."""
    with failures():
        say(ctx.config().describe())


@main.command()
@key_option
@account_option
@click.pass_obj
def register(ctx: Context, key_file, account_alias):
    """Register the Stark key to the L1 account (signed by the Stark key, checked on L1)."""
    from offchain.core.l1.accounts import account_by_alias

    keys = load_keys(key_file)
    with failures(l1=True), ctx.l1() as exchange:
        account = account_by_alias(account_alias)
        owner = exchange.eth_key_of(keys.public_key)
        if owner is not None:
            if owner.lower() != account.address.lower():
                raise Failure(f"Stark key {hex(keys.public_key)} is registered to {owner}, not {account.address}", EXIT_REFUSED)
            say(f"Stark key {hex(keys.public_key)} is already registered to {owner}")
            return
        with progress_spinner("registerEthAddress"):
            receipt = exchange.register(account, keys)
        say(f"registered Stark key {hex(keys.public_key)} to {account.address} (L1 tx {receipt.txn_hash})")


@main.command()
@key_option
@account_option
@position_option
@click.option("--amount", type=click.IntRange(min=1), required=True, help="quantized collateral (× the L1 quantum in wei)")
@click.option("--wait/--no-wait", default=True, show_default=True, help="wait until the operator credits it on L2")
@click.option("--force", is_flag=True, default=False,
              help="send it even when the operator could not credit it (it is then only cancelled and reclaimed)")
@click.pass_obj
def deposit(ctx: Context, key_file, account_alias, position_id, amount, wait, force):
    """Deposit collateral on L1 into a position; the operator's L1 watcher credits it."""
    from offchain.core.l1.accounts import account_by_alias

    keys = load_keys(key_file)
    config = ctx.config()
    # Asked first: a deposit into another key's position is taken on L1 but never credited on L2
    # (INVALID_PUBLIC_KEY in the batch program), so it would only come back by cancel and reclaim.
    with failures():
        owner = int(_position(ctx, position_id)["public_key"], 16)
    if owner not in (0, keys.public_key) and not force:
        raise Failure(f"INVALID_PUBLIC_KEY: position {position_id} belongs to Stark key {owner:#x}, not "
                      f"{keys.public_key:#x}; the operator could never credit a deposit there", EXIT_REFUSED)
    wait = wait and owner in (0, keys.public_key)
    with failures(l1=True), ctx.l1() as exchange:
        account = account_by_alias(account_alias)
        before = int(_position(ctx, position_id)["collateral_balance"]) if wait else 0
        with progress_spinner(f"deposit {amount} × {config.collateral_quantum} wei"):
            receipt = exchange.deposit(account, keys.public_key, config.collateral_asset_id, position_id, amount)
        say(f"deposited {amount} quantized collateral into position {position_id} (L1 tx {receipt.txn_hash})")
    if wait:
        with failures(), progress_spinner("waiting for the operator to credit the deposit"):
            deadline = time.monotonic() + ctx.timeout
            while int(_position(ctx, position_id)["collateral_balance"]) < before + amount:
                if time.monotonic() > deadline:
                    raise Timeout("TIMEOUT", f"the deposit was not credited within {ctx.timeout:.0f}s; if it never "
                                             "is, take it back with deposit-cancel and deposit-reclaim")
                time.sleep(0.5)
        say(f"credited: position {position_id} holds {_position(ctx, position_id)['collateral_balance']} collateral")


@main.command(name="deposit-cancel")
@key_option
@account_option
@position_option
@click.pass_obj
def deposit_cancel(ctx: Context, key_file, account_alias, position_id):
    """Ask on L1 to take back the key's uncredited deposits into a position (reclaimable 2 days later,
    unless the operator credits them first)."""
    from offchain.core.l1.accounts import account_by_alias

    keys = load_keys(key_file)
    asset = ctx.config().collateral_asset_id
    with failures(l1=True), ctx.l1() as exchange:
        account = account_by_alias(account_alias)
        # Asked first: depositCancel of nothing reverts (DepositNotFound), paid for in gas.
        pending = exchange.pending_deposit(keys.public_key, asset, position_id)
        if pending == 0:
            raise Failure(f"no uncredited deposit of Stark key {keys.public_key:#x} into position {position_id}",
                          EXIT_REFUSED)
        with progress_spinner("depositCancel on L1"):
            exchange.deposit_cancel(account, keys.public_key, asset, position_id)
        ready = exchange.deposit_reclaimable_at(keys.public_key, asset, position_id)
        say(f"cancelled {pending} quantized collateral pending for position {position_id}; reclaimable from "
            f"{_utc(ready)} with deposit-reclaim")


@main.command(name="deposit-reclaim")
@key_option
@account_option
@position_option
@click.pass_obj
def deposit_reclaim(ctx: Context, key_file, account_alias, position_id):
    """Take back on L1 a cancelled deposit the operator did not credit (after the cancellation delay)."""
    from offchain.core.l1.accounts import account_by_alias

    keys = load_keys(key_file)
    config = ctx.config()
    asset = config.collateral_asset_id
    with failures(l1=True), ctx.l1() as exchange:
        account = account_by_alias(account_alias)
        ready = exchange.deposit_reclaimable_at(keys.public_key, asset, position_id)
        pending = exchange.pending_deposit(keys.public_key, asset, position_id)
        if ready is None or pending == 0:
            raise Failure(f"nothing to reclaim for Stark key {keys.public_key:#x} in position {position_id}: "
                          + ("no deposit-cancel was sent" if ready is None else "the deposit was credited"), EXIT_REFUSED)
        now = exchange.l1_time()
        if now < ready:
            raise Failure(f"DEPOSIT_RECLAIM_TOO_EARLY: reclaimable from {_utc(ready)} ({ready - now} s from now)",
                          EXIT_REFUSED)
        with progress_spinner("depositReclaim on L1"):
            exchange.deposit_reclaim(account, keys.public_key, asset, position_id)
        say(f"reclaimed {pending} quantized collateral ({pending * config.collateral_quantum} wei) to {account.address}")


def _utc(timestamp: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(timestamp))


def _position(ctx: Context, position_id: int) -> dict:
    with ctx.feeder() as feeder:
        return feeder.get_position(position_id)


# --- L2 requests --------------------------------------------------------------------------------

def _signer(ctx: Context, key_file: Path, position_id: int) -> RequestSigner:
    with failures():
        return RequestSigner(Position(load_keys(key_file), position_id), ctx.config().collateral_asset_id)


def _submit(ctx: Context, tx, wait: bool, what: str) -> int:
    with failures():
        with ctx.application() as application:
            tx_id = application.submit_transaction(to_starkex_json(tx))
        say(f"{what}: tx {tx_id}")
        if wait:
            answer = wait_for_tx(ctx, tx_id)
            say(f"tx {tx_id}: {answer['status']} in batch {answer['batch_id']}")
    return tx_id


@main.command()
@key_option
@position_option
@click.option("--to-key", "receiver_key", required=True, help="the receiver's Stark key (0x hex)")
@click.option("--to-position", "receiver_position", type=click.IntRange(min=0), required=True)
@click.option("--amount", type=click.IntRange(min=1), required=True, help="quantized collateral")
@wait_option
@click.pass_obj
def transfer(ctx: Context, key_file, position_id, receiver_key, receiver_position, amount, wait):
    """Transfer collateral to another position (signed here, sent to the application)."""
    signer = _signer(ctx, key_file, position_id)
    tx = signer.transfer(receiver_public_key=number(receiver_key), receiver_position_id=receiver_position, amount=amount)
    _submit(ctx, tx, wait, f"transfer of {amount} to position {receiver_position}")


@main.command(name="order")
@key_option
@position_option
@click.option("--market", required=True, help="the synthetic asset: its name (BTC-10) or id")
@click.option("--side", type=click.Choice(["buy", "sell"]), required=True)
@click.option("--amount-synthetic", type=click.IntRange(min=1), required=True, help="quantized synthetic")
@click.option("--amount-collateral", type=click.IntRange(min=1), required=True,
              help="quantized collateral: at most (buy) or at least (sell) this for the whole amount")
@click.option("--fee", "amount_fee", type=click.IntRange(min=0), default=0, show_default=True,
              help="the most collateral paid in fees for the whole amount")
@click.option("--wait/--no-wait", default=True, show_default=True,
              help="wait until the order is filled and its trades are accepted on L1")
@click.pass_obj
def order(ctx: Context, key_file, position_id, market, side, amount_synthetic, amount_collateral, amount_fee, wait):
    """Place a signed limit order in the application's book."""
    signer = _signer(ctx, key_file, position_id)
    try:
        asset = ctx.config().synthetic(market)
    except KeyError as unknown:
        raise Failure(str(unknown.args[0]), EXIT_USAGE) from None
    limit = signer.limit_order(synthetic_asset_id=asset.asset_id, is_buying_synthetic=side == "buy",
                               amount_synthetic=amount_synthetic, amount_collateral=amount_collateral, amount_fee=amount_fee)
    with failures(), ctx.application() as application:
        state = application.submit_order(to_starkex_json(limit))
        say(_order_line(state))
        if state["status"] == "REJECTED":
            raise Failure(f"{state['code']}: {state['message']}", EXIT_REFUSED)
        if not wait:
            return
        deadline = time.monotonic() + ctx.timeout
        with progress_spinner(f"order {state['order_id'][:12]}… waiting for fills"):
            while state["status"] == "OPEN":
                if time.monotonic() > deadline:
                    raise Timeout("TIMEOUT", f"the order is still open after {ctx.timeout:.0f}s")
                time.sleep(0.5)
                state = application.get_order(state["order_id"])
        say(_order_line(state))
        if state["status"] != "FILLED":
            raise Failure(f"{state['status']}: {state.get('code')}: {state.get('message')}", EXIT_REFUSED)
    for fill in state["fills"]:
        answer = wait_for_tx(ctx, fill["tx_id"])
        say(f"trade tx {fill['tx_id']}: {answer['status']} in batch {answer['batch_id']}")


main.add_command(order, name="trade")


def _order_line(state: dict) -> str:
    filled = int(state["amount_synthetic"]) - int(state["remaining"])
    trades = ", ".join(f"tx {f['tx_id']}" for f in state["fills"]) or "none"
    line = f"order {state['order_id']}: {state['status']}, filled {filled} of {state['amount_synthetic']}, trades: {trades}"
    return line + (f" ({state['code']}: {state['message']})" if state.get("code") else "")


@main.command(name="order-status")
@click.argument("order_id")
@click.pass_obj
def order_status(ctx: Context, order_id):
    """An order's state in the application's book."""
    with failures(), ctx.application() as application:
        say(_order_line(application.get_order(order_id)))


@main.command()
@key_option
@position_option
@click.option("--amount", type=click.IntRange(min=1), required=True, help="quantized collateral")
@click.option("--account", "account_alias", default=None,
              help="then withdraw on L1 with this account (the one the Stark key is registered to; "
                   "with --to-address, any account: the address is paid)")
@click.option("--to-address", "to_address", default=None, callback=_eth_address,
              help="credit this Ethereum address on L1 (WITHDRAWAL_TO_ADDRESS): no registration needed")
@click.pass_obj
def withdraw(ctx: Context, key_file, position_id, amount, account_alias, to_address):
    """Withdraw collateral: the L2 request, and once its batch is accepted, the L1 withdrawal."""
    signer = _signer(ctx, key_file, position_id)
    if to_address is not None:
        request = signer.withdrawal_to_address(amount=amount, eth_address=to_address)
        _submit(ctx, request, wait=True, what=f"withdrawal of {amount} from position {position_id} to {to_address}")
        if account_alias is None:
            say(f"withdrawable on L1 now: `withdraw-l1 --to-address {to_address}` (any account may send it)")
            return
        _withdraw_on_l1(ctx, int(to_address, 16), account_alias)
        return
    _submit(ctx, signer.withdrawal(amount=amount), wait=True, what=f"withdrawal of {amount} from position {position_id}")
    if account_alias is None:
        say("withdrawable on L1 now: run `withdraw-l1` with the registered account")
        return
    _withdraw_on_l1(ctx, signer.position.keys.public_key, account_alias)


@main.command(name="withdraw-l1")
@click.option("--key", "key_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="the Stark key file whose credit to collect (or --to-address)")
@click.option("--to-address", "to_address", default=None, callback=_eth_address,
              help="collect what WITHDRAWAL_TO_ADDRESS requests credited to this address")
@account_option
@click.pass_obj
def withdraw_l1(ctx: Context, key_file, to_address, account_alias):
    """Collect on L1 what accepted withdrawals credited to a Stark key or to an address."""
    if (key_file is None) == (to_address is None):
        raise click.UsageError("give one of --key and --to-address")
    owner_key = int(to_address, 16) if to_address is not None else load_keys(key_file).public_key
    _withdraw_on_l1(ctx, owner_key, account_alias)


def _withdraw_on_l1(ctx: Context, owner_key: int, account_alias: str) -> None:
    """owner_key: a Stark key (paid to its registered address) or an address below 2^160 (paid itself)."""
    from offchain.core.l1.accounts import account_by_alias

    from eth_utils import to_checksum_address

    config = ctx.config()
    address = to_checksum_address(owner_key.to_bytes(20, "big")) if owner_key < 2**160 else None
    owner = f"address {address}" if address else f"Stark key {owner_key:#x}"
    with failures(l1=True), ctx.l1() as exchange:
        account = account_by_alias(account_alias)
        # Asked first: a withdraw of nothing would be a reverted L1 transaction, paid for in gas.
        if exchange.withdrawable(owner_key, config.collateral_asset_id) == 0:
            raise Failure(f"nothing to withdraw for {owner}", EXIT_REFUSED)
        with progress_spinner("withdraw on L1"):
            amount = exchange.withdraw(account, owner_key, config.collateral_asset_id)
        paid = address or account.address
        say(f"withdrew {amount} quantized collateral ({amount * config.collateral_quantum} wei) to {paid}")


@main.command()
@click.argument("tx_id", type=click.IntRange(min=0))
@click.option("--wait", "wait_for", type=click.Choice(STATUS_ORDER[1:]), default=None,
              help="wait until the transaction reaches this status")
@click.pass_obj
def status(ctx: Context, tx_id, wait_for):
    """A transaction's status in the operator's pipeline."""
    with failures():
        if wait_for is not None:
            answer = wait_for_tx(ctx, tx_id, wait_for)
        else:
            with ctx.application() as application:
                answer = application.get_transaction(tx_id)
    batch = f" in batch {answer['batch_id']}" if answer.get("batch_id") is not None else ""
    say(f"tx {tx_id}: {answer['status']}{batch}" + (f" ({answer['type']})" if answer.get("type") else ""))


@main.command()
@position_option
@click.option("--rebuild", is_flag=True, help="rebuild the position from L1 calldata alone (the escape client), not the operator")
@click.option("--from-block", type=click.IntRange(min=0), default=0, help="with --rebuild: the exchange's deployment block")
@click.option("--json", "as_json", is_flag=True, help="print the position as JSON")
@click.pass_obj
def balance(ctx: Context, position_id, rebuild, from_block, as_json):
    """A position's balances: the operator's (after every acknowledged transaction), or rebuilt from L1."""
    if rebuild:
        with failures(l1=True), ctx.l1() as exchange:
            from ape import chain

            from offchain.perpetual.escape import EscapeClient

            with progress_spinner("rebuilding the positions tree from L1 calldata"):
                position = EscapeClient(exchange.exchange, chain, start_block=from_block).state().position(position_id)
            from offchain.perpetual.feeder import position_json

            shown = {**position_json(position_id, position), "state": "rebuilt from L1 (last accepted batch)"}
    else:
        with failures():
            shown = _position(ctx, position_id)
    if as_json:
        say(json.dumps(shown, indent=1))
        return
    say(f"position {position_id} ({shown['state']}), Stark key {shown['public_key']}")
    say(f"  collateral {shown['collateral_balance']}")
    for asset in shown["assets"]:
        say(f"  {asset['name']} {asset['balance']} (funding index {asset['cached_funding_index']})")


@main.command()
@click.option("--last", type=click.IntRange(min=1), default=10, show_default=True)
@click.pass_obj
def batches(ctx: Context, last):
    """The operator's latest batches: `batch 0: ACCEPTED, transactions 0..2` (inclusive)."""
    with failures(), ctx.feeder() as feeder:
        newest = feeder.get_last_batch_id()
        if newest is None:
            say("no batch yet")
            return
        for batch_id in range(newest, max(-1, newest - last), -1):
            say(feeder.get_batch_info(batch_id).describe())


@main.command(name="forced-withdrawal")
@key_option
@account_option
@position_option
@click.option("--amount", type=click.IntRange(min=1), required=True, help="quantized collateral")
@click.option("--premium", is_flag=True, help="pay ~1M gas to bypass the per-block cap on forced requests")
@click.pass_obj
def forced_withdrawal(ctx: Context, key_file, account_alias, position_id, amount, premium):
    """Force a withdrawal on L1 (when the application will not serve one): the operator must
    serve it within the freeze grace period, or anyone may freeze the exchange."""
    from offchain.core.l1.accounts import account_by_alias

    keys = load_keys(key_file)
    with failures(l1=True), ctx.l1() as exchange:
        with progress_spinner("forcedWithdrawalRequest"):
            key = exchange.forced_withdrawal(account_by_alias(account_alias), keys.public_key, position_id, amount, premium)
        status = exchange.forced_request_status(key)
    say(f"forced withdrawal requested: request key 0x{key.hex()}; freezable at {_utc(status.freezable_at)} if not served")


@main.command()
@click.option("--request-key", default=None, help="first freeze the exchange over this overdue forced request (0x hex)")
@position_option
@account_option
@click.option("--from-block", type=click.IntRange(min=0), default=0, help="the exchange's deployment block")
@click.pass_obj
def escape(ctx: Context, request_key, position_id, account_alias, from_block):
    """Leave a frozen exchange: rebuild the position from L1 alone, escape it and withdraw its value."""
    from offchain.core.l1.accounts import account_by_alias

    with failures(l1=True), ctx.l1() as exchange:
        from ape import chain

        from offchain.perpetual.escape import EscapeClient, EscapeError

        account = account_by_alias(account_alias)
        if request_key is not None and not exchange.is_frozen():
            exchange.freeze(account, bytes.fromhex(request_key.removeprefix("0x")))
            say("the exchange is frozen")
        client = EscapeClient(exchange.exchange, chain, start_block=from_block)
        try:
            with progress_spinner("rebuilding the positions tree from L1 calldata"):
                report = client.report(position_id)
            say(f"position {position_id}: value {report.value}, escape pays {report.payout}")
            with progress_spinner("escape and withdraw"):
                credited = client.escape_and_withdraw(position_id, account)
        except EscapeError as error:
            raise Failure(str(error), EXIT_REFUSED) from None
    say(f"escaped: {credited} quantized collateral withdrawn to {report.owner}")


def run() -> None:
    """The console entry point: click's own usage errors exit 2."""
    try:
        main(standalone_mode=False)
    except Failure as failure:
        failure.show()
        sys.exit(failure.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(EXIT_USAGE)
    except click.ClickException as usage:
        usage.show()
        sys.exit(EXIT_USAGE)
    except (NotAuthorized, RequestRefused) as error:
        click.echo(f"error: {error.code}: {error.message}", err=True)
        sys.exit(EXIT_REFUSED)


if __name__ == "__main__":
    run()
