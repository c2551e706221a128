"""The general config of a Perpetual exchange and its hashes (docs/program-output.md)."""
from __future__ import annotations

from dataclasses import dataclass, field

from offchain.crypto.pedersen import pedersen_chain

VALIDIUM = 0
ROLLUP = 1


@dataclass(frozen=True)
class SyntheticAsset:
    asset_id: int
    resolution: int
    risk_factor: int  # fixed point, 2^32 = 1.0
    # Oracle settings: who may sign this asset's price, under which signed asset ids, how many.
    oracle_price_quorum: int = 1
    oracle_price_signers: tuple[int, ...] = ()
    oracle_price_signed_asset_ids: tuple[int, ...] = ()

    def to_json(self) -> dict:
        return {
            "asset_id": self.asset_id, "resolution": self.resolution,
            "risk_factor": self.risk_factor,
            "oracle_price_quorum": self.oracle_price_quorum,
            "oracle_price_signers": list(self.oracle_price_signers),
            "oracle_price_signed_asset_ids": list(self.oracle_price_signed_asset_ids),
        }

    @classmethod
    def from_json(cls, d: dict) -> "SyntheticAsset":
        return cls(
            asset_id=int(d["asset_id"]), resolution=int(d["resolution"]),
            risk_factor=int(d["risk_factor"]),
            oracle_price_quorum=int(d.get("oracle_price_quorum", 1)),
            oracle_price_signers=tuple(int(x) for x in d.get("oracle_price_signers", ())),
            oracle_price_signed_asset_ids=tuple(
                int(x) for x in d.get("oracle_price_signed_asset_ids", ())),
        )


def asset_config_hash(asset: SyntheticAsset) -> int:
    """Pedersen chain from 0 over asset_id, resolution, risk_factor, quorum, the signers (count
    first) and the signed asset ids (count first). Documented in docs/message-hashes.md."""
    return pedersen_chain([
        asset.asset_id, asset.resolution, asset.risk_factor, asset.oracle_price_quorum,
        len(asset.oracle_price_signers), *asset.oracle_price_signers,
        len(asset.oracle_price_signed_asset_ids), *asset.oracle_price_signed_asset_ids,
    ])


@dataclass(frozen=True)
class GeneralConfig:
    collateral_asset_id: int
    fee_position_id: int
    fee_public_key: int
    positions_tree_height: int = 64
    orders_tree_height: int = 64
    max_funding_rate: int = 1000  # fixed point 2^32 = 1.0, per second, relative to the price
    synthetic_assets: tuple[SyntheticAsset, ...] = ()
    data_availability_mode: int = ROLLUP
    collateral_resolution: int = 1_000_000  # quantized collateral per external unit
    price_validity_period: int = 86400      # seconds an oracle price stays usable
    _by_id: dict = field(default=None, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self):
        object.__setattr__(self, "_by_id", {a.asset_id: a for a in self.synthetic_assets})
        if len(self._by_id) != len(self.synthetic_assets):
            raise ValueError("duplicate synthetic asset id")

    def synthetic(self, asset_id: int) -> SyntheticAsset | None:
        return self._by_id.get(asset_id)

    @property
    def sorted_synthetics(self) -> list[SyntheticAsset]:
        return sorted(self.synthetic_assets, key=lambda a: a.asset_id)

    def to_json(self) -> dict:
        return {
            "collateral_asset_id": self.collateral_asset_id,
            "fee_position_id": self.fee_position_id,
            "fee_public_key": self.fee_public_key,
            "positions_tree_height": self.positions_tree_height,
            "orders_tree_height": self.orders_tree_height,
            "max_funding_rate": self.max_funding_rate,
            "synthetic_assets": [a.to_json() for a in self.synthetic_assets],
            "data_availability_mode": self.data_availability_mode,
            "collateral_resolution": self.collateral_resolution,
            "price_validity_period": self.price_validity_period,
        }

    @classmethod
    def from_json(cls, d: dict) -> "GeneralConfig":
        return cls(
            collateral_asset_id=int(d["collateral_asset_id"]),
            fee_position_id=int(d["fee_position_id"]),
            fee_public_key=int(d["fee_public_key"]),
            positions_tree_height=int(d.get("positions_tree_height", 64)),
            orders_tree_height=int(d.get("orders_tree_height", 64)),
            max_funding_rate=int(d.get("max_funding_rate", 1000)),
            synthetic_assets=tuple(SyntheticAsset.from_json(a)
                                   for a in d.get("synthetic_assets", ())),
            data_availability_mode=int(d.get("data_availability_mode", ROLLUP)),
            collateral_resolution=int(d.get("collateral_resolution", 1_000_000)),
            price_validity_period=int(d.get("price_validity_period", 86400)),
        )


def general_config_hash(config: GeneralConfig) -> int:
    """H chained from 0 over the fields of docs/program-output.md, synthetics by asset id."""
    # Every setting the program trusts is in here (oracle settings through each asset config
    # hash), because this one hash is all that L1 pins of the configuration.
    words = [
        config.collateral_asset_id, config.fee_position_id, config.fee_public_key,
        config.positions_tree_height, config.orders_tree_height, config.max_funding_rate,
        config.collateral_resolution, config.price_validity_period, len(config.synthetic_assets),
    ]
    words += [asset_config_hash(a) for a in config.sorted_synthetics]
    return pedersen_chain(words)
