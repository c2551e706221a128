"""FastAPI application: StarkEx-shaped gateway, feeder gateway and availability gateway.

Transactions enter through offchain.gateway.intake, which validates before it stores.
"""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from offchain import __version__
from offchain.batching import crash
from offchain.gateway.intake import IntakeRejected, TransactionIntake
from offchain.l1.committee import SIGNATURES, AvailabilityClaim, signer_of


class AddTransactionRequest(BaseModel):
    tx_id: int = Field(ge=0, description="client-chosen consecutive id; see testing/get_first_unused_tx_id")
    tx: dict[str, Any] = Field(description="a transaction of docs/batch-input.md, with its `type`")


class ApproveNewRootsRequest(BaseModel):
    batch_id: int = Field(ge=0)
    member_key: str = Field(description="the member's Ethereum address")
    signature: str = Field(description="EIP-191 signature (65 bytes, hex) of the batch's availability fact")


def create_app(intake: TransactionIntake) -> FastAPI:
    app = FastAPI(title="starkex-rollup operator", version=__version__)
    store = intake.store

    # --- gateway ------------------------------------------------------------------------

    @app.post("/gateway/add_transaction")
    def add_transaction(request: AddTransactionRequest):
        try:
            intake.submit(request.tx_id, request.tx)
        except IntakeRejected as rejected:
            return JSONResponse(status_code=rejected.status, content={"code": rejected.code, "message": rejected.message})
        crash.crash_point(crash.TX_STORED)
        return {"code": "TRANSACTION_RECEIVED", "tx_id": request.tx_id}

    @app.get("/gateway/get_transaction")
    def get_transaction(tx_id: int = Query(ge=0)):
        stored = store.get_transaction(tx_id)
        if stored is None:
            return {"tx_id": tx_id, "status": "NOT_RECEIVED"}
        status = "PENDING"
        if stored.batch_id is not None:
            batch = store.get_batch(stored.batch_id)
            status = batch.status.value if batch else "PENDING"
        return {"tx_id": tx_id, "status": status, "batch_id": stored.batch_id, "tx": stored.tx}

    @app.get("/gateway/testing/get_first_unused_tx_id")
    def first_unused_tx_id() -> int:
        return store.first_unused_tx_id()

    @app.get("/gateway/is_alive")
    def gateway_is_alive() -> str:
        return "Gateway is alive!"

    # --- feeder gateway -----------------------------------------------------------------

    @app.get("/feeder_gateway/is_alive")
    def feeder_is_alive() -> str:
        return "FeederGateway is alive!"

    @app.get("/feeder_gateway/get_last_batch_id")
    def get_last_batch_id() -> int:
        last = store.last_batch_id()
        if last is None:
            raise HTTPException(status_code=404, detail="no batch yet")
        return last

    @app.get("/feeder_gateway/get_batch_info")
    def get_batch_info(batch_id: int = Query(ge=0)):
        batch = store.get_batch(batch_id)
        if batch is None:
            raise HTTPException(status_code=404, detail=f"no batch {batch_id}")
        return {
            "batch_id": batch.batch_id,
            "status": batch.status.value,
            "tx_ids": [batch.first_tx_id, batch.last_tx_id],
            **{k: v for k, v in batch.data.items() if k in ("fact", "new_positions_root", "new_orders_root", "update_state_tx", "sequence_number")},
        }

    # --- availability gateway (validium committee members) ---------------------------

    @app.get("/availability_gateway/get_batch_data")
    def get_batch_data(batch_id: int = Query(ge=0)):
        """What a member needs to rebuild the batch's roots; `claim` is null until it is executed."""
        batch = store.get_batch(batch_id)
        if batch is None:
            raise HTTPException(status_code=404, detail=f"no batch {batch_id}")
        claim = AvailabilityClaim.of_batch(batch)
        return {
            "batch_id": batch_id,
            "transactions": [t.tx for t in store.transactions_in(batch.first_tx_id, batch.last_tx_id)],
            "minimum_expiration_timestamp": batch.data.get("minimum_expiration_timestamp"),
            "claim": None if claim is None else claim.to_json(),
        }

    @app.post("/availability_gateway/approve_new_roots")
    def approve_new_roots(request: ApproveNewRootsRequest):
        batch = store.get_batch(request.batch_id)
        if batch is None:
            raise HTTPException(status_code=404, detail=f"no batch {request.batch_id}")
        claim = AvailabilityClaim.of_batch(batch)
        if claim is None:
            return JSONResponse(status_code=409, content={"code": "BATCH_NOT_EXECUTED", "message": "no roots to approve yet"})
        signer = signer_of(claim, request.signature)
        if signer is None or signer.lower() != request.member_key.lower():
            return JSONResponse(status_code=400, content={"code": "INVALID_SIGNATURE",
                                                          "message": "the signature is not member_key's over this batch's availability fact"})
        # Membership is the committee contract's to decide, when the operator registers the fact.
        updated = store.merge_batch_data(batch.batch_id, SIGNATURES, {signer: request.signature})
        return {"code": "SIGNATURE_RECEIVED", "n_signatures": len(updated.data[SIGNATURES])}

    return app
