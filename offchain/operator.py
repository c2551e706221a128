"""The operator service: gateway, L1 watcher and batch pipeline around one store.

Everything durable lives in the store and on L1; an Operator built again over the same store
and contracts (after a crash, kill -9 included) replays the pending state and resumes the
pipeline where it stopped.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from offchain.batching.executor import PerpetualExecutor
from offchain.batching.pipeline import BatchPipeline, BatchPolicy, Prover, StateUpdater
from offchain.gateway.app import create_app
from offchain.gateway.intake import DepositGuard, TransactionIntake
from offchain.l1.exchange import l1_pending_deposit
from offchain.l1.watcher import L1Watcher
from offchain.perpetual.state import PerpetualState
from offchain.storage import BatchRecord, OperatorStore

log = logging.getLogger("offchain.operator")


@dataclass
class OperatorSettings:
    database_url: str
    workdir: Path
    batch_policy: BatchPolicy
    confirmations: int = 0
    start_block: int = 0
    run_cairo: bool = True


class Operator:
    def __init__(self, settings: OperatorSettings, genesis: PerpetualState, exchange, chain_manager,
                 collateral_asset_type: int, prover: Prover, updater: StateUpdater):
        self.settings = settings
        self.store = OperatorStore(settings.database_url)
        guard = DepositGuard(l1_pending_deposit(exchange, collateral_asset_type))
        # L1's clock, not this machine's: expirations are judged by block time on L1.
        def l1_clock() -> float:
            return chain_manager.pending_timestamp

        self.intake = TransactionIntake(self.store, genesis, guard, clock=l1_clock)
        executor = PerpetualExecutor(genesis, settings.workdir, run_cairo=settings.run_cairo, clock=l1_clock)
        self.pipeline = BatchPipeline(self.store, executor, prover, updater, settings.batch_policy,
                                      on_accepted=self._accepted)
        self.watcher = L1Watcher(exchange, self.intake, chain_manager, collateral_asset_type,
                                 settings.confirmations, settings.start_block)
        self.app = create_app(self.intake)
        self._server: uvicorn.Server | None = None

    def _accepted(self, batch: BatchRecord) -> None:
        self.intake.batch_accepted([t.tx for t in self.store.transactions_in(batch.first_tx_id, batch.last_tx_id)])

    def tick(self, force_close: bool = False) -> BatchRecord | None:
        """One loop of the service: read L1, then advance the pipeline by one step."""
        self.watcher.poll()
        return self.pipeline.step(force_close=force_close)

    def drain(self) -> list[BatchRecord]:
        """Runs until every transaction known now is in an accepted batch (demo and tests)."""
        self.watcher.poll()
        return self.pipeline.run_until_idle(force_close=True)

    def serve_gateway(self, host: str = "127.0.0.1", port: int = 9414) -> threading.Thread:
        self._server = uvicorn.Server(uvicorn.Config(self.app, host=host, port=port, log_level="warning"))
        thread = threading.Thread(target=self._server.run, name="gateway", daemon=True)
        thread.start()
        while not self._server.started:
            time.sleep(0.05)
        log.info("gateway listening on http://%s:%d", host, port)
        return thread

    def stop_gateway(self) -> None:
        if self._server is not None:
            self._server.should_exit = True

    def run_forever(self, stop: threading.Event, idle_sleep: float = 1.0, max_backoff: float = 60.0) -> None:
        """Loops until `stop`. A failing step (the node unreachable, a reverted L1 call) is
        logged and retried after a growing pause rather than ending the service: every step
        resumes from the store, so retrying is always safe."""
        backoff = idle_sleep
        while not stop.is_set():
            try:
                advanced = self.tick()
            except Exception as error:  # noqa: BLE001 — any step failure is retried the same way
                log.warning("step failed, retrying in %.1fs: %s: %s", backoff, type(error).__name__, error,
                            exc_info=True, extra={"retry_in_s": backoff, "error": type(error).__name__})
                stop.wait(backoff)
                backoff = min(backoff * 2, max_backoff)
                continue
            backoff = idle_sleep
            if advanced is None:
                stop.wait(idle_sleep)
