"""FastAPI application: StarkEx-shaped gateway, feeder gateway and availability gateway.

Transactions enter through offchain.core.gateway.intake, which validates before it stores; callers of
the gateway authenticate (offchain.core.gateway.access). Every refusal is a 4xx with a code (the
rule's name) and a message with the numbers; malformed requests are 400, never 422 or 500.
"""
# No `from __future__ import annotations`: FastAPI reads the endpoints' body types, which are the
# application's (transaction_requests), from their live annotations.
from typing import Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi_offline import FastAPIOffline
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, create_model
from starlette.exceptions import HTTPException as StarletteHTTPException

from offchain import __version__
from offchain.core.batching import crash
from offchain.core.gateway.access import AccessDenied, GatewayAccess, GatewayClient, Role
from offchain.core.gateway.feeder import add_feeder_routes, transaction_status
from offchain.core.gateway.intake import IntakeRejected, TransactionIntake
from offchain.core.l1.committee import SIGNATURES, AvailabilityClaim, signer_of

# tx_id and batch_id are stored as SQL BIGINT (signed 64-bit): a larger id is refused here.
ID_BOUND = 2**63
# The largest request body: a TRADE is ~2 KB; 100 alternatives of it fit well within.
MAX_BODY_BYTES = 512 * 1024


MAX_JSON_DEPTH = 32  # a TRADE nests 4 deep
# What get_batch_info shows of a batch's pipeline record: the statement (fact, roots), how it was
# proven (prover, proof_size: null when the development registry stood in for a proof) and its
# L1 transactions.
BATCH_INFO_FIELDS = ("fact", "new_positions_root", "new_orders_root", "sequence_number", "cairo_steps", "prover",
                     "proof_size", "fact_tx", "update_state_tx", "update_state_block", "update_state_gas")


def json_depth_exceeds(body: bytes, limit: int) -> bool:
    """Whether body's arrays and objects nest deeper than limit (brackets inside strings do not
    count). Checked before parsing: the JSON parser recurses once per level, and in a thread with
    a small stack a deep document overflowed it and killed the process (a segmentation fault
    under the test client's server thread) instead of raising."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth, in_string, escaped = 0, False, False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


class BodyLimit:
    """ASGI middleware: reads a request body whole (at most MAX_BODY_BYTES, else 413, whether or
    not it declared its length) and refuses JSON nested deeper than MAX_JSON_DEPTH (400), before
    anything parses it."""

    def __init__(self, app, limit: int = MAX_BODY_BYTES):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        too_large = refusal(413, "REQUEST_TOO_LARGE", f"request bodies are limited to {self.limit} bytes")
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            return await too_large(scope, receive, send)
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                return await too_large(scope, receive, send)
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if json_depth_exceeds(body, MAX_JSON_DEPTH):
            return await refusal(400, "MALFORMED_TRANSACTION", f"JSON nested deeper than {MAX_JSON_DEPTH}")(scope, receive, send)
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class MarkForReplacementRequest(BaseModel):
    tx_id: int = Field(ge=0, lt=ID_BOUND, strict=True)
    reason: str = Field(default="marked by the application", max_length=500)


def transaction_requests(application) -> tuple[type[BaseModel], type[BaseModel]]:
    """The bodies that carry the application's transactions: add_transaction's and
    add_alternative_transactions'."""
    client_transaction = application.client_transaction
    add = create_model(
        "AddTransactionRequest",
        tx_id=(int, Field(ge=0, lt=ID_BOUND, strict=True,
                          description="client-chosen consecutive id; see testing/get_first_unused_tx_id")),
        tx=(client_transaction, Field(description="a transaction with its `type`; numbers as JSON integers, "
                                                  "decimal or 0x hex strings")))
    alternatives = create_model(
        "AlternativeTransactionsRequest",
        tx_id=(int, Field(ge=0, lt=ID_BOUND, strict=True, description="the transaction marked for replacement")),
        alternative_txs=(list[client_transaction], Field(max_length=100, description="executed in its place, in "
                                                                                    "order (may be empty)")))
    return add, alternatives


class ApproveNewRootsRequest(BaseModel):
    batch_id: int = Field(ge=0, lt=ID_BOUND, strict=True)
    member_key: str = Field(max_length=64, description="the member's Ethereum address")
    signature: str = Field(max_length=200, description="EIP-191 signature (65 bytes, hex) of the batch's availability fact")


def refusal(status: int, code: str, message: str, headers: dict | None = None, **extra) -> JSONResponse:
    return JSONResponse(status_code=status, content={"code": code, "message": message, **extra}, headers=headers)


def create_app(intake: TransactionIntake, access: GatewayAccess, config=None, l1=None,
               l1_time=None) -> FastAPI:
    """config: what get_config tells clients; l1 (offchain.client.l1.ExchangeL1) and l1_time
    (L1's clock): for the explorer's forced requests. Swagger UI (/docs) and the explorer
    (/explorer) are served from files installed with the package, never a CDN."""
    application = intake.app
    AddTransactionRequest, AlternativeTransactionsRequest = transaction_requests(application)
    l1_made = ", ".join(sorted(application.l1_made_types))
    app = FastAPIOffline(title="starkex-rollup operator", version=__version__, redoc_url=None,
                  description=f"StarkEx {application.name.capitalize()}'s gateway API. Gateway calls need "
                              "`Authorization: Bearer <token>` of a configured client; its role decides which "
                              "transaction types it may send (offchain/core/gateway/access.py). "
                              f"{l1_made} come only from the operator's L1 watcher.")
    app.add_middleware(BodyLimit)
    store = intake.store
    bearer = HTTPBearer(auto_error=False, description="a configured gateway client's token")

    @app.exception_handler(RequestValidationError)
    async def malformed(_request: Request, error: RequestValidationError):
        invalid = application.describe_invalid([{**e, "loc": [p for p in e["loc"] if p != "body"]} for e in error.errors()])
        return refusal(400, invalid.code, invalid.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException):
        # FastAPI's own refusals (an unparsable body, an unknown path) in the same shape as ours.
        code = "MALFORMED_TRANSACTION" if error.status_code == 400 else f"HTTP_{error.status_code}"
        return refusal(error.status_code, code, str(error.detail), getattr(error, "headers", None))

    @app.exception_handler(AccessDenied)
    async def denied(_request: Request, error: AccessDenied):
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
        return refusal(error.status, error.code, error.message, headers)

    @app.exception_handler(IntakeRejected)
    async def rejected(_request: Request, error: IntakeRejected):
        headers = {"Retry-After": str(error.retry_after)} if error.retry_after is not None else None
        extra = {"position_id": error.position_id} if error.position_id is not None else {}
        return refusal(error.status, error.code, error.message, headers, **extra)

    def caller(credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> GatewayClient:
        return access.authenticate(None if credentials is None else f"{credentials.scheme} {credentials.credentials}")

    async def may_send(request: Request, client: GatewayClient = Depends(caller)) -> GatewayClient:
        """403 for a transaction type this caller may not send, before the body is validated."""
        try:
            body = await request.json()
        except ValueError:
            return client  # not JSON: the body's validation refuses it
        if isinstance(body, dict):
            txs = [body.get("tx")] + list(body.get("alternative_txs") or [])
            for tx in txs:
                if isinstance(tx, dict):
                    access.authorize(client, tx.get("type"), application)
        return client

    # --- gateway ------------------------------------------------------------------------

    @app.post("/gateway/add_transaction")
    def add_transaction(request: AddTransactionRequest, _client: GatewayClient = Depends(may_send)):
        intake.submit(request.tx_id, request.tx.model_dump())
        crash.crash_point(crash.TX_STORED)
        return {"code": "TRANSACTION_RECEIVED", "tx_id": request.tx_id}

    @app.get("/gateway/get_transaction")
    def get_transaction(tx_id: int = Query(ge=0, lt=ID_BOUND), _client: GatewayClient = Depends(caller)):
        stored = store.get_transaction(tx_id)
        if stored is None:
            return {"tx_id": tx_id, "status": "NOT_RECEIVED"}
        answer: dict[str, Any] = {"tx_id": tx_id, "status": transaction_status(store, stored),
                                  "batch_id": stored.batch_id, "tx": stored.tx}
        if stored.replacement_reason is not None:
            answer["replacement_reason"] = stored.replacement_reason
            answer["alternative_txs"] = stored.alternatives
        return answer

    @app.post("/gateway/mark_transaction_for_replacement")
    def mark_transaction_for_replacement(request: MarkForReplacementRequest, client: GatewayClient = Depends(caller)):
        """The application withdraws an acknowledged transaction not yet in a batch; batching
        stops before it until /gateway/add_alternative_transactions gives what replaces it."""
        access.require(client, Role.APPLICATION, "mark_transaction_for_replacement")
        intake.mark_for_replacement(request.tx_id, request.reason)
        return {"code": "TRANSACTION_MARKED_FOR_REPLACEMENT", "tx_id": request.tx_id}

    @app.post("/gateway/add_alternative_transactions")
    def add_alternative_transactions(request: AlternativeTransactionsRequest, client: GatewayClient = Depends(may_send)):
        """The alternatives of a transaction marked for replacement (by the application, or by
        the operator when it could no longer be executed: get_transaction shows
        REPLACEMENT_REQUESTED and why). Zero or more; the same list again is accepted."""
        access.require(client, Role.APPLICATION, "add_alternative_transactions")
        intake.add_alternatives(request.tx_id, [t.model_dump() for t in request.alternative_txs])
        return {"code": "ALTERNATIVE_TRANSACTIONS_RECEIVED", "tx_id": request.tx_id}

    @app.get("/gateway/testing/get_first_unused_tx_id")
    def first_unused_tx_id(_client: GatewayClient = Depends(caller)) -> int:
        return store.first_unused_tx_id()

    @app.get("/gateway/is_alive")
    def gateway_is_alive() -> str:
        return "Gateway is alive!"

    # --- feeder gateway -----------------------------------------------------------------

    @app.get("/feeder_gateway/is_alive")
    def feeder_is_alive() -> str:
        return "FeederGateway is alive!"

    @app.get("/feeder_gateway/get_last_batch_id")
    def get_last_batch_id():
        last = store.last_batch_id()
        if last is None:
            return refusal(404, "NO_BATCH", "no batch yet")
        return last

    @app.get("/feeder_gateway/get_batch_info")
    def get_batch_info(batch_id: int = Query(ge=0, lt=ID_BOUND)):
        batch = store.get_batch(batch_id)
        if batch is None:
            return refusal(404, "BATCH_NOT_FOUND", f"no batch {batch_id}")
        return {
            "batch_id": batch.batch_id,
            "status": batch.status.value,
            "tx_ids": [batch.first_tx_id, batch.last_tx_id],  # the first and the last, inclusive
            **{k: v for k, v in batch.data.items() if k in BATCH_INFO_FIELDS},
        }

    # --- availability gateway (validium committee members) ---------------------------

    @app.get("/availability_gateway/get_batch_data")
    def get_batch_data(batch_id: int = Query(ge=0, lt=ID_BOUND)):
        """What a member needs to rebuild the batch's roots; `claim` is null until it is executed."""
        batch = store.get_batch(batch_id)
        if batch is None:
            return refusal(404, "BATCH_NOT_FOUND", f"no batch {batch_id}")
        claim = AvailabilityClaim.of_batch(batch, application)
        return {
            "batch_id": batch_id,
            "transactions": store.effective_transactions_in(batch.first_tx_id, batch.last_tx_id),
            "minimum_expiration_timestamp": batch.data.get("minimum_expiration_timestamp"),
            # Spot's one expiration bound (offchain/spot/application.py), when the batch has it.
            **{k: batch.data[k] for k in ("global_expiration_timestamp",) if k in batch.data},
            "claim": None if claim is None else claim.to_json(),
        }

    @app.post("/availability_gateway/approve_new_roots")
    def approve_new_roots(request: ApproveNewRootsRequest):
        batch = store.get_batch(request.batch_id)
        if batch is None:
            return refusal(404, "BATCH_NOT_FOUND", f"no batch {request.batch_id}")
        claim = AvailabilityClaim.of_batch(batch, application)
        if claim is None:
            return refusal(409, "BATCH_NOT_EXECUTED", "no roots to approve yet")
        signer = signer_of(claim, request.signature)
        if signer is None or signer.lower() != request.member_key.lower():
            return refusal(400, "INVALID_SIGNATURE", "the signature is not member_key's over this batch's availability fact")
        # Membership is the committee contract's to decide, when the operator registers the fact.
        updated = store.merge_batch_data(batch.batch_id, SIGNATURES, {signer: request.signature})
        return {"code": "SIGNATURE_RECEIVED", "n_signatures": len(updated.data[SIGNATURES])}

    add_feeder_routes(app, store, lambda: intake.state, config, l1, l1_time, application)
    application.add_state_routes(app, lambda: intake.state, store)

    return app
