"""A running exchange for the user's side: contracts on the test's local node, the operator's
gateway over HTTP, the local market opened by its price source, and the reference application
over HTTP in front of it. Batches are driven by the test (`settle`), so that it can look at
every step."""
from __future__ import annotations

import socket
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from offchain.application.price_source import LOCAL_MARKET, LocalPriceSource
from offchain.application.server import serve as serve_application
from offchain.application.service import Application
from offchain.application.store import ApplicationStore
from offchain.core.batching.pipeline import BatchPolicy
from offchain.client.api import ApplicationClient, FeederGatewayClient, GatewayClient
from offchain.client.keys import StarkKeyPair
from offchain.client.l1 import ExchangeL1
from offchain.client.requests import Position, RequestSigner
from offchain.crypto.signature import private_to_public_key
from offchain.core.gateway.access import Role
from offchain.perpetual.local import LocalStack
from dev_registry import dev_registry

ROOT = Path(__file__).resolve().parents[2]
FEE_KEY = 0xFEE


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class User:
    keys: StarkKeyPair
    position_id: int
    account: object
    signer: RequestSigner = field(init=False)
    collateral_asset_id: int = 0

    def __post_init__(self):
        self.signer = RequestSigner(Position(self.keys, self.position_id), self.collateral_asset_id)


@dataclass
class LocalExchange:
    stack: LocalStack
    operator: object
    gateway_url: str
    application: Application
    application_url: str
    accounts: object
    servers: list = field(default_factory=list)

    @property
    def l1(self) -> ExchangeL1:
        return self.operator.l1

    @property
    def config(self):
        return self.operator.exchange_config

    def feeder(self) -> FeederGatewayClient:
        return FeederGatewayClient(self.gateway_url)

    def client(self) -> ApplicationClient:
        return ApplicationClient(self.application_url)

    def gateway(self, role: Role = Role.APPLICATION) -> GatewayClient:
        return GatewayClient(self.gateway_url, self.operator.access.client(role).token)

    def user(self, private_key: int, position_id: int, account_index: int, deposit: int = 0) -> User:
        user = User(StarkKeyPair.from_private_key(private_key), position_id, self.accounts[account_index],
                    collateral_asset_id=self.config.collateral_asset_id)
        if deposit:
            self.l1.register(user.account, user.keys)
            self.l1.deposit(user.account, user.keys.public_key, self.config.collateral_asset_id, position_id, deposit)
            self.operator.watcher.poll()
        return user

    def collateral(self, position_id: int) -> int:
        with self.feeder() as feeder:
            return int(feeder.get_position(position_id)["collateral_balance"])

    def settle(self) -> list:
        """Every acknowledged transaction into batches accepted on L1."""
        return self.operator.drain()


@pytest.fixture
def exchange(project, accounts, chain, tmp_path):
    stack = LocalStack.deploy(project, accounts[0], accounts[1], chain, tmp_path,
                              fee_public_key=private_to_public_key(FEE_KEY), synthetics=[LOCAL_MARKET],
                              batch_policy=BatchPolicy(max_size=100, max_age_seconds=0.5), run_cairo=False, **dev_registry(project, accounts[0]))
    operator = stack.operator()
    gateway_port = free_port()
    operator.serve_gateway(port=gateway_port)
    gateway_url = f"http://127.0.0.1:{gateway_port}"
    LocalPriceSource(GatewayClient(gateway_url, operator.access.client(Role.PRICE_SOURCE).token), LOCAL_MARKET,
                     operator.exchange_config.collateral_resolution, operator.clock).tick()
    application = Application(GatewayClient(gateway_url, operator.access.client(Role.APPLICATION).token),
                              FeederGatewayClient(gateway_url), ApplicationStore(tmp_path / "application.sqlite"))
    application_port = free_port()
    server = serve_application(application, "127.0.0.1", application_port)
    local = LocalExchange(stack, operator, gateway_url, application, f"http://127.0.0.1:{application_port}", accounts,
                          [server])
    yield local
    server.should_exit = True
    operator.stop_gateway()
