"""A whole local stack on the local node: contracts, genesis and an operator over them.

Used by `ape run demo`, `ape run operator` and the operator's integration tests. Batches are
proven by this project's STARK prover and their facts registered through the on-chain STARK
verifier (offchain/core/l1/stark.py), as on any network. Tests whose batches the model alone executes
(no Cairo run, so nothing to prove) pass a registry of their own and the prover that feeds it
(fact_registry, make_prover): nothing here trusts a fact without its proof.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from offchain.core import batch_program
from offchain.core.batching.pipeline import BatchPolicy
from offchain.crypto import messages
from offchain.crypto.signature import private_to_public_key
from offchain.core.facts import program_bytecode, program_hash
from offchain.core.l1.committee import CommitteeGatedUpdater
from offchain.core.l1.state_update import ExchangeStateUpdater
from offchain.perpetual.exchange import Deployment, deploy_exchange, eth_collateral
from offchain.core.l1.stark import CairoVerifierStack, StarkFactProver, local_verifier_chain
from offchain.core.operator import Operator, OperatorSettings
from offchain.perpetual.config import GeneralConfig, SyntheticAsset
from offchain.perpetual.state import PerpetualState

ETH_QUANTUM = 10**10  # wei per quantized unit
FEE_POSITION_ID = 0


def _name_word(name: bytes) -> int:
    return int.from_bytes(name, "big")


@dataclass(frozen=True)
class LocalSynthetic:
    """A synthetic asset of a local genesis, with the private keys of its oracles.

    Only the oracles' public keys enter the config (and so the general config hash that L1
    pins at deploy); the private keys are kept here so tests and demos can sign prices.
    """
    asset_id: int
    resolution: int
    risk_factor: int  # fixed point, 2^32 = 1.0
    oracle_private_keys: tuple[int, ...]
    quorum: int
    asset_name: bytes = b"BTCUSD"   # at most 16 bytes: what the oracles sign, with oracle_name
    oracle_name: bytes = b"Maker"   # at most 5 bytes
    oracle_public_keys: tuple[int, ...] = field(init=False)

    def __post_init__(self):
        if not 1 <= self.quorum <= len(self.oracle_private_keys):
            raise ValueError(f"quorum {self.quorum} needs 1..{len(self.oracle_private_keys)} oracles")
        # The program wants a price tick's signers in increasing key order.
        object.__setattr__(self, "oracle_public_keys",
                           tuple(sorted(private_to_public_key(k) for k in self.oracle_private_keys)))

    @property
    def signed_asset_id(self) -> int:
        return messages.signed_asset_id(_name_word(self.asset_name.ljust(16, b"\0")), _name_word(self.oracle_name))

    def config(self) -> SyntheticAsset:
        return SyntheticAsset(asset_id=self.asset_id, resolution=self.resolution, risk_factor=self.risk_factor,
                              oracle_price_quorum=self.quorum, oracle_price_signers=self.oracle_public_keys,
                              oracle_price_signed_asset_ids=(self.signed_asset_id,))


@dataclass
class LocalStack:
    deployment: Deployment
    fact_registry: object  # the verifier chain's registry: CairoFactRegistry (or a test's own)
    genesis: PerpetualState
    program_hash: bytes
    deployer: object
    operator_account: object
    chain: object
    settings: OperatorSettings
    committee: object = None  # the Committee contract of a validium, None for a rollup
    stark: CairoVerifierStack | None = None  # the STARK verifier behind fact_registry (None: a test's registry)
    make_prover: Callable[["LocalStack"], object] | None = None  # a test's prover for its own registry

    @classmethod
    def deploy(cls, project, deployer, operator_account, chain, workdir: Path, fee_public_key: int,
               batch_policy: BatchPolicy | None = None, run_cairo: bool = True,
               synthetics: Sequence[LocalSynthetic] = (), max_funding_rate: int | None = None,
               committee=None, positions_tree_height: int | None = None, fact_registry=None,
               make_prover: Callable[["LocalStack"], object] | None = None) -> "LocalStack":
        """synthetics and max_funding_rate make a genesis that can trade: they are part of the
        general config, whose hash the exchange pins at deploy. A deployed Committee contract
        makes the exchange a validium (mode 0) with that committee as its availability verifier.
        positions_tree_height (default: the config's 64) is for tests: an escape's Merkle path
        costs a Pedersen hash per level on L1, which a traced local node makes slow.
        fact_registry and make_prover (tests only): a registry the test deployed, as the verifier
        chain instead of the STARK verifier, and the pipeline's Prover for it (called with the
        stack); required when run_cairo is False (a batch without a Cairo run has nothing to
        prove)."""
        market = {"synthetic_assets": tuple(s.config() for s in synthetics)}
        if max_funding_rate is not None:
            market["max_funding_rate"] = max_funding_rate
        if positions_tree_height is not None:
            market["positions_tree_height"] = positions_tree_height
        config = GeneralConfig(collateral_asset_id=eth_collateral(ETH_QUANTUM), fee_position_id=FEE_POSITION_ID,
                               fee_public_key=fee_public_key, data_availability_mode=0 if committee is not None else 1,
                               **market)
        genesis = PerpetualState(config=config, system_time=chain.pending_timestamp)
        compiled = batch_program.compiled_program()
        program = program_hash(compiled)
        stark, registry = local_verifier_chain(project, deployer, chain, compiled, run_cairo, fact_registry, make_prover)
        deployment = deploy_exchange(project, deployer, operator_account.address, genesis, program, [registry.address], ETH_QUANTUM,
                                     availability_verifiers=[committee.address] if committee is not None else [])
        settings = OperatorSettings(
            database_url=f"sqlite:///{workdir}/operator.sqlite", workdir=workdir,
            batch_policy=batch_policy or BatchPolicy(max_size=100, max_age_seconds=1.0),
            start_block=chain.blocks.height, run_cairo=run_cairo,
        )
        return cls(deployment, registry, genesis, program, deployer, operator_account, chain, settings, committee, stark,
                   make_prover)

    def operator(self, **wrappers) -> Operator:
        """A (new) operator over this stack's store and contracts: what a restart builds.
        A validium's updater first registers the committee's availability fact."""
        if self.stark is not None:
            prover = StarkFactProver(self.stark, self.operator_account, batch_program.compiled_program(),
                                     self.settings.workdir, self.settings.proof_params)
        elif self.make_prover is not None:
            prover = self.make_prover(self)
        else:
            prover = NoProver(self.fact_registry.address)
        updater = ExchangeStateUpdater(self.deployment.exchange, self.operator_account)
        if self.committee is not None:
            updater = CommitteeGatedUpdater(updater, self.committee, self.operator_account)
        prover = wrappers.get("prover", lambda p: p)(prover)
        updater = wrappers.get("updater", lambda u: u)(updater)
        return Operator(self.settings, self.genesis, self.deployment.exchange, self.chain,
                        self.deployment.collateral_asset_type, prover, updater)


class NoProver:
    """The prover of a stack whose test registry's prover did not survive a restart from the
    stack file (offchain/cli.py: a test's make_prover is not saved): proving a batch is an error
    that names the registry, never a fact written without its proof."""

    def __init__(self, registry_address: str):
        self.registry_address = registry_address

    def prove(self, batch) -> dict:
        raise RuntimeError(f"batch {batch.batch_id}: this stack's verifier chain ({self.registry_address}) is a test's "
                           "registry, and its prover is not saved with the stack")


# Runs beside the operator: when its parent dies (SIGKILL included, which runs no handler), it
# ends the local node that parent started, so no orphan node is left for a successor to mistake
# for the chain it knew.
_NODE_GUARD = """
import os, signal, sys, time
parent, node = int(sys.argv[1]), int(sys.argv[2])
while os.getppid() == parent:
    time.sleep(0.5)
for sig in (signal.SIGTERM, signal.SIGKILL):
    try:
        os.kill(node, sig)
    except ProcessLookupError:
        break
    time.sleep(2)
"""


def bind_node_to_this_process(provider) -> int | None:
    """If the connected provider started its own local node (anvil), makes it end with this
    process; returns the node's pid, or None when the node is not ours to end."""
    import subprocess
    import sys

    process = getattr(provider, "process", None)
    if process is None:
        return None
    subprocess.Popen([sys.executable, "-c", _NODE_GUARD, str(os.getpid()), str(process.pid)],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process.pid
