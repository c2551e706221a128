"""Perpetual's views for clients and the state explorer (the core feeder, offchain/core/gateway/feeder.py,
serves them beside its own).

- `GET /feeder_gateway/get_config`: what a client needs before it can sign anything
  (`ExchangeConfig`: the exchange's address and chain, the collateral asset id, resolution and
  L1 quantum, the synthetic assets, tree heights, the fee position, the data-availability mode).
- `GET /feeder_gateway/get_position?position_id=`: a position's balances after every
  acknowledged transaction (the pending state the gateway validates against).
- `GET /feeder_gateway/get_position_history?position_id=`: the transactions that name the
  position, newest first, with their status.

Amounts and balances are decimal strings and keys and asset ids 0x hex strings, as in StarkEx's
API (a balance reaches 2^63, beyond what a JavaScript number holds exactly).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from fastapi import FastAPI, Query

from offchain.core.gateway.feeder import ID_BOUND, transaction_status
from offchain.core.storage import OperatorStore
from offchain.perpetual.config import ROLLUP, GeneralConfig
from offchain.perpetual.position import Position

HISTORY_SCAN_LIMIT = 10_000  # transactions searched (newest first) for a position's history


@dataclass(frozen=True)
class SyntheticAssetInfo:
    asset_id: int
    resolution: int
    risk_factor: int  # fixed point, 2^32 = 1.0

    @property
    def name(self) -> str:
        return asset_name(self.asset_id)


def asset_name(asset_id: int) -> str:
    """StarkEx names a synthetic asset in its id's bytes ("BTC-10" is 0x4254432d3130 followed
    by zero bytes); the hex id when those bytes are not printable text."""
    raw = asset_id.to_bytes(max(1, (asset_id.bit_length() + 7) // 8), "big").rstrip(b"\0")
    text = raw.decode("ascii", errors="replace")
    return text if raw and text.isprintable() and "\ufffd" not in text else hex(asset_id)


@dataclass(frozen=True)
class ExchangeConfig:
    """The exchange as a client sees it (GET /feeder_gateway/get_config)."""
    exchange_address: str
    chain_id: int
    collateral_asset_id: int        # the L1 asset type of the collateral; what requests sign
    collateral_resolution: int      # quantized collateral per external unit (prices)
    collateral_quantum: int         # base units (wei) of one quantized collateral unit on L1
    synthetic_assets: tuple[SyntheticAssetInfo, ...]
    positions_tree_height: int
    orders_tree_height: int
    fee_position_id: int
    data_availability_mode: str     # "rollup" or "validium"
    l1_node_url: str | None = None  # the local node's URL, so a client reaches the same chain

    @classmethod
    def of(cls, config: GeneralConfig, exchange_address: str, chain_id: int, collateral_quantum: int,
           l1_node_url: str | None = None) -> "ExchangeConfig":
        return cls(exchange_address, chain_id, config.collateral_asset_id, config.collateral_resolution,
                   collateral_quantum,
                   tuple(SyntheticAssetInfo(a.asset_id, a.resolution, a.risk_factor) for a in config.sorted_synthetics),
                   config.positions_tree_height, config.orders_tree_height, config.fee_position_id,
                   "rollup" if config.data_availability_mode == ROLLUP else "validium", l1_node_url)

    def synthetic(self, name_or_id: str | int) -> SyntheticAssetInfo:
        """A synthetic asset by its name ("BTC-10") or id; KeyError with the known ones."""
        wanted = name_or_id
        if isinstance(wanted, str) and wanted.lower().startswith("0x"):
            try:
                wanted = int(wanted, 16)
            except ValueError:
                pass
        for asset in self.synthetic_assets:
            if wanted in (asset.asset_id, asset.name):
                return asset
        known = ", ".join(f"{a.name} ({a.asset_id:#x})" for a in self.synthetic_assets) or "none"
        raise KeyError(f"no synthetic asset {name_or_id!r} on this exchange; it has: {known}")

    def to_json(self) -> dict:
        return {
            "exchange_address": self.exchange_address,
            "chain_id": self.chain_id,
            "collateral": {"asset_id": hex(self.collateral_asset_id), "resolution": self.collateral_resolution,
                           "quantum": str(self.collateral_quantum)},
            "synthetic_assets": [{"name": a.name, "asset_id": hex(a.asset_id), "resolution": a.resolution,
                                  "risk_factor": a.risk_factor} for a in self.synthetic_assets],
            "positions_tree_height": self.positions_tree_height,
            "orders_tree_height": self.orders_tree_height,
            "fee_position_id": self.fee_position_id,
            "data_availability_mode": self.data_availability_mode,
            "l1_node_url": self.l1_node_url,
        }

    @classmethod
    def from_json(cls, data: dict) -> "ExchangeConfig":
        collateral = data["collateral"]
        return cls(data["exchange_address"], int(data["chain_id"]), int(collateral["asset_id"], 16),
                   int(collateral["resolution"]), int(collateral["quantum"]),
                   tuple(SyntheticAssetInfo(int(a["asset_id"], 16), int(a["resolution"]), int(a["risk_factor"]))
                         for a in data["synthetic_assets"]),
                   int(data["positions_tree_height"]), int(data["orders_tree_height"]), int(data["fee_position_id"]),
                   data["data_availability_mode"], data.get("l1_node_url"))

    def describe(self) -> str:
        """The lines the operator prints at start."""
        markets = ", ".join(f"{a.name} (asset id {a.asset_id:#x}, resolution {a.resolution})"
                            for a in self.synthetic_assets) or "none"
        return (f"exchange {self.exchange_address} on chain {self.chain_id} ({self.data_availability_mode})\n"
                f"collateral asset id {self.collateral_asset_id:#x}: resolution {self.collateral_resolution}, "
                f"L1 quantum {self.collateral_quantum} wei\n"
                f"synthetic assets: {markets}\n"
                f"positions tree height {self.positions_tree_height}, orders tree height {self.orders_tree_height}, "
                f"fee position {self.fee_position_id}"
                + (f"\nL1 node {self.l1_node_url}" if self.l1_node_url else ""))


def position_json(position_id: int, position: Position) -> dict:
    return {
        "position_id": position_id,
        "public_key": hex(position.public_key),
        "collateral_balance": str(position.collateral_balance),
        "assets": [{"asset_id": hex(asset_id), "name": asset_name(asset_id), "balance": str(a.balance),
                    "cached_funding_index": str(a.cached_funding_index)}
                   for asset_id, a in sorted(position.assets.items())],
    }


def _position_ids(value: Any, key: str = "") -> set[int]:
    """Every position id a transaction names (its own fields and its orders')."""
    if isinstance(value, dict):
        return set().union(*(_position_ids(v, k) for k, v in value.items())) if value else set()
    # A conditional transfer's src_fee_position_id is only signed: it names no position it changes.
    if "position_id" in key and key != "src_fee_position_id" and isinstance(value, int):
        return {value}
    return set()


def _summary(tx: dict, position_id: int) -> str:
    """One line on what tx does, as the position sees it (amounts quantized)."""
    kind = tx.get("type", "?")
    if kind in ("TRANSFER", "CONDITIONAL_TRANSFER"):
        if tx["sender_position_id"] == position_id:
            return f"sends {tx['amount']} collateral to position {tx['receiver_position_id']}"
        return f"receives {tx['amount']} collateral from position {tx['sender_position_id']}"
    if kind == "WITHDRAWAL_TO_ADDRESS":
        return f"withdrawal of {tx['amount']} collateral to {tx['eth_address']:#042x}"
    if kind in ("DEPOSIT", "WITHDRAWAL", "FORCED_WITHDRAWAL"):
        return f"{kind.lower().replace('_', ' ')} of {tx['amount']} collateral"
    if kind == "TRADE":
        for order, fee in ((tx["party_a_order"], tx["actual_a_fee"]), (tx["party_b_order"], tx["actual_b_fee"])):
            if order["position_id"] == position_id:
                side = "buys" if order["is_buying_synthetic"] else "sells"
                return (f"{side} {tx['actual_synthetic']} {asset_name(order['asset_id_synthetic'])} for "
                        f"{tx['actual_collateral']} collateral, fee {fee}")
        return f"collects trade fees {tx['actual_a_fee']} + {tx['actual_b_fee']}"
    return kind.lower().replace("_", " ")


def position_history(store: OperatorStore, position_id: int, limit: int, scan: int = HISTORY_SCAN_LIMIT) -> dict:
    """The newest `limit` transactions naming position_id among the newest `scan` stored."""
    last = store.first_unused_tx_id() - 1
    first_scanned = max(0, last - scan + 1)
    entries: list[dict] = []
    end = last
    while end >= first_scanned and len(entries) < limit:
        start = max(first_scanned, end - 999)
        for stored in reversed(store.transactions_in(start, end)):
            for tx in stored.effective if not stored.awaiting_replacement else [stored.tx]:
                if position_id in _position_ids(tx):
                    entries.append({"tx_id": stored.tx_id, "type": tx["type"], "status": transaction_status(store, stored),
                                    "batch_id": stored.batch_id, "summary": _summary(tx, position_id)})
                    break
            if len(entries) >= limit:
                break
        end = start - 1
    return {"position_id": position_id, "transactions": entries, "searched_from_tx_id": first_scanned}


def add_position_routes(app: FastAPI, pending_state: Callable[[], Any], store: OperatorStore) -> None:
    """Perpetual's views of its state: a position, and the transactions that name it."""

    @app.get("/feeder_gateway/get_position")
    def get_position(position_id: int = Query(ge=0, lt=ID_BOUND)):
        """The position after every acknowledged transaction (empty: public key 0x0, no balance)."""
        return {**position_json(position_id, pending_state().position(position_id)), "state": "acknowledged"}

    @app.get("/feeder_gateway/get_position_history")
    def get_position_history(position_id: int = Query(ge=0, lt=ID_BOUND), limit: int = Query(50, ge=1, le=500)):
        return position_history(store, position_id, limit)
