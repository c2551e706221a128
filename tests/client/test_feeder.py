"""What the operator states for clients and the explorer: get_config, positions and their
history, batches with their L1 transactions, pending forced requests with the freeze countdown,
and Swagger UI without a CDN."""
import re

import httpx
import pytest

from offchain.application.price_source import BTC_ASSET_ID
from offchain.client.api import RequestRefused
from offchain.client.l1 import FREEZE_GRACE_PERIOD_SECONDS
from offchain.client.requests import to_starkex_json
from offchain.perpetual.local import ETH_QUANTUM


def test_get_config_states_what_clients_need(exchange, chain):
    with exchange.feeder() as feeder:
        config = feeder.get_config()
    deployment = exchange.stack.deployment
    assert config.exchange_address == deployment.exchange.address
    assert config.chain_id == chain.chain_id
    assert config.collateral_asset_id == deployment.collateral_asset_type == int(deployment.exchange.collateralAssetType())
    assert config.collateral_quantum == ETH_QUANTUM
    assert config.collateral_resolution == exchange.stack.genesis.config.collateral_resolution
    (btc,) = config.synthetic_assets
    assert (btc.asset_id, btc.name, btc.resolution) == (BTC_ASSET_ID, "BTC-10", 10**10)
    assert (config.positions_tree_height, config.orders_tree_height) == (64, 64)
    assert config.l1_node_url == chain.provider.uri
    assert config.synthetic("BTC-10") == config.synthetic(hex(BTC_ASSET_ID)) == btc
    with pytest.raises(KeyError, match="BTC-10"):
        config.synthetic("ETH-9")


def test_position_history_and_batches(exchange):
    alice = exchange.user(0xA11CE, 11, 2, deposit=5_000)
    bob = exchange.user(0xB0B, 12, 3, deposit=1_000)
    with exchange.client() as client:
        transfer = client.submit_transaction(to_starkex_json(
            alice.signer.transfer(receiver_public_key=bob.keys.public_key, receiver_position_id=12, amount=700)))
    with exchange.feeder() as feeder:
        position = feeder.get_position(12)
        assert position == {"position_id": 12, "public_key": hex(bob.keys.public_key), "collateral_balance": "1700",
                            "assets": [], "state": "acknowledged"}
        history = feeder.get_position_history(12)["transactions"]
        assert [(h["tx_id"], h["type"], h["status"]) for h in history] == [(transfer, "TRANSFER", "PENDING"),
                                                                          (transfer - 1, "DEPOSIT", "PENDING")]
        assert history[0]["summary"] == "receives 700 collateral from position 11"
        (batch,) = exchange.settle()
        info = feeder.get_batch_info(batch.batch_id)
        assert info.describe() == f"batch {batch.batch_id}: ACCEPTED, transactions {batch.first_tx_id}..{batch.last_tx_id}"
        assert info.raw["prover"] == "LocalDevFactRegistry" and info.raw["proof_size"] is None  # no proof, said so
        assert re.fullmatch(r"0x[0-9a-f]{64}", info.raw["fact_tx"]) and re.fullmatch(r"0x[0-9a-f]{64}", info.raw["update_state_tx"])
        assert feeder.get_position_history(12)["transactions"][0]["status"] == "ACCEPTED"
        assert feeder.get_position(99)["public_key"] == "0x0"  # an empty position
        for bad in (-1, 2**63, "x"):
            with pytest.raises(RequestRefused):
                feeder.request("GET", "/feeder_gateway/get_position", params={"position_id": bad})


def test_forced_requests_show_the_freeze_countdown(exchange, chain):
    bob = exchange.user(0xB0B, 12, 3, deposit=1_000)
    exchange.settle()
    key = exchange.l1.forced_withdrawal(bob.account, bob.keys.public_key, 12, 300)
    requested_at = chain.blocks.head.timestamp
    made = exchange.operator.watcher.poll()
    exchange.operator.clock.refresh()
    with exchange.feeder() as feeder:
        pending = feeder.get_forced_requests()
        (request,) = pending["forced_requests"]
        assert request["tx_id"] == made[0] and request["type"] == "FORCED_WITHDRAWAL"
        assert request["requested_at"] == requested_at
        assert request["freezable_at"] == requested_at + FREEZE_GRACE_PERIOD_SECONDS
        assert FREEZE_GRACE_PERIOD_SECONDS - 120 < request["seconds_left"] <= FREEZE_GRACE_PERIOD_SECONDS
        assert pending["frozen"] is False
        assert exchange.l1.forced_request_status(key).requested_at == requested_at
        exchange.settle()
        assert feeder.get_forced_requests()["forced_requests"] == []  # served: no countdown left
    assert exchange.l1.forced_request_status(key).requested_at is None


def test_swagger_ui_and_explorer_load_nothing_from_elsewhere(exchange):
    with httpx.Client(base_url=exchange.gateway_url) as http:
        for page in ("/docs", "/explorer"):
            html = http.get(page).text
            assets = re.findall(r'(?:src|href)="([^"]+)"', html)
            assert assets, page
            for asset in assets:
                assert asset.startswith("/"), f"{page} loads {asset} from elsewhere"
                assert http.get(asset).status_code == 200, asset
        assert "swagger-ui-bundle.js" in http.get("/docs").text
