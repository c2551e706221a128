"""Client side: build and sign Perpetual requests as a StarkEx client library would.

The demo, the operator's tests and the benchmarks submit transactions through the gateway
exactly as a user's wallet would; this is the one place that knows how to sign them.
"""
from __future__ import annotations

from offchain.crypto import messages
from offchain.crypto.signature import private_to_public_key, sign
from offchain.perpetual.transactions import ConditionalTransfer, Order, Transfer, Withdrawal


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
