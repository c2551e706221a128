"""The operator service: gateway, L1 watcher and batch pipeline around one store.

Everything durable lives in the store and on L1; an Operator built again over the same store
and contracts (after a crash, kill -9 included) replays the pending state and resumes the
pipeline where it stopped. It refuses to run against a node that is not the one its store was
made on (another chain, a restarted empty local node, no exchange code at the address): every
step would fail there forever, so it stops with the reason instead.
"""
from __future__ import annotations

import dataclasses
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn
from eth_utils import keccak

from offchain.core.application import Application
from offchain.core.batching.executor import BatchExecutor
from offchain.core.batching.pipeline import BatchPipeline, BatchPolicy, Prover, StateUpdater
from offchain.client.l1 import ExchangeL1
from offchain.core.gateway.access import GatewayAccess
from offchain.core.gateway.app import create_app
from offchain.core.gateway.intake import DEFAULT_MAX_PENDING, DepositGuard, TransactionIntake
from offchain.core.l1.accounts import LOCAL_CHAIN_ID
from offchain.core.l1.watcher import L1Clock, L1Watcher
from offchain.core.storage import BatchRecord, OperatorStore
from offchain.prover.params import ProofParams

log = logging.getLogger("offchain.core.operator")
NODE_IDENTITY = "l1_node_identity"


@dataclass
class OperatorSettings:
    database_url: str
    workdir: Path
    batch_policy: BatchPolicy
    confirmations: int = 0  # blocks on top of an L1 event, or of a state update, before it is relied on
    start_block: int = 0
    run_cairo: bool = True
    max_pending: int = DEFAULT_MAX_PENDING  # transactions waiting for a batch before clients get 503
    keep_batch_runs: int = 0  # accepted batches whose Cairo run folders are kept
    proof_params: ProofParams = ProofParams()  # what StarkFactProver proves batches with
    gateway_access: GatewayAccess = field(default_factory=GatewayAccess.generate)


class NodeReplaced(RuntimeError):
    """The L1 node is not the one this operator's store and contracts live on."""


class GatewayPortBusy(RuntimeError):
    pass


def bind_gateway_socket(host: str, port: int) -> socket.socket:
    """The gateway's listening socket, or GatewayPortBusy with the reason at once."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise GatewayPortBusy(f"cannot serve the gateway on {host}:{port}: {error.strerror} "
                              "(another operator or demo running? choose another port with --port)") from None
    sock.listen(128)
    return sock


def node_identity(chain_manager, exchange_address: str) -> dict:
    """What names one chain and one exchange on it: chain id, genesis block hash, the hash of the
    code at the exchange's address."""
    code = chain_manager.provider.get_code(exchange_address)
    return {"chain_id": int(chain_manager.chain_id), "genesis_hash": chain_manager.blocks[0].hash.hex(),
            "exchange": exchange_address, "exchange_code": keccak(bytes(code)).hex() if code else None}


class Operator:
    def __init__(self, settings: OperatorSettings, genesis, exchange, chain_manager,
                 collateral_asset_type: int | None, prover: Prover, updater: StateUpdater,
                 application: Application | None = None):
        """genesis: the application's state before the first batch; application: Perpetual (over
        the collateral asset type) unless given."""
        if application is None:
            from offchain.perpetual.application import PerpetualApplication
            application = PerpetualApplication(collateral_asset_type)
        self.application = application
        self.settings = settings
        self.exchange = exchange
        self.chain = chain_manager
        self.store = OperatorStore(settings.database_url)
        self.check_node()
        # L1's clock, not this machine's: expirations are judged by block time on L1. Read by the
        # service loop; the gateway only reads the last reading, carried forward.
        self.clock = L1Clock(chain_manager)
        self.clock.refresh()
        self.access = settings.gateway_access
        self.intake = TransactionIntake(self.store, genesis, DepositGuard(), clock=self.clock,
                                        max_pending=settings.max_pending, application=application)
        self.executor = BatchExecutor(genesis, settings.workdir, run_cairo=settings.run_cairo, clock=self.clock,
                                      keep_runs=settings.keep_batch_runs, application=application)
        policy = dataclasses.replace(settings.batch_policy, confirmations=settings.confirmations)
        self.pipeline = BatchPipeline(self.store, self.executor, prover, updater, policy,
                                      on_accepted=self._accepted, on_not_batchable=self._not_batchable)
        self.watcher = L1Watcher(exchange, self.intake, chain_manager, settings.confirmations, settings.start_block,
                                 clock=self.clock)
        self.l1 = ExchangeL1(exchange)
        chain_id = int(chain_manager.chain_id)
        self.exchange_config = application.client_config(genesis, exchange, chain_id,
                                                         chain_manager.provider.uri if chain_id == LOCAL_CHAIN_ID else None)
        self.app = create_app(self.intake, self.access, self.exchange_config, self.l1, self.clock)
        self._server: uvicorn.Server | None = None
        self._node_checked_at = time.monotonic()

    def check_node(self) -> None:
        """Records the node's identity on first start; afterwards, raises NodeReplaced if the
        node differs (a restarted local node is empty: same chain id, another genesis, no code)."""
        now = node_identity(self.chain, self.exchange.address)
        if now["exchange_code"] is None:
            raise NodeReplaced(f"no contract at the exchange address {self.exchange.address} on chain {now['chain_id']} "
                               f"(genesis {now['genesis_hash']}): the node is not the one the exchange was deployed on")
        recorded = self.store.get_setting(NODE_IDENTITY)
        if recorded is None:
            self.store.set_setting(NODE_IDENTITY, now)
            return
        different = [k for k in ("chain_id", "genesis_hash", "exchange", "exchange_code") if recorded.get(k) != now.get(k)]
        if different:
            raise NodeReplaced("the L1 node is not the one this operator's store was made on: "
                               + ", ".join(f"{k} {recorded.get(k)} then, {now.get(k)} now" for k in different))

    def _accepted(self, batch: BatchRecord) -> None:
        self.intake.batch_accepted(self.store.effective_transactions_in(batch.first_tx_id, batch.last_tx_id))
        self.executor.accepted(batch.batch_id)

    def _not_batchable(self, tx_id: int, reason: str) -> None:
        self.intake.mark_for_replacement(tx_id, f"could not be executed: {reason}", by_application=False)

    def tick(self, force_close: bool = False) -> BatchRecord | None:
        """One loop of the service: read L1, then advance the pipeline by one step."""
        self.watcher.poll()
        return self.pipeline.step(force_close=force_close)

    def drain(self) -> list[BatchRecord]:
        """Runs until every transaction known now is in an accepted batch (demo and tests)."""
        self.watcher.poll()
        return self.pipeline.run_until_idle(force_close=True)

    def serve_gateway(self, host: str = "127.0.0.1", port: int = 9414) -> threading.Thread:
        """Serves the API in a thread; GatewayPortBusy at once if the port cannot be bound."""
        sock = bind_gateway_socket(host, port)
        self._server = uvicorn.Server(uvicorn.Config(self.app, host=host, port=port, log_level="warning"))
        thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, name="gateway", daemon=True)
        thread.start()
        while not self._server.started:
            if not thread.is_alive():
                raise GatewayPortBusy(f"the gateway on {host}:{port} stopped while starting")
            time.sleep(0.05)
        log.info("gateway listening on http://%s:%d", host, port)
        return thread

    def stop_gateway(self) -> None:
        if self._server is not None:
            self._server.should_exit = True

    def run_forever(self, stop: threading.Event, idle_sleep: float = 1.0, max_backoff: float = 60.0,
                    node_check_seconds: float = 30.0) -> None:
        """Loops until `stop`. A failing step (the node unreachable, a reverted L1 call) is
        logged and retried after a growing pause rather than ending the service: every step
        resumes from the store, so retrying is always safe. A replaced node ends it
        (NodeReplaced): nothing done there could ever count."""
        backoff = idle_sleep
        while not stop.is_set():
            try:
                if time.monotonic() - self._node_checked_at >= node_check_seconds:
                    self._node_checked_at = time.monotonic()
                    self.check_node()
                advanced = self.tick()
            except NodeReplaced:
                raise
            except Exception as error:  # noqa: BLE001 — any step failure is retried the same way
                log.warning("step failed, retrying in %.1fs: %s: %s", backoff, type(error).__name__, error,
                            exc_info=True, extra={"retry_in_s": backoff, "error": type(error).__name__})
                self._node_checked_at = 0.0  # a failure may be a replaced node: check before the retry
                stop.wait(backoff)
                backoff = min(backoff * 2, max_backoff)
                continue
            backoff = idle_sleep
            if advanced is None:
                stop.wait(idle_sleep)
