"""HTTP clients of the operator's gateways and of the reference application, with typed errors.

Every refusal of the operator and of the application is a JSON body {code, message} with a 4xx
(or 503) status; here it becomes a `ServiceError` subclass carrying the code, the message and
the status, so a caller can branch on `error.code` (StarkEx's error names: INVALID_SIGNATURE,
ILLEGAL_POSITION_TRANSITION_..., the gateway's own: TOO_MANY_PENDING_TRANSACTIONS, ...).

- `FeederGatewayClient`: open; the exchange's configuration, batches, positions.
- `GatewayClient`: the operator's private door, for a configured caller with its token (the
  reference application holds the `application` one).
- `ApplicationClient`: what a user talks to: orders, transfers, withdrawals, their status.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable

import httpx

from offchain.perpetual.feeder import ExchangeConfig

DEFAULT_TIMEOUT = 30.0
# Transaction and batch statuses in pipeline order; a transaction is final once ACCEPTED.
STATUS_ORDER = ("NOT_RECEIVED", "PENDING", "REPLACEMENT_REQUESTED", "REPLACED", "CREATED", "EXECUTED", "PROVED",
                "SUBMITTED", "ACCEPTED")


class ServiceError(Exception):
    """A refusal: code is the rule's name, message has the numbers; status the HTTP status (None
    when the service could not be reached)."""

    def __init__(self, code: str, message: str, status: int | None = None, retry_after: float | None = None,
                 details: dict | None = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.retry_after = retry_after
        self.details = details or {}  # the refusal's other fields (a refused trade's position_id)


class RequestRefused(ServiceError):
    """400: the request broke a rule (malformed, bad signature, insufficient balance, ...)."""


class NotAuthorized(ServiceError):
    """401 or 403: no or an unknown token, or a role that may not do this."""


class NotFound(ServiceError):
    """404: no such transaction, batch or order."""


class Conflict(ServiceError):
    """409: the id is already used by something else."""


class Unavailable(ServiceError):
    """503 (retry after retry_after seconds), or the service could not be reached."""


class ServerError(ServiceError):
    """Any other 5xx: a bug on the other side."""


class Timeout(ServiceError):
    """A wait for a status ran out."""


_BY_STATUS = {400: RequestRefused, 401: NotAuthorized, 403: NotAuthorized, 404: NotFound, 409: Conflict,
              413: RequestRefused, 503: Unavailable}


def error_of(response: httpx.Response) -> ServiceError:
    try:
        body = response.json()
        code, message = str(body["code"]), str(body["message"])
        details = {k: v for k, v in body.items() if k not in ("code", "message")}
    except (ValueError, KeyError, TypeError, AttributeError):
        code, message, details = f"HTTP_{response.status_code}", response.text[:500], {}
    retry = response.headers.get("Retry-After")
    cls = _BY_STATUS.get(response.status_code, ServerError if response.status_code >= 500 else RequestRefused)
    return cls(code, message, response.status_code, float(retry) if retry and retry.isdigit() else None, details)


class _Http:
    def __init__(self, base_url: str, headers: dict | None = None, timeout: float = DEFAULT_TIMEOUT,
                 transport: httpx.BaseTransport | None = None):
        self.base_url = base_url.rstrip("/")
        self.http = httpx.Client(base_url=self.base_url, headers=headers or {}, timeout=timeout, transport=transport)

    def close(self) -> None:
        self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()

    def request(self, method: str, path: str, **kwargs) -> Any:
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.TransportError as error:
            raise Unavailable("UNREACHABLE", f"{self.base_url}{path}: {type(error).__name__}: {error}") from error
        if response.status_code >= 400:
            raise error_of(response)
        return response.json()


@dataclass(frozen=True)
class BatchInfo:
    batch_id: int
    status: str
    first_tx_id: int
    last_tx_id: int
    raw: dict

    @classmethod
    def from_json(cls, data: dict) -> "BatchInfo":
        first, last = data["tx_ids"]
        return cls(int(data["batch_id"]), data["status"], int(first), int(last), data)

    def describe(self) -> str:
        """`batch 0: ACCEPTED, transactions 0..2` (the range is inclusive)."""
        return f"batch {self.batch_id}: {self.status}, transactions {self.first_tx_id}..{self.last_tx_id}"


class FeederGatewayClient(_Http):
    """The operator's open feeder gateway."""

    def get_config(self) -> ExchangeConfig:
        return ExchangeConfig.from_json(self.request("GET", "/feeder_gateway/get_config"))

    def get_last_batch_id(self) -> int | None:
        try:
            return int(self.request("GET", "/feeder_gateway/get_last_batch_id"))
        except NotFound:
            return None

    def get_batch_info(self, batch_id: int) -> BatchInfo:
        return BatchInfo.from_json(self.request("GET", "/feeder_gateway/get_batch_info", params={"batch_id": batch_id}))

    def get_position(self, position_id: int) -> dict:
        return self.request("GET", "/feeder_gateway/get_position", params={"position_id": position_id})

    def get_position_history(self, position_id: int, limit: int = 50) -> dict:
        return self.request("GET", "/feeder_gateway/get_position_history",
                            params={"position_id": position_id, "limit": limit})

    def get_forced_requests(self) -> dict:
        return self.request("GET", "/feeder_gateway/get_forced_requests")


class GatewayClient(_Http):
    """The operator's gateway, for a configured caller (`Authorization: Bearer <token>`)."""

    def __init__(self, base_url: str, token: str, **kwargs):
        super().__init__(base_url, headers={"Authorization": f"Bearer {token}"}, **kwargs)

    def first_unused_tx_id(self) -> int:
        return int(self.request("GET", "/gateway/testing/get_first_unused_tx_id"))

    def add_transaction(self, tx_id: int, tx: dict) -> dict:
        return self.request("POST", "/gateway/add_transaction", json={"tx_id": tx_id, "tx": tx})

    def get_transaction(self, tx_id: int) -> dict:
        return self.request("GET", "/gateway/get_transaction", params={"tx_id": tx_id})

    def mark_for_replacement(self, tx_id: int, reason: str) -> dict:
        return self.request("POST", "/gateway/mark_transaction_for_replacement", json={"tx_id": tx_id, "reason": reason})

    def add_alternative_transactions(self, tx_id: int, alternatives: list[dict]) -> dict:
        return self.request("POST", "/gateway/add_alternative_transactions",
                            json={"tx_id": tx_id, "alternative_txs": alternatives})


def reached(status: str, wanted: str) -> bool:
    """Whether a transaction's status is at or past `wanted` in the pipeline."""
    if status not in STATUS_ORDER or wanted not in STATUS_ORDER:
        return status == wanted
    return STATUS_ORDER.index(status) >= STATUS_ORDER.index(wanted)


class ApplicationClient(_Http):
    """The reference application's API: what a user's wallet talks to."""

    def submit_order(self, order: dict, market: str | None = None) -> dict:
        """A signed limit order (StarkEx's order JSON); the answer is the order's state after
        matching: status OPEN, FILLED or REJECTED (with code and message), its fills and the
        tx_id of each TRADE."""
        return self.request("POST", "/orders", json=order)

    def get_order(self, order_id: str) -> dict:
        return self.request("GET", f"/orders/{order_id}")

    def get_book(self, synthetic_asset_id: int) -> dict:
        return self.request("GET", f"/markets/{synthetic_asset_id:#x}/book")

    def submit_transaction(self, tx: dict) -> int:
        """A signed TRANSFER, CONDITIONAL_TRANSFER or WITHDRAWAL; returns its tx_id."""
        return int(self.request("POST", "/transactions", json=tx)["tx_id"])

    def get_transaction(self, tx_id: int) -> dict:
        return self.request("GET", f"/transactions/{tx_id}")

    def wait_for_status(self, tx_id: int, wanted: str = "ACCEPTED", timeout: float = 300.0, poll: float = 0.5,
                        on_status: Callable[[str], None] | None = None) -> dict:
        """Polls until the transaction reaches `wanted` (or beyond); Timeout otherwise, and
        RequestRefused if the operator marked it for replacement (it will not land as sent)."""
        deadline = time.monotonic() + timeout
        last = None
        while True:
            answer = self.get_transaction(tx_id)
            status = answer["status"]
            if status != last and on_status is not None:
                on_status(status)
            last = status
            if reached(status, wanted) and status not in ("REPLACEMENT_REQUESTED", "REPLACED"):
                return answer
            if status in ("REPLACEMENT_REQUESTED", "REPLACED") and wanted not in ("REPLACEMENT_REQUESTED", "REPLACED"):
                raise RequestRefused(status, answer.get("replacement_reason") or f"tx {tx_id} was {status.lower()}",
                                     None)
            if time.monotonic() > deadline:
                raise Timeout("TIMEOUT", f"tx {tx_id} is {status} after {timeout:.0f}s, waiting for {wanted}")
            time.sleep(poll)
