"""The Perpetual state: positions and orders trees plus the shared (global) state."""
from __future__ import annotations

from dataclasses import dataclass, field

from offchain.crypto.constants import from_field, to_field
from offchain.perpetual.config import GeneralConfig
from offchain.perpetual.errors import check_bound
from offchain.perpetual.constants import (
    ASSET_ID_UPPER_BOUND, FUNDING_INDEX_LOWER_BOUND, FUNDING_INDEX_UPPER_BOUND, PRICE_UPPER_BOUND,
    TIMESTAMP_UPPER_BOUND)
from offchain.perpetual.merkle import SparseMerkleTree
from offchain.perpetual.position import EMPTY_POSITION, EMPTY_POSITION_HASH, Position


@dataclass(frozen=True)
class SharedState:
    """What the program output states about the state (docs/program-output.md, *Shared state*)."""
    positions_root: int
    positions_height: int
    orders_root: int
    orders_height: int
    funding_indices: dict[int, int]
    funding_timestamp: int
    oracle_prices: dict[int, int]
    system_time: int

    def to_output_words(self) -> list[int]:
        """The shared-state words, without the leading size."""
        words = [self.positions_root, self.positions_height, self.orders_root, self.orders_height,
                 len(self.funding_indices)]
        for asset_id in sorted(self.funding_indices):
            words += [asset_id, to_field(self.funding_indices[asset_id])]
        words += [self.funding_timestamp, len(self.oracle_prices)]
        for asset_id in sorted(self.oracle_prices):
            words += [asset_id, self.oracle_prices[asset_id]]
        words.append(self.system_time)
        return words


@dataclass
class PerpetualState:
    config: GeneralConfig
    positions: dict[int, Position] = field(default_factory=dict)
    orders: dict[int, int] = field(default_factory=dict)  # order id -> filled amount
    funding_indices: dict[int, int] = field(default_factory=dict)
    funding_timestamp: int = 0
    oracle_prices: dict[int, int] = field(default_factory=dict)
    system_time: int = 0

    def __post_init__(self):
        self._positions_tree = SparseMerkleTree(self.config.positions_tree_height,
                                                EMPTY_POSITION_HASH)
        self._orders_tree = SparseMerkleTree(self.config.orders_tree_height, 0)
        self._dirty_positions: set[int] = set(self.positions)
        self._dirty_orders: set[int] = set(self.orders)

    # --- reads and writes used by transactions ---
    def position(self, position_id: int) -> Position:
        return self.positions.get(position_id, EMPTY_POSITION)

    def set_position(self, position_id: int, position: Position) -> None:
        if position.is_empty:
            self.positions.pop(position_id, None)
        else:
            self.positions[position_id] = position
        self._dirty_positions.add(position_id)

    def filled(self, order_id: int) -> int:
        return self.orders.get(order_id, 0)

    def set_filled(self, order_id: int, amount: int) -> None:
        self.orders[order_id] = amount
        self._dirty_orders.add(order_id)

    def check_market_bounds(self) -> None:
        """Raises ValueError unless the funding indices, prices and timestamps are in the ranges
        the program checks when it reads a previous shared state (cairo/perpetual/config.cairo,
        check_market) and every tick keeps."""
        def check(what, value, low, upper):
            check_bound("shared state", what, value, low, upper)
        for asset_id, index in self.funding_indices.items():
            check("funding asset id", asset_id, 0, ASSET_ID_UPPER_BOUND)
            check(f"asset {asset_id} funding index", index, FUNDING_INDEX_LOWER_BOUND,
                  FUNDING_INDEX_UPPER_BOUND)
        for asset_id, price in self.oracle_prices.items():
            check("priced asset id", asset_id, 0, ASSET_ID_UPPER_BOUND)
            check(f"asset {asset_id} price", price, 0, PRICE_UPPER_BOUND)
        check("funding timestamp", self.funding_timestamp, 0, TIMESTAMP_UPPER_BOUND)
        check("system time", self.system_time, 0, TIMESTAMP_UPPER_BOUND)

    # --- trees ---
    def _sync_trees(self) -> None:
        if self._dirty_positions:
            self._positions_tree.update(
                {i: self.position(i).leaf_hash() for i in self._dirty_positions})
            self._dirty_positions = set()
        if self._dirty_orders:
            self._orders_tree.update({i: to_field(self.filled(i)) for i in self._dirty_orders})
            self._dirty_orders = set()

    @property
    def positions_root(self) -> int:
        self._sync_trees()
        return self._positions_tree.root

    @property
    def orders_root(self) -> int:
        self._sync_trees()
        return self._orders_tree.root

    def position_path(self, position_id: int) -> list[int]:
        """Authentication path of a position leaf (for the escape hatch)."""
        self._sync_trees()
        return self._positions_tree.authentication_path(position_id)

    def shared_state(self) -> SharedState:
        return SharedState(
            positions_root=self.positions_root,
            positions_height=self.config.positions_tree_height,
            orders_root=self.orders_root, orders_height=self.config.orders_tree_height,
            funding_indices=dict(self.funding_indices), funding_timestamp=self.funding_timestamp,
            oracle_prices=dict(self.oracle_prices), system_time=self.system_time)

    # --- JSON (the previous_state object of docs/batch-input.md) ---
    def to_json(self) -> dict:
        return {
            "positions": {str(k): v.to_json() for k, v in sorted(self.positions.items())},
            "orders": {str(k): v for k, v in sorted(self.orders.items())},
            "funding_indices": {str(k): v for k, v in sorted(self.funding_indices.items())},
            "funding_timestamp": self.funding_timestamp,
            "oracle_prices": {str(k): v for k, v in sorted(self.oracle_prices.items())},
            "system_time": self.system_time,
        }

    @classmethod
    def from_json(cls, config: GeneralConfig, d: dict) -> "PerpetualState":
        return cls(
            config=config,
            positions={to_field(int(k)): Position.from_json(v)
                       for k, v in d.get("positions", {}).items()
                       if not Position.from_json(v).is_empty},
            orders={to_field(int(k)): to_field(int(v)) for k, v in d.get("orders", {}).items()},
            funding_indices={to_field(int(k)): from_field(int(v))
                             for k, v in d.get("funding_indices", {}).items()},
            funding_timestamp=to_field(int(d.get("funding_timestamp", 0))),
            oracle_prices={to_field(int(k)): to_field(int(v))
                           for k, v in d.get("oracle_prices", {}).items()},
            system_time=to_field(int(d.get("system_time", 0))),
        )

    def copy(self) -> "PerpetualState":
        clone = PerpetualState.__new__(PerpetualState)
        clone.config = self.config
        clone.positions = dict(self.positions)
        clone.orders = dict(self.orders)
        clone.funding_indices = dict(self.funding_indices)
        clone.funding_timestamp = self.funding_timestamp
        clone.oracle_prices = dict(self.oracle_prices)
        clone.system_time = self.system_time
        self._sync_trees()
        clone._positions_tree = _copy_tree(self._positions_tree)
        clone._orders_tree = _copy_tree(self._orders_tree)
        clone._dirty_positions = set()
        clone._dirty_orders = set()
        return clone


def _copy_tree(tree: SparseMerkleTree) -> SparseMerkleTree:
    clone = SparseMerkleTree.__new__(SparseMerkleTree)
    clone.height = tree.height
    clone.defaults = tree.defaults
    clone._levels = [dict(level) for level in tree._levels]
    return clone
