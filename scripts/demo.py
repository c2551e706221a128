"""`ape run demo`: the main job on the local node.

Today: deploy the development fact registry, run a Cairo program in proof mode, register its
fact and read it back on-chain. Grows into deploy → operator → a proven batch accepted on L1.
"""
import tempfile
from pathlib import Path

import click
from ape import accounts, project

from offchain.cairo_runner import CAIRO_ROOT, compile_program, run_program
from offchain.facts import fact, program_hash


def main():
    deployer = accounts.test_accounts[0]
    registry = deployer.deploy(project.LocalDevFactRegistry)
    click.echo(f"LocalDevFactRegistry (development only) at {registry.address}")

    with tempfile.TemporaryDirectory() as tmp:
        compiled = compile_program(CAIRO_ROOT / "examples" / "fibonacci.cairo", Path(tmp) / "fib.json")
        run = run_program(compiled, {"n": 30}, Path(tmp) / "run")
        output = run.output()
        click.echo(f"cairo-run --proof_mode: {run.n_steps} steps, output {output}")
        statement = fact(program_hash(compiled), output)

    registry.registerFact(statement, sender=deployer)
    assert registry.isValid(statement), "fact not registered"
    click.echo(f"fact 0x{statement.hex()} registered and valid on-chain")
