"""The gateway as its configured callers see it: each request carries its client's token."""
from fastapi.testclient import TestClient

from offchain.core.gateway.access import Role, sendable


def gateway_client(operator, role: Role = Role.APPLICATION) -> TestClient:
    """An in-process HTTP client of operator's API, authenticated as the first client with role."""
    return TestClient(operator.app, headers=operator.access.client(role).header())


class Gateway:
    """The application and the price source, each sending the types its role may send."""

    def __init__(self, operator):
        self.clients = {role: gateway_client(operator, role) for role in (Role.APPLICATION, Role.PRICE_SOURCE)}
        self.client = self.clients[Role.APPLICATION]
        self.application = operator.intake.app

    def for_type(self, tx_type: str) -> TestClient:
        return next(c for role, c in self.clients.items() if tx_type in sendable(self.application)[role])

    def post(self, tx: dict):
        """Submits tx under the first unused tx_id; returns (tx_id, response)."""
        client = self.for_type(tx["type"])
        tx_id = client.get("/gateway/testing/get_first_unused_tx_id").json()
        return tx_id, client.post("/gateway/add_transaction", json={"tx_id": tx_id, "tx": tx})
