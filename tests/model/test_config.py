from dataclasses import replace

from offchain.crypto.pedersen import pedersen_chain
from offchain.perpetual.config import (
    GeneralConfig, SyntheticAsset, asset_config_hash, general_config_hash)
from .world import BTC, make_config


def test_general_config_hash_chain_and_json_round_trip():
    c = make_config()
    expected = pedersen_chain([c.collateral_asset_id, c.fee_position_id, c.fee_public_key, 64, 64,
                               c.max_funding_rate, c.collateral_resolution, c.price_validity_period,
                               1, asset_config_hash(c.synthetic(BTC))])
    assert general_config_hash(c) == expected
    assert GeneralConfig.from_json(c.to_json()) == c
    # Every setting the program trusts changes it: L1 pins the configuration through it alone.
    for change in (dict(max_funding_rate=1001), dict(collateral_resolution=10**5), dict(price_validity_period=60)):
        assert general_config_hash(make_config(**change)) != expected
    quorum_3 = replace(c.synthetic(BTC), oracle_price_quorum=3)
    assert general_config_hash(make_config(synthetic_assets=(quorum_3,))) != expected


def test_synthetic_order_does_not_change_hash():
    a = SyntheticAsset(asset_id=5, resolution=10, risk_factor=3)
    b = SyntheticAsset(asset_id=6, resolution=11, risk_factor=4)
    c1 = make_config(synthetic_assets=(a, b))
    c2 = make_config(synthetic_assets=(b, a))
    assert general_config_hash(c1) == general_config_hash(c2)


def test_asset_config_hash_covers_oracle_settings():
    a = SyntheticAsset(asset_id=5, resolution=10, risk_factor=3, oracle_price_quorum=1,
                       oracle_price_signers=(11,), oracle_price_signed_asset_ids=(22,))
    assert asset_config_hash(a) == pedersen_chain([5, 10, 3, 1, 1, 11, 1, 22])
    b = SyntheticAsset(asset_id=5, resolution=10, risk_factor=3, oracle_price_quorum=1,
                       oracle_price_signers=(12,), oracle_price_signed_asset_ids=(22,))
    assert asset_config_hash(a) != asset_config_hash(b)
