"""Who may send what through the gateway.

StarkEx's gateway is the application's private door: the application authenticates, users talk
to the application, and what only the operator may do the operator does itself. Here each caller
is a configured client with a bearer token and a role:

- `application` — the exchange: user-signed transactions and the exchange's own (Perpetual:
  TRANSFER, CONDITIONAL_TRANSFER, WITHDRAWAL, WITHDRAWAL_TO_ADDRESS, TRADE, and LIQUIDATE and
  DELEVERAGE; Spot: SETTLEMENT, TRANSFER, CONDITIONAL_TRANSFER, and WITHDRAWAL, which the program
  does not ask a user's signature for); it marks transactions for replacement and gives their
  alternatives.
- `price_source` — the configured price and funding source (Perpetual: FUNDING_TICK, ORACLE_PRICES_TICK).
- `user_door` — a user-facing door, if one is kept: user-signed transactions only.

Which types each role sends is the application's (offchain/core/application.py). What the
application makes from L1 events (DEPOSIT and the forced requests) only the operator's own L1
watcher makes; no caller may send them. No token, or an unknown one: 401; a type the caller's
role may not send: 403.
"""
from __future__ import annotations

import enum
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path


class Role(str, enum.Enum):
    APPLICATION = "application"
    PRICE_SOURCE = "price_source"
    USER_DOOR = "user_door"


def sendable(application) -> dict[Role, frozenset[str]]:
    """The transaction types each role may send to this application's gateway."""
    return {Role.APPLICATION: application.user_signed_types | application.exchange_types,
            Role.PRICE_SOURCE: application.price_types,
            Role.USER_DOOR: application.user_signed_types}


class AccessDenied(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class GatewayClient:
    name: str
    role: Role
    token: str

    def header(self) -> dict[str, str]:
        """The HTTP header this client authenticates with."""
        return {"Authorization": f"Bearer {self.token}"}

    def may_send(self, tx_type: str, application) -> bool:
        return tx_type in sendable(application)[self.role]


class GatewayAccess:
    """The configured clients; the gateway asks it who is calling and whether they may."""

    def __init__(self, clients: list[GatewayClient]):
        if not clients:
            raise ValueError("the gateway needs at least one client")
        self.clients = list(clients)

    def client(self, role: Role) -> GatewayClient:
        """The first client with this role (the demo's and the tests' caller)."""
        return next(c for c in self.clients if c.role is role)

    def authenticate(self, authorization: str | None) -> GatewayClient:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise AccessDenied(401, "UNAUTHENTICATED", "send `Authorization: Bearer <token>` with a configured client's token")
        for client in self.clients:
            # Constant time: the comparison must not tell how much of a guess was right.
            if hmac.compare_digest(client.token.encode(), token.strip().encode()):
                return client
        raise AccessDenied(401, "UNAUTHENTICATED", "unknown token")

    def authorize(self, client: GatewayClient, tx_type: object, application) -> None:
        """Refuses (403) a type of the application this client may not send; an unknown type is
        the schema's to refuse (400)."""
        roles = sendable(application)
        known = application.l1_made_types.union(*roles.values())
        if not isinstance(tx_type, str) or tx_type not in known or client.may_send(tx_type, application):
            return
        if tx_type in application.l1_made_types:
            why = f"{tx_type} is made only by the operator's L1 watcher, from an L1 event"
        else:
            allowed = [role.value for role, types in roles.items() if tx_type in types]
            why = f"{tx_type} may be sent only by a client with role {' or '.join(allowed)}"
        raise AccessDenied(403, "FORBIDDEN_TRANSACTION_TYPE", f"{why}; {client.name} is {client.role.value}")

    def require(self, client: GatewayClient, role: Role, action: str) -> None:
        if client.role is not role:
            raise AccessDenied(403, "FORBIDDEN", f"{action} is for the {role.value}; {client.name} is {client.role.value}")

    # --- configuration --------------------------------------------------------------------

    def to_json(self) -> dict:
        return {"clients": [{"name": c.name, "role": c.role.value, "token": c.token} for c in self.clients]}

    @classmethod
    def from_json(cls, data: dict) -> "GatewayAccess":
        return cls([GatewayClient(str(c["name"]), Role(c["role"]), str(c["token"])) for c in data["clients"]])

    @classmethod
    def load(cls, path: Path) -> "GatewayAccess":
        """A clients file: {"clients": [{"name", "role", "token"}, ...]}."""
        return cls.from_json(json.loads(Path(path).read_text()))

    @classmethod
    def generate(cls) -> "GatewayAccess":
        """One client per role with a fresh random token (a local operator's default)."""
        return cls([GatewayClient(role.value, role, secrets.token_urlsafe(32)) for role in Role])

    def save(self, path: Path) -> None:
        """Written readable by its owner only: the tokens are the gateway's credentials."""
        path = Path(path)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump(self.to_json(), out, indent=1)
