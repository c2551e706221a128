"""A Perpetual position and its leaf hash (docs/program-output.md, *Hashes and bounds*)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping

from offchain.crypto.constants import from_field, to_field
from offchain.crypto.pedersen import pedersen
from offchain.perpetual.constants import (
    ASSET_ID_UPPER_BOUND, BALANCE_BIAS, BALANCE_LOWER_BOUND, BALANCE_UPPER_BOUND,
    FUNDING_INDEX_LOWER_BOUND, FUNDING_INDEX_UPPER_BOUND, N_ASSETS_UPPER_BOUND)
from offchain.perpetual.errors import check_bound


@dataclass(frozen=True)
class PositionAsset:
    balance: int
    cached_funding_index: int

    def to_json(self) -> dict:
        return {"balance": self.balance, "cached_funding_index": self.cached_funding_index}


@dataclass(frozen=True)
class Position:
    """Immutable: a transaction builds new positions, so a rejected one leaves no trace."""
    public_key: int = 0
    collateral_balance: int = 0
    assets: Mapping[int, PositionAsset] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self):
        object.__setattr__(self, "assets", MappingProxyType(dict(sorted(self.assets.items()))))

    @property
    def is_empty(self) -> bool:
        return self.collateral_balance == 0 and not self.assets

    def balance_of(self, asset_id: int) -> int:
        a = self.assets.get(asset_id)
        return a.balance if a else 0

    def leaf_hash(self) -> int:
        return position_leaf_hash(self.public_key, self.collateral_balance,
                                  tuple((k, v.cached_funding_index, v.balance)
                                        for k, v in self.assets.items()))

    def to_json(self) -> dict:
        return {"public_key": self.public_key, "collateral_balance": self.collateral_balance,
                "assets": {str(k): v.to_json() for k, v in self.assets.items()}}

    @classmethod
    def from_json(cls, d: dict) -> "Position":
        return cls(
            public_key=to_field(int(d.get("public_key", 0))),
            collateral_balance=from_field(int(d.get("collateral_balance", 0))),
            assets={to_field(int(k)): PositionAsset(
                        balance=from_field(int(v["balance"])),
                        cached_funding_index=from_field(int(v["cached_funding_index"])))
                    for k, v in d.get("assets", {}).items()})

    def check_stored_bounds(self) -> None:
        """Raises ValueError unless every field the leaf packs is in range, as the program checks
        each position it reads from the previous state (cairo/perpetual/position.cairo,
        assert_stored_position): only then is the packing injective. A state the program wrote
        always passes; the program refuses a batch touching a position that does not."""
        def check(what, value, low, upper):
            check_bound("stored position", what, value, low, upper)
        check("collateral", self.collateral_balance, BALANCE_LOWER_BOUND + 1, BALANCE_UPPER_BOUND)
        check("number of assets", len(self.assets), 0, N_ASSETS_UPPER_BOUND)
        for asset_id, a in self.assets.items():
            check("asset id", asset_id, 0, ASSET_ID_UPPER_BOUND)
            check(f"asset {asset_id} balance", a.balance, BALANCE_LOWER_BOUND + 1,
                  BALANCE_UPPER_BOUND)
            check(f"asset {asset_id} cached funding index", a.cached_funding_index,
                  FUNDING_INDEX_LOWER_BOUND, FUNDING_INDEX_UPPER_BOUND)

    def onchain_words(self, position_id: int) -> list[int]:
        """Rollup on-chain data of one position (docs/program-output.md, *On-chain data*)."""
        words = [position_id, self.public_key, self.collateral_balance + BALANCE_BIAS,
                 len(self.assets)]
        for asset_id, a in self.assets.items():
            words += [asset_id, a.cached_funding_index + BALANCE_BIAS, a.balance + BALANCE_BIAS]
        return words


EMPTY_POSITION = Position()


@lru_cache(maxsize=65536)
def position_leaf_hash(public_key: int, collateral_balance: int,
                       assets: tuple[tuple[int, int, int], ...]) -> int:
    """assets: (asset_id, cached_funding_index, balance) in increasing asset_id."""
    assets_hash = 0
    for asset_id, funding, balance in assets:
        packed = asset_id * 2**128 + (funding + BALANCE_BIAS) * 2**64 + (balance + BALANCE_BIAS)
        assets_hash = pedersen(assets_hash, to_field(packed))
    packed = (collateral_balance + BALANCE_BIAS) * 2**16 + len(assets)
    return pedersen(pedersen(assets_hash, to_field(public_key)), to_field(packed))


EMPTY_POSITION_HASH = EMPTY_POSITION.leaf_hash()
