"""Transaction dataclasses with the JSON of docs/batch-input.md (execution: execute.py)."""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import ClassVar

from offchain.crypto.constants import from_field, to_field
from offchain.crypto.signature import Signature


def _int_fields_from_json(cls, d: dict, **special):
    kwargs = {}
    for f in fields(cls):
        if not f.init:
            continue
        if f.name in special:
            kwargs[f.name] = special[f.name](d[f.name])
        elif f.type in (bool, "bool"):
            # 0/1 only: the program asserts a boolean field is 0 or 1, so 2 is no "true".
            if d[f.name] not in (0, 1):
                raise ValueError(f"{f.name} must be 0 or 1, got {d[f.name]!r}")
            kwargs[f.name] = bool(d[f.name])
        else:
            kwargs[f.name] = to_field(int(d[f.name]))
    return cls(**kwargs)


def _to_json(obj) -> dict:
    out = {}
    for f in fields(obj):
        v = getattr(obj, f.name)
        if isinstance(v, Signature):
            v = v.to_json()
        elif isinstance(v, Order):
            v = v.to_json()
        elif isinstance(v, bool):
            v = int(v)  # 0/1: every number in the batch input is a JSON integer
        out[f.name] = v
    return out


@dataclass(frozen=True)
class Order:
    position_id: int
    public_key: int
    asset_id_synthetic: int
    asset_id_collateral: int
    amount_synthetic: int
    amount_collateral: int
    amount_fee: int
    is_buying_synthetic: bool
    nonce: int
    expiration_timestamp: int
    signature: Signature

    def to_json(self) -> dict:
        return _to_json(self)

    @classmethod
    def from_json(cls, d: dict) -> "Order":
        return _int_fields_from_json(cls, d, signature=Signature.from_json)


class Transaction:
    TYPE: ClassVar[str]

    def to_json(self) -> dict:
        return {"type": self.TYPE, **_to_json(self)}


@dataclass(frozen=True)
class Deposit(Transaction):
    TYPE: ClassVar[str] = "DEPOSIT"
    position_id: int
    public_key: int
    amount: int

    @classmethod
    def from_json(cls, d):
        return _int_fields_from_json(cls, d)


@dataclass(frozen=True)
class Withdrawal(Transaction):
    TYPE: ClassVar[str] = "WITHDRAWAL"
    position_id: int
    public_key: int
    amount: int
    nonce: int
    expiration_timestamp: int
    signature: Signature

    @classmethod
    def from_json(cls, d):
        return _int_fields_from_json(cls, d, signature=Signature.from_json)


@dataclass(frozen=True)
class Transfer(Transaction):
    TYPE: ClassVar[str] = "TRANSFER"
    sender_position_id: int
    sender_public_key: int
    receiver_position_id: int
    receiver_public_key: int
    asset_id: int
    amount: int
    nonce: int
    expiration_timestamp: int
    signature: Signature

    @classmethod
    def from_json(cls, d):
        return _int_fields_from_json(cls, d, signature=Signature.from_json)


@dataclass(frozen=True)
class ConditionalTransfer(Transaction):
    TYPE: ClassVar[str] = "CONDITIONAL_TRANSFER"
    sender_position_id: int
    sender_public_key: int
    receiver_position_id: int
    receiver_public_key: int
    asset_id: int
    amount: int
    nonce: int
    expiration_timestamp: int
    signature: Signature
    fact_registry_address: int  # 20-byte address as an integer
    fact: int                   # 32-byte fact as an integer

    @classmethod
    def from_json(cls, d):
        # The registry and fact are bytes (hashed by keccak into the condition), not field
        # elements: read as they are.
        return _int_fields_from_json(cls, d, signature=Signature.from_json,
                                     fact_registry_address=int, fact=int)


@dataclass(frozen=True)
class Trade(Transaction):
    TYPE: ClassVar[str] = "TRADE"
    party_a_order: Order
    party_b_order: Order
    actual_collateral: int
    actual_synthetic: int
    actual_a_fee: int
    actual_b_fee: int

    @classmethod
    def from_json(cls, d):
        return _int_fields_from_json(cls, d, party_a_order=Order.from_json,
                                     party_b_order=Order.from_json)


@dataclass(frozen=True)
class FundingTick(Transaction):
    TYPE: ClassVar[str] = "FUNDING_TICK"
    indices: dict[int, int]
    timestamp: int

    def to_json(self) -> dict:
        return {"type": self.TYPE, "global_funding_indices": {
            "indices": {str(k): v for k, v in sorted(self.indices.items())},
            "timestamp": self.timestamp}}

    @classmethod
    def from_json(cls, d):
        g = d["global_funding_indices"]
        return cls(indices={to_field(int(k)): from_field(int(v)) for k, v in g["indices"].items()},
                   timestamp=to_field(int(g["timestamp"])))


@dataclass(frozen=True)
class SignedOraclePrice:
    signer_key: int
    external_price: int
    timestamp: int
    signed_asset_id: int
    signature: Signature

    def to_json(self) -> dict:
        return _to_json(self)

    @classmethod
    def from_json(cls, d):
        return _int_fields_from_json(cls, d, signature=Signature.from_json)


@dataclass(frozen=True)
class OraclePricesTick(Transaction):
    TYPE: ClassVar[str] = "ORACLE_PRICES_TICK"
    signed_prices: dict[int, tuple[SignedOraclePrice, ...]]  # asset id -> signatures
    timestamp: int

    def to_json(self) -> dict:
        return {"type": self.TYPE, "timestamp": self.timestamp, "oracle_prices": {
            str(k): {"signed_prices": [p.to_json() for p in v]}
            for k, v in sorted(self.signed_prices.items())}}

    @classmethod
    def from_json(cls, d):
        return cls(
            signed_prices={to_field(int(k)): tuple(SignedOraclePrice.from_json(p)
                                         for p in v["signed_prices"])
                           for k, v in d["oracle_prices"].items()},
            timestamp=to_field(int(d["timestamp"])))


@dataclass(frozen=True)
class ForcedWithdrawal(Transaction):
    TYPE: ClassVar[str] = "FORCED_WITHDRAWAL"
    position_id: int
    public_key: int
    amount: int
    is_valid: bool

    @classmethod
    def from_json(cls, d):
        return _int_fields_from_json(cls, d)


@dataclass(frozen=True)
class ForcedTrade(Transaction):
    TYPE: ClassVar[str] = "FORCED_TRADE"
    public_key_party_a: int
    public_key_party_b: int
    position_id_party_a: int
    position_id_party_b: int
    synthetic_asset_id: int
    amount_collateral: int
    amount_synthetic: int
    is_party_a_buying_synthetic: bool
    nonce: int
    is_valid: bool

    @classmethod
    def from_json(cls, d):
        return _int_fields_from_json(cls, d)


@dataclass(frozen=True)
class Liquidate(Transaction):
    TYPE: ClassVar[str] = "LIQUIDATE"
    liquidator_order: Order
    liquidated_position_id: int
    actual_collateral: int
    actual_synthetic: int
    actual_liquidator_fee: int

    @classmethod
    def from_json(cls, d):
        return _int_fields_from_json(cls, d, liquidator_order=Order.from_json)


@dataclass(frozen=True)
class Deleverage(Transaction):
    TYPE: ClassVar[str] = "DELEVERAGE"
    deleveraged_position_id: int
    deleverager_position_id: int
    synthetic_asset_id: int
    amount_collateral: int
    amount_synthetic: int
    deleverager_is_buying_synthetic: bool

    @classmethod
    def from_json(cls, d):
        return _int_fields_from_json(cls, d)


TRANSACTION_TYPES: dict[str, type] = {
    cls.TYPE: cls for cls in (
        Deposit, Withdrawal, Transfer, Trade, ConditionalTransfer, FundingTick,
        OraclePricesTick, ForcedWithdrawal, ForcedTrade, Liquidate, Deleverage)
}


def transaction_from_json(d: dict) -> Transaction:
    cls = TRANSACTION_TYPES.get(d.get("type"))
    if cls is None:
        raise ValueError(f"unknown transaction type {d.get('type')!r}")
    return cls.from_json(d)
