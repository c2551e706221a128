"""A whole local Spot stack on the local node: StarkExchange, its genesis and an operator over them.

Used by `ape run deploy --app spot`, `ape run operator --app spot`, `ape run demo --app spot` and
the Spot operator tests. As Perpetual's (offchain/perpetual/local.py): batches are proven by this
project's STARK prover and their facts registered through the on-chain STARK verifier; a test
whose batches the model alone executes passes its own registry and the prover that feeds it.

The genesis state may hold vaults (the deployer's initial allocation: StarkExchange is
initialized with its roots). It is how a mintable asset enters this exchange — the program has no
off-chain minting (docs/spot/program-output.md) — and leaves it, minted on withdrawal.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from offchain.core import batch_program
from offchain.core.batching.pipeline import BatchPolicy
from offchain.core.facts import program_bytecode, program_hash
from offchain.core.l1.committee import CommitteeGatedUpdater
from offchain.core.l1.stark import CairoVerifierStack, StarkFactProver, local_verifier_chain
from offchain.core.l1.state_update import ExchangeStateUpdater
from offchain.core.operator import Operator, OperatorSettings
from offchain.spot.application import SpotApplication
from offchain.spot.assets import TokenKind, asset_info
from offchain.spot.exchange import deploy_stark_exchange
from offchain.spot.state import GeneralConfig, SpotState, Vault

DATA_AVAILABILITY_VALIDIUM, DATA_AVAILABILITY_ROLLUP = 0, 1  # contracts/core/MainConstants.sol


def spot_program() -> Path:
    return batch_program.compiled_program(batch_program.SPOT_PROGRAM_DIR)


def spot_init_params(governor, escape_verifier, verifier_chain: list[str], program: bytes, genesis: SpotState,
                     committee=None) -> tuple:
    """SpotInitParams (contracts/spot/SpotTypes.sol) from genesis: a rollup, or with a committee
    (its availability verifier) a validium."""
    validium, rollup, orders = genesis.roots()
    c = genesis.config
    mode = DATA_AVAILABILITY_ROLLUP if committee is None else DATA_AVAILABILITY_VALIDIUM
    return (governor.address, escape_verifier.address, list(verifier_chain), [] if committee is None else [committee.address],
            int.from_bytes(program, "big"), mode, c.unique_minting_enforced, validium, c.validium_vault_tree_height,
            rollup, c.rollup_vault_tree_height, orders, c.order_tree_height)


def register_token(exchange, token_admin, kind: TokenKind, token_address: str | None, quantum: int) -> int:
    """The token administrator registers an asset (registerToken); returns its asset type."""
    receipt = exchange.registerToken(asset_info(kind, token_address), quantum, sender=token_admin)
    return int(receipt.events.filter(exchange.LogAssetRegistered)[0].assetType)


@dataclass
class SpotStack:
    exchange: object
    escape_verifier: object  # VaultEscapeVerifier
    fact_registry: object  # the verifier chain's registry: CairoFactRegistry (or a test's own)
    genesis: SpotState
    program_hash: bytes
    deployer: object
    operator_account: object
    chain: object
    settings: OperatorSettings
    stark: CairoVerifierStack | None = None
    make_prover: Callable[["SpotStack"], object] | None = None
    committee: object = None  # the Committee contract of a validium, None for a rollup

    @classmethod
    def deploy(cls, project, deployer, operator_account, chain, workdir: Path, genesis_vaults: dict[int, Vault] | None = None,
               vault_tree_height: int = 31, batch_policy: BatchPolicy | None = None, run_cairo: bool = True,
               fact_registry=None, make_prover: Callable[["SpotStack"], object] | None = None,
               committee=None) -> "SpotStack":
        """A rollup StarkExchange (a validium with a deployed Committee contract) whose only
        verifier is the STARK fact registry (or, for tests, fact_registry with the make_prover that
        feeds it), with deployer as governor and token administrator, and operator_account as its
        operator. genesis_vaults: vault id -> vault."""
        genesis = SpotState(GeneralConfig(validium_vault_tree_height=vault_tree_height,
                                          rollup_vault_tree_height=vault_tree_height))
        for vault_id, vault in (genesis_vaults or {}).items():
            if genesis.config.tree_of(vault_id) is None:
                raise ValueError(f"genesis vault {vault_id} is in neither tree")
            genesis.set_vault(vault_id, vault)
        compiled = spot_program()
        program = program_hash(compiled)
        stark, registry = local_verifier_chain(project, deployer, chain, compiled, run_cairo, fact_registry, make_prover)
        escape_verifier = deployer.deploy(project.VaultEscapeVerifier)
        exchange = deploy_stark_exchange(project, deployer, spot_init_params(deployer, escape_verifier, [registry.address],
                                                                             program, genesis, committee))
        exchange.registerOperator(operator_account, sender=deployer)
        exchange.registerTokenAdmin(deployer, sender=deployer)
        settings = OperatorSettings(
            database_url=f"sqlite:///{workdir}/operator.sqlite", workdir=workdir,
            batch_policy=batch_policy or BatchPolicy(max_size=100, max_age_seconds=1.0),
            start_block=chain.blocks.height, run_cairo=run_cairo)
        return cls(exchange, escape_verifier, registry, genesis, program, deployer, operator_account, chain, settings,
                   stark, make_prover, committee)

    @property
    def application(self) -> SpotApplication:
        return SpotApplication("rollup" if self.committee is None else "validium")

    def operator(self, **wrappers) -> Operator:
        """A (new) operator over this stack's store and contracts: what a restart builds."""
        if self.stark is not None:
            prover = StarkFactProver(self.stark, self.operator_account, spot_program(), self.settings.workdir,
                                     self.settings.proof_params)
        else:
            prover = self.make_prover(self)
        updater = ExchangeStateUpdater(self.exchange, self.operator_account)
        if self.committee is not None:
            updater = CommitteeGatedUpdater(updater, self.committee, self.operator_account, self.application)
        prover = wrappers.get("prover", lambda p: p)(prover)
        updater = wrappers.get("updater", lambda u: u)(updater)
        return Operator(self.settings, self.genesis, self.exchange, self.chain, None, prover, updater,
                        application=self.application)
