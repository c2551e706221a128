"""The general config of a Perpetual exchange and its hashes (docs/program-output.md)."""
from __future__ import annotations

from dataclasses import dataclass, field

from offchain.crypto.constants import to_field
from offchain.crypto.pedersen import pedersen_chain
from offchain.perpetual.constants import (
    ASSET_ID_UPPER_BOUND, POSITION_ID_UPPER_BOUND, POSITION_MAX_SUPPORTED_N_ASSETS)
from offchain.perpetual.errors import check_bound

VALIDIUM = 0
ROLLUP = 1


def _felt(value) -> int:
    """A JSON number as the field element the program reads (docs/batch-input.md)."""
    return to_field(int(value))


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
            asset_id=_felt(d["asset_id"]), resolution=_felt(d["resolution"]),
            risk_factor=_felt(d["risk_factor"]),
            oracle_price_quorum=_felt(d.get("oracle_price_quorum", 1)),
            oracle_price_signers=tuple(_felt(x) for x in d.get("oracle_price_signers", ())),
            oracle_price_signed_asset_ids=tuple(
                _felt(x) for x in d.get("oracle_price_signed_asset_ids", ())),
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
        check_bounds(self)

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
            collateral_asset_id=_felt(d["collateral_asset_id"]),
            fee_position_id=_felt(d["fee_position_id"]),
            fee_public_key=_felt(d["fee_public_key"]),
            positions_tree_height=_felt(d.get("positions_tree_height", 64)),
            orders_tree_height=_felt(d.get("orders_tree_height", 64)),
            max_funding_rate=_felt(d.get("max_funding_rate", 1000)),
            synthetic_assets=tuple(SyntheticAsset.from_json(a)
                                   for a in d.get("synthetic_assets", ())),
            data_availability_mode=_felt(d.get("data_availability_mode", ROLLUP)),
            collateral_resolution=_felt(d.get("collateral_resolution", 1_000_000)),
            price_validity_period=_felt(d.get("price_validity_period", 86400)),
        )


def _check(what: str, value: int, low: int, upper: int) -> None:
    check_bound("general config", what, value, low, upper)


def check_bounds(config: GeneralConfig) -> None:
    """The bounds the batch program's arithmetic needs (cairo/perpetual/config.cairo, check_config,
    which refuses the same configs). Raises ValueError."""
    _check("positions_tree_height", config.positions_tree_height, 0, 65)
    _check("orders_tree_height", config.orders_tree_height, 0, 65)
    _check("fee_position_id", config.fee_position_id, 0, POSITION_ID_UPPER_BOUND)
    _check("max_funding_rate", config.max_funding_rate, 0, 2**32)
    _check("collateral_resolution", config.collateral_resolution, 0, 2**64)
    _check("price_validity_period", config.price_validity_period, 0, 2**32)
    _check("data_availability_mode", config.data_availability_mode, 0, 2)
    _check("number of synthetic assets", len(config.synthetic_assets), 0,
           POSITION_MAX_SUPPORTED_N_ASSETS + 1)
    for a in config.synthetic_assets:
        _check("synthetic asset id", a.asset_id, 0, ASSET_ID_UPPER_BOUND)
        _check(f"asset {a.asset_id} resolution", a.resolution, 1, 2**63)
        _check(f"asset {a.asset_id} risk_factor", a.risk_factor, 0, 2**32)
        _check(f"asset {a.asset_id} oracle_price_quorum", a.oracle_price_quorum, 0, 2**32)


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
