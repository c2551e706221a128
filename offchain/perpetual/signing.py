"""Client side: build and sign Perpetual requests as a StarkEx client library would.

The demo, the operator's tests and the benchmarks submit transactions through the gateway
exactly as a user's wallet would; this is the one place that knows how to sign them.
"""
from __future__ import annotations

from dataclasses import astuple, dataclass

from eth_account import Account

from offchain.crypto import messages
from offchain.crypto.signature import private_to_public_key, sign
from offchain.perpetual.transactions import (
    ConditionalTransfer, OraclePricesTick, Order, SignedOraclePrice, Transfer, Withdrawal)


def withdrawal(private_key: int, *, collateral_asset_id: int, position_id: int, amount: int,
               nonce: int, expiration_timestamp: int) -> Withdrawal:
    msg = messages.withdrawal_hash(asset_id_collateral=collateral_asset_id, position_id=position_id,
                                   nonce=nonce, amount=amount, expiration_timestamp=expiration_timestamp)
    return Withdrawal(position_id=position_id, public_key=private_to_public_key(private_key),
                      amount=amount, nonce=nonce, expiration_timestamp=expiration_timestamp,
                      signature=sign(private_key, msg))


def transfer(private_key: int, *, asset_id: int, sender_position_id: int, receiver_position_id: int,
             receiver_public_key: int, amount: int, nonce: int, expiration_timestamp: int,
             condition_of: tuple[int, int] | None = None) -> Transfer | ConditionalTransfer:
    """A transfer, or with condition_of=(fact_registry_address, fact) a conditional transfer."""
    fields = dict(asset_id=asset_id, receiver_public_key=receiver_public_key,
                  sender_position_id=sender_position_id, receiver_position_id=receiver_position_id,
                  amount=amount, nonce=nonce, expiration_timestamp=expiration_timestamp)
    common = dict(fields, sender_public_key=private_to_public_key(private_key))
    if condition_of is None:
        return Transfer(**common, signature=sign(private_key, messages.transfer_hash(**fields)))
    registry, fact = condition_of
    condition = messages.fact_to_condition(registry.to_bytes(20, "big"), fact.to_bytes(32, "big"))
    return ConditionalTransfer(**common, signature=sign(private_key, messages.transfer_hash(**fields, condition=condition)),
                               fact_registry_address=registry, fact=fact)


def limit_order(private_key: int, *, position_id: int, asset_id_synthetic: int, asset_id_collateral: int,
                is_buying_synthetic: bool, amount_synthetic: int, amount_collateral: int, amount_fee: int,
                nonce: int, expiration_timestamp: int) -> Order:
    msg = messages.limit_order_hash(
        asset_id_synthetic=asset_id_synthetic, asset_id_collateral=asset_id_collateral,
        amount_synthetic=amount_synthetic, amount_collateral=amount_collateral, amount_fee=amount_fee,
        is_buying_synthetic=is_buying_synthetic, position_id=position_id, nonce=nonce,
        expiration_timestamp=expiration_timestamp)
    return Order(position_id=position_id, public_key=private_to_public_key(private_key),
                 asset_id_synthetic=asset_id_synthetic, asset_id_collateral=asset_id_collateral,
                 amount_synthetic=amount_synthetic, amount_collateral=amount_collateral,
                 amount_fee=amount_fee, is_buying_synthetic=is_buying_synthetic, nonce=nonce,
                 expiration_timestamp=expiration_timestamp, signature=sign(private_key, msg))


def oracle_price(private_key: int, *, signed_asset_id: int, external_price: int, timestamp: int) -> SignedOraclePrice:
    """One oracle's signed price (external: 10^18 = one collateral unit per synthetic unit)."""
    msg = messages.oracle_price_hash(signed_asset_id=signed_asset_id, external_price=external_price, timestamp=timestamp)
    return SignedOraclePrice(signer_key=private_to_public_key(private_key), external_price=external_price,
                             timestamp=timestamp, signed_asset_id=signed_asset_id, signature=sign(private_key, msg))


def oracle_prices_tick(signed_prices: dict[int, list[SignedOraclePrice]], timestamp: int) -> OraclePricesTick:
    """asset id -> its oracles' signed prices; ordered by signer key, as the program requires."""
    return OraclePricesTick(signed_prices={asset_id: tuple(sorted(prices, key=lambda p: p.signer_key))
                                           for asset_id, prices in signed_prices.items()},
                            timestamp=timestamp)


# --- L1 side: the forced trade party B signs for party A to request on L1 ---------------------

FORCED_TRADE_FIELDS = ("starkKeyA", "starkKeyB", "positionIdA", "positionIdB", "collateralAssetId",
                       "syntheticAssetId", "amountCollateral", "amountSynthetic", "aIsBuyingSynthetic", "nonce")


@dataclass(frozen=True)
class ForcedTradeRequest:
    """The exchange's ForcedTrade struct (contracts/perpetual/PerpetualTypes.sol), field for field."""
    starkKeyA: int
    starkKeyB: int
    positionIdA: int
    positionIdB: int
    collateralAssetId: int
    syntheticAssetId: int
    amountCollateral: int
    amountSynthetic: int
    aIsBuyingSynthetic: bool
    nonce: int

    def as_tuple(self) -> tuple:
        return astuple(self)


def forced_trade_signature(eth_private_key, request: ForcedTradeRequest, submission_expiration_time: int,
                           exchange_address: str, chain_id: int) -> bytes:
    """Party B's EIP-712 signature (65 bytes r ‖ s ‖ v) that lets party A request the trade on L1."""
    types = {
        "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                         {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
        "ForcedTrade": [{"name": f, "type": "bool" if f == "aIsBuyingSynthetic" else "uint256"} for f in FORCED_TRADE_FIELDS]
        + [{"name": "submissionExpirationTime", "type": "uint256"}],
    }
    message = dict(zip(FORCED_TRADE_FIELDS, request.as_tuple())) | {"submissionExpirationTime": submission_expiration_time}
    typed = {"types": types, "primaryType": "ForcedTrade", "message": message,
             "domain": {"name": "StarkPerpetual", "version": "1", "chainId": chain_id,
                        "verifyingContract": exchange_address}}
    return bytes(Account.sign_typed_data(eth_private_key, full_message=typed).signature)
