"""The local exchange's market and its price source.

`ape run operator` on the local node opens one market, BTC-10 (StarkEx's asset id for it),
whose oracles' keys are development keys known to this module; `LocalPriceSource` signs their
prices and sends ORACLE_PRICES_TICK and FUNDING_TICK through the gateway as the `price_source`
caller, stamped with L1's time (the system time L1 checks). On a real network the prices come
from the configured oracles, not from here.
"""
from __future__ import annotations

from typing import Callable

from offchain.client.api import GatewayClient
from offchain.perpetual.local import LocalSynthetic
from offchain.perpetual import signing
from offchain.perpetual.constants import EXTERNAL_PRICE_FIXED_POINT_UNIT, FXP_32_ONE
from offchain.perpetual.transactions import FundingTick

BTC_ASSET_ID = 0x4254432D3130000000000000000000  # "BTC-10"
LOCAL_ORACLE_KEYS = (0x0AC1E1, 0x0AC1E2, 0x0AC1E3)  # development keys: local node only
LOCAL_MARKET = LocalSynthetic(asset_id=BTC_ASSET_ID, resolution=10**10, risk_factor=FXP_32_ONE // 10,
                              oracle_private_keys=LOCAL_ORACLE_KEYS, quorum=2)
LOCAL_PRICE = 100  # quantized collateral per quantized BTC


def external_price(price: int, collateral_resolution: int, synthetic_resolution: int) -> int:
    """An oracle's price (10^18 = one external collateral unit per external synthetic unit) for
    an internal price of `price` quantized collateral per quantized synthetic unit."""
    return price * EXTERNAL_PRICE_FIXED_POINT_UNIT * synthetic_resolution // collateral_resolution


class LocalPriceSource:
    def __init__(self, gateway: GatewayClient, market: LocalSynthetic, collateral_resolution: int,
                 l1_time: Callable[[], float]):
        self.gateway = gateway
        self.market = market
        self.collateral_resolution = collateral_resolution
        self.l1_time = l1_time

    def _send(self, tx: dict) -> int:
        tx_id = self.gateway.first_unused_tx_id()
        self.gateway.add_transaction(tx_id, tx)
        return tx_id

    def tick(self, price: int = LOCAL_PRICE, funding_index: int = 0) -> list[int]:
        """Every oracle signs `price` now; then the funding index. Returns the two tx_ids."""
        now = int(self.l1_time())
        signed = [signing.oracle_price(key, signed_asset_id=self.market.signed_asset_id, timestamp=now,
                                       external_price=external_price(price, self.collateral_resolution,
                                                                     self.market.resolution))
                  for key in self.market.oracle_private_keys]
        prices = signing.oracle_prices_tick({self.market.asset_id: signed}, now)
        return [self._send(prices.to_json()),
                self._send(FundingTick(indices={self.market.asset_id: funding_index}, timestamp=now).to_json())]
