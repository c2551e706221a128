"""Deploying the exchange and driving it: the pipeline's Prover and StateUpdater on L1.

Everything here takes Ape objects (project, accounts, contract instances) as arguments, so the
same code runs from `ape run` scripts, from tests and against any network Ape connects to.
"""
from __future__ import annotations

from dataclasses import dataclass

from offchain.facts import fact as statement_fact
from offchain.l1.assets import ETH_ASSET_INFO, asset_type
from offchain.perpetual.config import general_config_hash
from offchain.perpetual.state import PerpetualState
from offchain.storage import BatchRecord

LOCAL_CHAIN_ID = 31337
NO_BATCH = 2**256 - 1


@dataclass
class Deployment:
    exchange: object
    escape_verifier: object
    verifier_chain: list[str]
    collateral_asset_type: int
    quantum: int


def eth_collateral(quantum: int) -> int:
    """The collateral asset id the L2 config must use for ETH with this quantum."""
    return asset_type(ETH_ASSET_INFO, quantum)


def deploy_exchange(project, deployer, operator_address: str, genesis: PerpetualState, program_hash: bytes,
                    verifier_chain: list[str], quantum: int, availability_verifiers: list[str] = ()) -> Deployment:
    """Deploys and initializes the exchange with ETH as collateral; every registry in
    verifier_chain must hold a batch's fact for L1 to accept it."""
    collateral = eth_collateral(quantum)
    if genesis.config.collateral_asset_id != collateral:
        raise ValueError("the L2 config's collateral asset id is not the L1 asset type of ETH with this quantum")
    escape_verifier = deployer.deploy(project.EscapeVerifier)
    exchange = deployer.deploy(project.StarkPerpetual)
    exchange.initialize(
        (
            deployer.address,
            escape_verifier.address,
            list(verifier_chain),
            list(availability_verifiers),
            int.from_bytes(program_hash, "big"),
            general_config_hash(genesis.config),
            genesis.config.data_availability_mode,
            genesis.shared_state().to_output_words(),
        ),
        sender=deployer,
    )
    exchange.registerCollateralAsset(ETH_ASSET_INFO, quantum, sender=deployer)
    exchange.registerOperator(operator_address, sender=deployer)
    return Deployment(exchange, escape_verifier, list(verifier_chain), collateral, quantum)


class LocalDevFactProver:
    """DEVELOPMENT ONLY: 'proves' a batch by writing its fact into LocalDevFactRegistry.

    Stands in for the STARK prover until it covers the batch program's pedersen and ecdsa
    builtins; the registry itself refuses to exist on any chain but the local node.
    """

    def __init__(self, registry, deployer, program_hash: bytes):
        self.registry = registry
        self.deployer = deployer
        self.program_hash = program_hash

    def prove(self, batch: BatchRecord) -> dict:
        fact = statement_fact(self.program_hash, batch.data["output"])
        # No proof: the registry takes its deployer's word (proof_size None says so).
        result = {"fact": "0x" + fact.hex(), "prover": "LocalDevFactRegistry", "proof_size": None}
        if not self.registry.isValid(fact):  # a retried step must not fail on its own earlier effect
            result["fact_tx"] = str(self.registry.registerFact(fact, sender=self.deployer).txn_hash)
        return result


class ExchangeStateUpdater:
    def __init__(self, exchange, operator):
        self.exchange = exchange
        self.operator = operator

    def is_accepted(self, batch: BatchRecord) -> bool:
        last = int(self.exchange.lastBatchId())
        return last != NO_BATCH and last >= batch.batch_id

    def submit(self, batch: BatchRecord) -> dict:
        receipt = self.exchange.updateState(batch.data["output"], batch.data["application_data"], sender=self.operator)
        return {"update_state_tx": str(receipt.txn_hash), "update_state_gas": int(receipt.gas_used),
                "update_state_block": int(receipt.block_number)}

    def depth(self, batch: BatchRecord) -> int | None:
        """Blocks on top of the batch's updateState; None when L1 does not hold it (never sent,
        or dropped by a reorganisation)."""
        if not self.is_accepted(batch):
            return None
        chain = self.exchange.chain_manager
        sent = batch.data.get("update_state_tx")
        if sent is None:  # sent by a process that died before recording it: long mined
            return chain.blocks.height
        try:
            mined_in = int(chain.provider.get_receipt(sent).block_number)
        except Exception:  # noqa: BLE001 — a receipt the node no longer has: re-mined elsewhere, wait
            return 0
        return max(0, chain.blocks.height - mined_in)


def l1_pending_deposit(exchange, collateral_asset_type: int):
    """(stark_key, position_id) -> the quantized amount pending on L1, for the DepositGuard."""

    def pending(stark_key: int, position_id: int) -> int:
        return int(exchange.getPendingDeposit(stark_key, collateral_asset_type, position_id))

    return pending
