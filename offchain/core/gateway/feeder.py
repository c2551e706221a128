"""What the feeder gateway tells clients and the state explorer, beyond StarkEx's batch calls.

- `GET /feeder_gateway/get_config`: what a client needs before it can sign anything (the
  application's client config: Perpetual's ExchangeConfig, offchain/perpetual/feeder.py; Spot's
  SpotConfig); the application adds its state views (Perpetual's positions, Spot's vaults).
- `GET /feeder_gateway/get_forced_requests`: forced requests not yet in an accepted batch, with
  when L1 lets anyone freeze the exchange over each.
- `GET /explorer`: the state explorer page (static files beside this module, no CDN).

Amounts and balances are decimal strings and keys and asset ids 0x hex strings, as in StarkEx's
API (a balance reaches 2^63, beyond what a JavaScript number holds exactly).
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Callable

from fastapi import FastAPI, Query
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from offchain.core.storage import OperatorStore, StoredTransaction

log = logging.getLogger("offchain.core.gateway.feeder")
EXPLORER_DIR = Path(__file__).parent / "static" / "explorer"
ID_BOUND = 2**63


def transaction_status(store: OperatorStore, stored: StoredTransaction) -> str:
    """PENDING, REPLACEMENT_REQUESTED or REPLACED before a batch; the batch's status after."""
    if stored.batch_id is None:
        return stored.status or "PENDING"
    batch = store.get_batch(stored.batch_id)
    return batch.status.value if batch else "PENDING"


def pending_forced_transactions(store: OperatorStore, forced_types: frozenset[str]) -> list[StoredTransaction]:
    """Forced requests the operator made from L1 that no accepted batch holds yet."""
    stored = list(store.pending_transactions())
    for batch in store.batches_not_accepted():
        stored += store.transactions_in(batch.first_tx_id, batch.last_tx_id)
    return sorted((s for s in stored if s.tx["type"] in forced_types), key=lambda s: s.tx_id)


def add_feeder_routes(app: FastAPI, store: OperatorStore, pending_state: Callable[[], Any], config,
                      l1=None, l1_time: Callable[[], float] | None = None, application=None) -> None:
    """The routes above. pending_state: the intake's state; config: the application's client
    config (to_json); l1: an offchain.client.l1.ExchangeL1 (forced requests' L1 times); l1_time:
    L1's clock as the operator last read it; application: whose forced requests (Perpetual's
    unless given) and state views."""
    if application is None:
        from offchain.perpetual.application import PERPETUAL as application

    def refusal(status: int, code: str, message: str) -> JSONResponse:
        return JSONResponse(status_code=status, content={"code": code, "message": message})

    @app.get("/feeder_gateway/get_config")
    def get_config():
        if config is None:
            return refusal(404, "NO_CONFIG", "this gateway was started without an exchange")
        return config.to_json()

    @app.get("/feeder_gateway/get_forced_requests")
    def get_forced_requests():
        now = l1_time() if l1_time is not None else None
        requests = []
        try:
            frozen = l1.is_frozen() if l1 is not None else None
            for stored in pending_forced_transactions(store, application.forced_types):
                entry = {"tx_id": stored.tx_id, "type": stored.tx["type"], "status": transaction_status(store, stored),
                         "l1_request": stored.origin, "requested_at": None, "freezable_at": None, "seconds_left": None}
                if l1 is not None:
                    status = l1.forced_request_status(application.forced_request_key(l1, stored.tx))
                    entry.update(requested_at=status.requested_at, freezable_at=status.freezable_at)
                    if status.freezable_at is not None and now is not None:
                        entry["seconds_left"] = max(0, int(status.freezable_at - now))
                requests.append(entry)
        except Exception as error:  # noqa: BLE001 — the node unreachable: say so, never a 500
            log.warning("forced requests: L1 read failed: %s", error)
            return refusal(503, "L1_UNAVAILABLE", f"could not read the forced requests from L1: {type(error).__name__}: {error}")
        return {"l1_time": None if now is None else int(now), "frozen": frozen, "forced_requests": requests}

    if EXPLORER_DIR.is_dir():
        app.mount("/explorer/static", StaticFiles(directory=EXPLORER_DIR), name="explorer-static")

        @app.get("/explorer", include_in_schema=False)
        def explorer():
            return FileResponse(EXPLORER_DIR / "index.html")


