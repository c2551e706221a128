"""StarkEx Spot message hashes: what a Spot user signs (docs/spot/message-hashes.md).

Two formats, as StarkEx Spot: a request without a fee signs the 31-bit vault format
(starkex-resources' `get_msg`: limit order type 0, transfer 1, conditional transfer 2); a request
with a fee signs the 64-bit "with fees" format (types 3, 4, 5) shared with Perpetual
(`offchain.crypto.messages`). Every field is checked to fit its width.
"""
from __future__ import annotations

from offchain.crypto.constants import FIELD_PRIME
from offchain.crypto.messages import (
    _pack,
    limit_order_with_fees_hash,
    transfer_with_fees_hash,
)
from offchain.crypto.pedersen import pedersen

SETTLEMENT_ORDER = 0
TRANSFER_ORDER = 1
CONDITIONAL_TRANSFER_ORDER = 2

VAULT_BITS_31 = 31
AMOUNT_BITS_31 = 63
NONCE_BITS_31 = 31
EXPIRATION_BITS_31 = 22


def order_and_transfer_hash_31(
    *, order_type: int, vault0: int, vault1: int, amount0: int, amount1: int, token0: int,
    token1_or_pub_key: int, nonce: int, expiration_timestamp: int, condition: int = 0,
) -> int:
    """H(partial, type(4) ‖ vault0(31) ‖ vault1(31) ‖ amount0(63) ‖ amount1(63) ‖ nonce(31) ‖
    expiration(22)), partial = H(token0, token1_or_pub_key), then H(partial, condition) if the
    condition is nonzero."""
    if not (0 <= token0 < FIELD_PRIME and 0 <= token1_or_pub_key < FIELD_PRIME
            and 0 <= condition < FIELD_PRIME):
        raise ValueError("tokens, keys and conditions must be field elements")
    packed = _pack((order_type, 4), (vault0, VAULT_BITS_31), (vault1, VAULT_BITS_31),
                   (amount0, AMOUNT_BITS_31), (amount1, AMOUNT_BITS_31), (nonce, NONCE_BITS_31),
                   (expiration_timestamp, EXPIRATION_BITS_31))
    partial = pedersen(token0, token1_or_pub_key)
    if condition != 0:
        partial = pedersen(partial, condition)
    return pedersen(partial, packed)


def limit_order_hash(
    *, vault_id_sell: int, vault_id_buy: int, amount_sell: int, amount_buy: int,
    token_sell: int, token_buy: int, nonce: int, expiration_timestamp: int,
    fee_token_id: int | None = None, fee_limit: int = 0, fee_source_vault_id: int = 0,
) -> int:
    """A Spot limit order: type 0 without a fee, type 3 with one (fee_token_id given)."""
    if fee_token_id is None:
        return order_and_transfer_hash_31(
            order_type=SETTLEMENT_ORDER, vault0=vault_id_sell, vault1=vault_id_buy,
            amount0=amount_sell, amount1=amount_buy, token0=token_sell,
            token1_or_pub_key=token_buy, nonce=nonce, expiration_timestamp=expiration_timestamp)
    return limit_order_with_fees_hash(
        asset_id_sell=token_sell, asset_id_buy=token_buy, asset_id_fee=fee_token_id,
        amount_sell=amount_sell, amount_buy=amount_buy, amount_fee=fee_limit, nonce=nonce,
        vault_id_fee=fee_source_vault_id, vault_id_sell=vault_id_sell, vault_id_buy=vault_id_buy,
        expiration_timestamp=expiration_timestamp)


def transfer_hash(
    *, sender_vault_id: int, receiver_vault_id: int, receiver_public_key: int, token: int,
    amount: int, nonce: int, expiration_timestamp: int, condition: int = 0,
    fee_token_id: int | None = None, fee_limit: int = 0, fee_source_vault_id: int = 0,
) -> int:
    """A Spot transfer (types 1 / 4) or, with a nonzero condition, conditional transfer (2 / 5)."""
    if fee_token_id is None:
        return order_and_transfer_hash_31(
            order_type=CONDITIONAL_TRANSFER_ORDER if condition else TRANSFER_ORDER,
            vault0=sender_vault_id, vault1=receiver_vault_id, amount0=amount, amount1=0,
            token0=token, token1_or_pub_key=receiver_public_key, nonce=nonce,
            expiration_timestamp=expiration_timestamp, condition=condition)
    return transfer_with_fees_hash(
        asset_id=token, asset_id_fee=fee_token_id, receiver_public_key=receiver_public_key,
        sender_vault_id=sender_vault_id, receiver_vault_id=receiver_vault_id,
        src_fee_vault_id=fee_source_vault_id, nonce=nonce, amount=amount,
        max_amount_fee=fee_limit, expiration_timestamp=expiration_timestamp, condition=condition)
