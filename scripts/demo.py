"""`ape run demo`: the main job on the local node.

Deploys the exchange, lets Alice deposit ETH on L1, starts the operator (gateway over HTTP, L1
watcher, batch pipeline), sends Alice's transfer to Bob and Bob's withdrawal through the gateway
as signed StarkEx requests, runs the batch through the Python model and the Cairo program,
registers its fact and has L1 accept the state update; then Bob withdraws his ETH on L1.

Proving: the batch's fact goes through LocalDevFactRegistry (DEVELOPMENT ONLY, local chain
only) until the STARK prover covers the batch program's pedersen and ecdsa builtins; the demo
also proves a small Cairo program with the project's STARK prover and verifies it in Python.
"""
import tempfile
from pathlib import Path

import click
import httpx
from ape import accounts, chain, project
from ape.cli import ConnectedProviderCommand

from offchain.crypto.signature import private_to_public_key
from offchain.gateway.access import Role
from offchain.l1.local import ETH_QUANTUM, LocalStack
from offchain.l1.users import register_user
from offchain.logs import configure
from offchain.perpetual import signing

from offchain.operator import GatewayPortBusy, bind_gateway_socket

ALICE_KEY, BOB_KEY, FEE_KEY = 0xA11CE, 0xB0B, 0xFEE


@click.command(cls=ConnectedProviderCommand)
@click.option("--port", default=9414, show_default=True, help="the demo operator's gateway port on 127.0.0.1")
def cli(port):
    configure("INFO", fmt="text")  # a person watches the demo: short lines with progress
    try:
        bind_gateway_socket("127.0.0.1", port).close()  # a busy port stops the demo before it deploys
    except GatewayPortBusy as busy:
        raise click.ClickException(str(busy)) from None
    deployer, operator_account, alice_eth, bob_eth = accounts.test_accounts[:4]
    alice, bob = private_to_public_key(ALICE_KEY), private_to_public_key(BOB_KEY)
    workdir = Path(tempfile.mkdtemp(prefix="starkex-demo-"))

    stack = LocalStack.deploy(project, deployer, operator_account, chain, workdir, fee_public_key=private_to_public_key(FEE_KEY))
    exchange, collateral = stack.deployment.exchange, stack.deployment.collateral_asset_type
    click.echo(f"exchange {exchange.address}, program hash 0x{stack.program_hash.hex()}")

    register_user(exchange, alice_eth, ALICE_KEY)
    register_user(exchange, bob_eth, BOB_KEY)
    exchange.deposit(alice, collateral, 1, 1000, value=1000 * ETH_QUANTUM, sender=alice_eth)
    click.echo("Alice deposited 1000 quantized ETH on L1 into position 1")

    operator = stack.operator()
    try:
        operator.serve_gateway(port=port)
    except GatewayPortBusy as busy:
        raise click.ClickException(str(busy)) from None
    operator.watcher.poll()
    # The exchange's application is the gateway's caller: its token, from the operator's settings.
    application = stack.settings.gateway_access.client(Role.APPLICATION)
    gateway = httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=application.header())
    expiration = chain.pending_timestamp // 3600 + 24
    requests = [
        signing.transfer(ALICE_KEY, asset_id=collateral, sender_position_id=1, receiver_position_id=2,
                         receiver_public_key=bob, amount=400, nonce=1, expiration_timestamp=expiration),
        signing.withdrawal(BOB_KEY, collateral_asset_id=collateral, position_id=2, amount=250, nonce=1,
                           expiration_timestamp=expiration),
        # Invalid on purpose: Bob has only 150 left after his withdrawal.
        signing.withdrawal(BOB_KEY, collateral_asset_id=collateral, position_id=2, amount=500, nonce=2,
                           expiration_timestamp=expiration),
    ]
    for request in requests:
        tx_id = gateway.get("/gateway/testing/get_first_unused_tx_id").json()
        answer = gateway.post("/gateway/add_transaction", json={"tx_id": tx_id, "tx": request.to_json()}).json()
        click.echo(f"add_transaction {request.TYPE} -> {answer}")

    for batch in operator.drain():
        info = gateway.get("/feeder_gateway/get_batch_info", params={"batch_id": batch.batch_id}).json()
        click.echo(f"batch {batch.batch_id}: {info['status']}, transactions {info['tx_ids']}, "
                   f"{batch.data['cairo_steps']} Cairo steps, fact {batch.data['fact']}, "
                   f"updateState gas {batch.data['update_state_gas']}")
    operator.stop_gateway()
    assert exchange.positionsRoot() == operator.pipeline.executor.state.positions_root, "L1 root differs"

    before = bob_eth.balance
    receipt = exchange.withdraw(bob, collateral, sender=bob_eth)
    received = bob_eth.balance - before + receipt.total_fees_paid
    click.echo(f"Bob withdrew {received // ETH_QUANTUM} quantized ETH on L1")
    assert received == 250 * ETH_QUANTUM

    prove_small_program(workdir)


def prove_small_program(workdir: Path) -> None:
    """The STARK prover on a Cairo program it already covers (CPU, memory, output builtin)."""
    import time

    from offchain.cairo_runner import CAIRO_ROOT, compile_program, run_program
    from offchain.prover.cairo.prove import prove_run, verify_run
    from offchain.prover.cairo.runner_files import RunnerFiles

    compiled = compile_program(CAIRO_ROOT / "examples" / "fibonacci.cairo", workdir / "fib.json")
    run = run_program(compiled, {"n": 20}, workdir / "fib-run")
    started = time.perf_counter()
    proof = prove_run(RunnerFiles.from_run(run))
    proved = time.perf_counter() - started
    statement = verify_run(proof.to_bytes())
    click.echo(f"STARK proof of fibonacci.cairo ({run.n_steps} steps, output {statement.output()}): "
               f"{len(proof.to_bytes())} bytes, proved in {proved:.1f}s, verified in Python")
