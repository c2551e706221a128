"""The reference application's HTTP API and its process (`starkex-application`).

- `POST /orders`: a signed limit order (StarkEx's order JSON); answers its state after matching.
- `GET /orders/{order_id}`: an order's state: OPEN, FILLED, REJECTED or EXPIRED, what remains,
  its fills with the tx_id of each TRADE, and why it left the book.
- `GET /markets`, `GET /markets/{synthetic_asset_id}/book`: the markets and their books.
- `POST /transactions`: a signed TRANSFER, CONDITIONAL_TRANSFER, WITHDRAWAL or WITHDRAWAL_TO_ADDRESS; answers its tx_id.
- `GET /transactions/{tx_id}`: its status in the operator's pipeline.
- `GET /config`: the exchange's configuration (the feeder gateway's get_config).

Refusals are {code, message} with a 4xx status: the application's own (ORDER_NOT_FOUND,
SELF_TRADE, TOO_MANY_OPEN_ORDERS, ...) or the gateway's, passed on as they came.
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from fastapi import Body, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException

from offchain import __version__
from offchain.application.service import Application, ApplicationRefusal
from offchain.application.store import ApplicationStore
from offchain.client.api import FeederGatewayClient, GatewayClient, ServiceError
from offchain.core.gateway.access import GatewayAccess, Role
from offchain.core.gateway.app import BodyLimit

DEFAULT_PORT = 9415
START_SECONDS = 60


class ApplicationFailed(RuntimeError):
    pass


def _refusal(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"code": code, "message": message})


def create_application_app(application: Application):
    app = FastAPIOffline(title="starkex-rollup reference application", version=__version__, redoc_url=None,
                         description="Users' door: signed limit orders are matched into TRADEs; signed transfers and "
                                     "withdrawals are forwarded to the operator's gateway.")
    app.add_middleware(BodyLimit)

    @app.exception_handler(ApplicationRefusal)
    async def refused(_request: Request, error: ApplicationRefusal):
        return _refusal(error.status, error.code, error.message)

    @app.exception_handler(ServiceError)
    async def gateway_refused(_request: Request, error: ServiceError):
        # The gateway's refusal (or its absence), passed on: the user sees the rule and the numbers.
        status = error.status if error.status is not None and error.status < 500 else 503
        if status in (401, 403):  # the application's own credentials: not the user's business
            return _refusal(503, "GATEWAY_REFUSED_APPLICATION", error.message)
        return _refusal(status, error.code, error.message)

    @app.exception_handler(RequestValidationError)
    async def malformed(_request: Request, error: RequestValidationError):
        return _refusal(400, "MALFORMED_REQUEST", "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()[:5]))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException):
        return _refusal(error.status_code, "MALFORMED_REQUEST" if error.status_code == 400 else f"HTTP_{error.status_code}",
                        str(error.detail))

    @app.post("/orders")
    def submit_order(order: dict = Body(description="a signed limit order: position_id, public_key, asset_id_synthetic, "
                                                    "asset_id_collateral, amount_synthetic, amount_collateral, amount_fee, "
                                                    "is_buying_synthetic, nonce, expiration_timestamp, signature {r, s}")):
        return application.submit_order(order)

    @app.get("/orders/{order_id}")
    def get_order(order_id: str):
        return application.order_state(order_id.lower())

    @app.get("/markets")
    def markets():
        return {"markets": [{"name": a.name, "synthetic_asset_id": hex(a.asset_id), "resolution": a.resolution}
                            for a in application.config.synthetic_assets]}

    @app.get("/markets/{synthetic_asset_id}/book")
    def book(synthetic_asset_id: str):
        try:
            asset_id = int(synthetic_asset_id, 0)
        except ValueError:
            return _refusal(400, "MALFORMED_REQUEST", f"{synthetic_asset_id[:80]!r} is not an asset id")
        return application.book(asset_id)

    @app.post("/transactions")
    def submit_transaction(tx: dict = Body(description="a signed TRANSFER, CONDITIONAL_TRANSFER, WITHDRAWAL or WITHDRAWAL_TO_ADDRESS")):
        return {"code": "TRANSACTION_RECEIVED", "tx_id": application.submit_transaction(tx)}

    @app.get("/transactions/{tx_id}")
    def transaction(tx_id: int):
        return application.transaction_status(tx_id)

    @app.get("/config")
    def config():
        return application.config.to_json()

    @app.get("/is_alive")
    def is_alive() -> str:
        return "Application is alive!"

    return app


def serve(application: Application, host: str, port: int, stop: threading.Event | None = None) -> uvicorn.Server:
    """Serves in a thread; returns the server (set should_exit to stop it)."""
    server = uvicorn.Server(uvicorn.Config(create_application_app(application), host=host, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="application", daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError(f"the application could not serve on {host}:{port}")
        threading.Event().wait(0.05)
    return server


def application_token(clients_file: Path, name: str | None = None) -> str:
    """The token of the gateway client with role application (by name, if given)."""
    access = GatewayAccess.load(clients_file)
    for client in access.clients:
        if client.role is Role.APPLICATION and (name is None or client.name == name):
            return client.token
    raise SystemExit(f"starkex-application: {clients_file} has no client with role application"
                     + (f" named {name}" if name else ""))


def start_process(gateway_url: str, clients_file: Path, workdir: Path, port: int) -> subprocess.Popen:
    """The application as a process of its own (store and log in workdir), ending with its parent;
    returns once it answers, or ApplicationFailed with where to look."""
    log_path = workdir / "application.log"
    with log_path.open("a") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "offchain.application.server", "--gateway", gateway_url, "--gateway-clients",
             str(clients_file), "--database", str(workdir / "application.sqlite"), "--port", str(port), "--exit-with-parent"],
            stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ApplicationFailed(f"the application stopped at start: see {log_path}")
        try:
            if httpx.get(f"{url}/is_alive", timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise ApplicationFailed(f"the application did not answer on {url} within {START_SECONDS} s: see {log_path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="starkex-application", description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", default="http://127.0.0.1:9414", help="the operator's URL")
    parser.add_argument("--gateway-clients", type=Path, required=True,
                        help="the operator's gateway clients file (the application's token is read from it)")
    parser.add_argument("--client-name", default=None, help="which application client of the file, if several")
    parser.add_argument("--database", type=Path, required=True, help="the application's SQLite file (orders, outbox)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="the application's port on 127.0.0.1")
    parser.add_argument("--exit-with-parent", action="store_true",
                        help="stop when the process that started this one ends (ape run operator starts it so)")
    args = parser.parse_args(argv)
    from offchain.core.logs import configure

    configure("INFO", fmt="text")
    gateway = GatewayClient(args.gateway, application_token(args.gateway_clients, args.client_name))
    try:
        application = Application(gateway, FeederGatewayClient(args.gateway), ApplicationStore(args.database))
    except ServiceError as error:
        print(f"starkex-application: the operator at {args.gateway}: {error}", file=sys.stderr)
        return 2
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    if args.exit_with_parent:
        parent = os.getppid()

        def watch_parent() -> None:
            while not stop.wait(0.5):
                if os.getppid() != parent:  # the parent died, even by SIGKILL: this one ends too
                    stop.set()

        threading.Thread(target=watch_parent, name="parent-watch", daemon=True).start()
    try:
        server = serve(application, "127.0.0.1", args.port)
    except (RuntimeError, OSError) as error:
        print(f"starkex-application: {error}", file=sys.stderr)
        return 2
    print(f"application http://127.0.0.1:{args.port} in front of {args.gateway}", flush=True)
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    server.should_exit = True
    return 0


if __name__ == "__main__":
    sys.exit(main())
