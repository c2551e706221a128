"""What a user signs, in StarkEx's JSON forms: transfers, conditional transfers, withdrawals (to
the key's registered address or to any Ethereum address) and limit orders, built by offchain.perpetual.signing over the one definition of each message hash
(offchain.crypto.messages, docs/message-hashes.md).

StarkEx's API writes keys, asset ids and signatures as 0x hex strings, amounts and position ids
as decimal strings, nonces and expiration hours as JSON integers (docs.starkware.co, Perpetual
gateway examples); `to_starkex_json` writes that form, which the gateway's schemas and the
application take as they come (offchain/perpetual/schemas.py accepts exactly these forms).
"""
from __future__ import annotations

import hashlib
import math
import secrets
import time
from dataclasses import dataclass
from typing import Any

from offchain.client.keys import StarkKeyPair
from offchain.perpetual import signing
from offchain.perpetual.transactions import (
    ConditionalTransfer, Order, Transaction, Transfer, Withdrawal, WithdrawalToAddress)

NONCE_BOUND = 2**32
SECONDS_PER_HOUR = 3600
# A signed request lives this long unless told otherwise: room for the gateway's two-hour
# admission margin (offchain/perpetual/expiration.py) and then a week in an order book.
DEFAULT_LIFETIME_HOURS = 24 * 7

# Field names written as 0x hex strings; nonces and hours stay JSON integers; flags stay
# booleans; every other number is a decimal string.
HEX_FIELDS = frozenset({
    "public_key", "sender_public_key", "receiver_public_key", "asset_id", "asset_id_synthetic",
    "asset_id_collateral", "r", "s", "fact_registry_address", "fact", "eth_address",
})
INTEGER_FIELDS = frozenset({"nonce", "expiration_timestamp"})


def _starkex_value(name: str, value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _starkex_value(k, v) for k, v in value.items()}
    if isinstance(value, bool) or name in INTEGER_FIELDS or not isinstance(value, int):
        return value
    return hex(value) if name in HEX_FIELDS else str(value)


def to_starkex_json(request: Transaction | Order) -> dict:
    """The request in StarkEx's JSON form (an order has no `type`)."""
    body = request.to_json()
    if isinstance(request, Order):
        body["is_buying_synthetic"] = bool(request.is_buying_synthetic)
    return {k: _starkex_value(k, v) for k, v in body.items()}


def random_nonce() -> int:
    return secrets.randbelow(NONCE_BOUND)


def nonce_from_client_id(client_id: str) -> int:
    """dYdX's rule: sha256(client_id) mod 2^32, so a client's own ids name its requests."""
    return int.from_bytes(hashlib.sha256(client_id.encode()).digest(), "big") % NONCE_BOUND


def expiration_hours(lifetime_hours: int = DEFAULT_LIFETIME_HOURS, now: float | None = None) -> int:
    """Hours since the epoch at which a request signed now stops being valid."""
    return math.ceil((time.time() if now is None else now) / SECONDS_PER_HOUR) + lifetime_hours


@dataclass(frozen=True)
class Position:
    """A user's position on the exchange: the key that owns it and its id."""
    keys: StarkKeyPair
    position_id: int

    @property
    def public_key(self) -> int:
        return self.keys.public_key


@dataclass(frozen=True)
class RequestSigner:
    """Signs a position's requests for one exchange (its collateral asset id from get_config).
    nonce defaults to a random one, expiration to DEFAULT_LIFETIME_HOURS from now."""
    position: Position
    collateral_asset_id: int

    def _defaults(self, nonce: int | None, expiration: int | None) -> dict:
        return {"nonce": random_nonce() if nonce is None else nonce,
                "expiration_timestamp": expiration_hours() if expiration is None else expiration}

    def transfer(self, *, receiver_public_key: int, receiver_position_id: int, amount: int,
                 nonce: int | None = None, expiration: int | None = None) -> Transfer:
        """amount in quantized collateral."""
        return signing.transfer(self.position.keys.private_key, asset_id=self.collateral_asset_id,
                                sender_position_id=self.position.position_id, receiver_position_id=receiver_position_id,
                                receiver_public_key=receiver_public_key, amount=amount, **self._defaults(nonce, expiration))

    def conditional_transfer(self, *, receiver_public_key: int, receiver_position_id: int, amount: int,
                             fact_registry_address: int, fact: int, src_fee_position_id: int | None = None,
                             nonce: int | None = None, expiration: int | None = None) -> ConditionalTransfer:
        """Valid only once `fact` is registered in the registry at fact_registry_address;
        src_fee_position_id (signed, charged nothing) defaults to this position."""
        return signing.transfer(self.position.keys.private_key, asset_id=self.collateral_asset_id,
                                sender_position_id=self.position.position_id, receiver_position_id=receiver_position_id,
                                receiver_public_key=receiver_public_key, amount=amount,
                                condition_of=(fact_registry_address, fact), src_fee_position_id=src_fee_position_id,
                                **self._defaults(nonce, expiration))

    def withdrawal(self, *, amount: int, nonce: int | None = None, expiration: int | None = None) -> Withdrawal:
        """amount in quantized collateral; once its batch is accepted, L1's withdraw pays it."""
        return signing.withdrawal(self.position.keys.private_key, collateral_asset_id=self.collateral_asset_id,
                                  position_id=self.position.position_id, amount=amount, **self._defaults(nonce, expiration))

    def withdrawal_to_address(self, *, amount: int, eth_address: str | int, nonce: int | None = None,
                              expiration: int | None = None) -> WithdrawalToAddress:
        """amount in quantized collateral; once its batch is accepted, L1's withdraw(eth_address,
        asset) pays eth_address, which needs no registration (nor does this Stark key)."""
        address = int(eth_address, 16) if isinstance(eth_address, str) else eth_address
        return signing.withdrawal_to_address(self.position.keys.private_key, collateral_asset_id=self.collateral_asset_id,
                                             position_id=self.position.position_id, eth_address=address, amount=amount,
                                             **self._defaults(nonce, expiration))

    def limit_order(self, *, synthetic_asset_id: int, is_buying_synthetic: bool, amount_synthetic: int,
                    amount_collateral: int, amount_fee: int, nonce: int | None = None,
                    expiration: int | None = None) -> Order:
        """Buy (or sell) amount_synthetic for at most (at least) amount_collateral, paying at most
        amount_fee collateral in fees for the whole amount; all quantized."""
        return signing.limit_order(self.position.keys.private_key, position_id=self.position.position_id,
                                   asset_id_synthetic=synthetic_asset_id, asset_id_collateral=self.collateral_asset_id,
                                   is_buying_synthetic=is_buying_synthetic, amount_synthetic=amount_synthetic,
                                   amount_collateral=amount_collateral, amount_fee=amount_fee,
                                   **self._defaults(nonce, expiration))
