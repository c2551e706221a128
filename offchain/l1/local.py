"""A whole local stack on the local node: contracts, genesis and an operator over them.

Used by `ape run demo` and the operator's integration tests. It verifies batches through the
DEVELOPMENT fact registry (LocalDevFactRegistry), which exists only on the local chain.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from offchain import batch_program
from offchain.batching.pipeline import BatchPolicy
from offchain.facts import program_hash
from offchain.l1.exchange import LOCAL_CHAIN_ID, Deployment, ExchangeStateUpdater, LocalDevFactProver, deploy_exchange, eth_collateral
from offchain.operator import Operator, OperatorSettings
from offchain.perpetual.config import GeneralConfig
from offchain.perpetual.state import PerpetualState

ETH_QUANTUM = 10**10  # wei per quantized unit
FEE_POSITION_ID = 0


@dataclass
class LocalStack:
    deployment: Deployment
    fact_registry: object  # LocalDevFactRegistry
    genesis: PerpetualState
    program_hash: bytes
    deployer: object
    operator_account: object
    chain: object
    settings: OperatorSettings

    @classmethod
    def deploy(cls, project, deployer, operator_account, chain, workdir: Path, fee_public_key: int,
               batch_policy: BatchPolicy | None = None, run_cairo: bool = True) -> "LocalStack":
        if chain.chain_id != LOCAL_CHAIN_ID:
            raise RuntimeError("LocalStack uses the development fact registry: local node only")
        config = GeneralConfig(collateral_asset_id=eth_collateral(ETH_QUANTUM), fee_position_id=FEE_POSITION_ID,
                               fee_public_key=fee_public_key, data_availability_mode=1)
        genesis = PerpetualState(config=config, system_time=chain.pending_timestamp)
        program = program_hash(batch_program.compiled_program())
        registry = deployer.deploy(project.LocalDevFactRegistry)
        deployment = deploy_exchange(project, deployer, operator_account.address, genesis, program, [registry.address], ETH_QUANTUM)
        settings = OperatorSettings(
            database_url=f"sqlite:///{workdir}/operator.sqlite", workdir=workdir,
            batch_policy=batch_policy or BatchPolicy(max_size=100, max_age_seconds=1.0),
            start_block=chain.blocks.height, run_cairo=run_cairo,
        )
        return cls(deployment, registry, genesis, program, deployer, operator_account, chain, settings)

    def operator(self, **wrappers) -> Operator:
        """A (new) operator over this stack's store and contracts: what a restart builds."""
        prover = LocalDevFactProver(self.fact_registry, self.deployer, self.program_hash)
        updater = ExchangeStateUpdater(self.deployment.exchange, self.operator_account)
        prover = wrappers.get("prover", lambda p: p)(prover)
        updater = wrappers.get("updater", lambda u: u)(updater)
        return Operator(self.settings, self.genesis, self.deployment.exchange, self.chain,
                        self.deployment.collateral_asset_type, prover, updater)
