"""A deployment, written down: what an operator needs to attach to an exchange it did not deploy.

`ape run deploy --save FILE` writes it; `ape run operator --deployment FILE` reads it. JSON, so
that it can be checked in beside the account alias and read by other tools.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from offchain.core import batch_program
from offchain.core.batching.pipeline import BatchPolicy
from offchain.core.l1.committee import CommitteeGatedUpdater
from offchain.core.l1.state_update import ExchangeStateUpdater
from offchain.perpetual.exchange import Deployment, exchange_at
from offchain.core.l1.external_prover import ExternalFactProver
from offchain.core.l1.stark import CairoVerifierStack, StarkFactProver
from offchain.core.operator import Operator, OperatorSettings
from offchain.perpetual.config import GeneralConfig
from offchain.perpetual.state import PerpetualState


@dataclass
class DeploymentRecord:
    chain_id: int
    exchange: str
    escape_verifier: str
    verifier_chain: list[str]
    collateral_asset_type: int
    quantum: int
    program_hash: bytes
    genesis: PerpetualState
    start_block: int  # the block of the deployment: the L1 watcher reads from here
    committee: str | None = None  # a validium's data-availability committee
    stark_registry: str | None = None  # the CairoFactRegistry of the verifier chain that our prover feeds

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps({
            "chain_id": self.chain_id, "exchange": self.exchange, "escape_verifier": self.escape_verifier,
            "verifier_chain": self.verifier_chain, "collateral_asset_type": hex(self.collateral_asset_type),
            "quantum": self.quantum, "program_hash": "0x" + self.program_hash.hex(),
            "config": self.genesis.config.to_json(), "genesis_state": self.genesis.to_json(),
            "start_block": self.start_block, "committee": self.committee, "stark_registry": self.stark_registry,
        }, indent=1))

    @classmethod
    def load(cls, path: Path) -> "DeploymentRecord":
        d = json.loads(Path(path).read_text())
        config = GeneralConfig.from_json(d["config"])
        return cls(int(d["chain_id"]), d["exchange"], d["escape_verifier"], list(d["verifier_chain"]),
                   int(d["collateral_asset_type"], 16), int(d["quantum"]), bytes.fromhex(d["program_hash"][2:]),
                   PerpetualState.from_json(config, d["genesis_state"]), int(d["start_block"]), d.get("committee"),
                   d.get("stark_registry"))

    @classmethod
    def of(cls, deployment: Deployment, genesis: PerpetualState, program_hash: bytes, chain_id: int,
           start_block: int, committee: str | None = None, stark_registry: str | None = None) -> "DeploymentRecord":
        return cls(chain_id, deployment.exchange.address, deployment.escape_verifier.address,
                   list(deployment.verifier_chain), deployment.collateral_asset_type, deployment.quantum,
                   program_hash, genesis, start_block, committee, stark_registry)

    def attach(self, project) -> Deployment:
        """The contracts, over the network Ape is connected to."""
        return Deployment(exchange_at(project, self.exchange), project.EscapeVerifier.at(self.escape_verifier),
                          self.verifier_chain, self.collateral_asset_type, self.quantum)

    def registries(self, project) -> list:
        return [project.IFactRegistry.at(address) for address in self.verifier_chain]

    def operator(self, project, chain_manager, account, workdir: Path, batch_policy: BatchPolicy,
                 database_url: str | None = None, run_cairo: bool = True, external_prover: bool = False,
                 **settings) -> Operator:
        """An operator attached to this exchange: updateState from `account` (after the
        committee's availability fact, for a validium). Each batch is proven by this project's
        prover and its fact registered, from `account`, through the STARK registry of the verifier
        chain (StarkFactProver); with external_prover, or when the chain has no such registry
        (stark_registry None), by an external service instead (ExternalFactProver: job files in
        <workdir>/proving-jobs). settings: further OperatorSettings fields (confirmations,
        gateway_access, max_pending, keep_batch_runs)."""
        if chain_manager.chain_id != self.chain_id:
            raise ValueError(f"the deployment is on chain {self.chain_id}, connected to {chain_manager.chain_id}")
        deployment = self.attach(project)
        settings = OperatorSettings(database_url=database_url or f"sqlite:///{workdir}/operator.sqlite",
                                    workdir=workdir, batch_policy=batch_policy, start_block=self.start_block,
                                    run_cairo=run_cairo, **settings)
        if self.stark_registry and not external_prover:
            prover = StarkFactProver(CairoVerifierStack.at(project, self.stark_registry), account,
                                     batch_program.compiled_program(), workdir, settings.proof_params)
        else:
            prover = ExternalFactProver(self.registries(project), self.program_hash, workdir / "proving-jobs", workdir)
        updater = ExchangeStateUpdater(deployment.exchange, account)
        if self.committee is not None:
            updater = CommitteeGatedUpdater(updater, project.Committee.at(self.committee), account)
        return Operator(settings, self.genesis, deployment.exchange, chain_manager, self.collateral_asset_type,
                        prover, updater)
