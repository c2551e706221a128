"""StarkEx message hashes: what users and oracles sign, for Perpetual and Spot.

Each message is a chain of Pedersen hashes over asset ids, keys and packed words; a packed word
is built most significant field first, `word = word * 2^bits + field`. docs/message-hashes.md
(Perpetual) and docs/spot/message-hashes.md (Spot) give every layout; the Cairo batch programs
compute the same values. The "with fees" layouts (types 3, 4, 5) are StarkEx's one format for
both applications: Perpetual fills every vault field with the position id.
"""
from __future__ import annotations

from eth_utils import keccak

from offchain.crypto.pedersen import pedersen

LIMIT_ORDER_WITH_FEES = 3
TRANSFER = 4
CONDITIONAL_TRANSFER = 5
WITHDRAWAL = 6

AMOUNT_BITS = 64
NONCE_BITS = 32
POSITION_ID_BITS = 64
EXPIRATION_BITS = 32
ORACLE_NAME_BITS = 40
ASSET_NAME_BITS = 128
EXTERNAL_PRICE_BITS = 120
TIMESTAMP_BITS = 32
ORDER_ID_SHIFT = 187  # order id = the top 64 bits of a 251-bit message hash
CONDITION_MASK = 2**250 - 1


def _pack(*fields: tuple[int, int]) -> int:
    """Pack (value, bits) pairs, first pair most significant; every value must fit its bits."""
    word = 0
    for value, bits in fields:
        if not 0 <= value < 2**bits:
            raise ValueError(f"value {value} does not fit in {bits} bits")
        word = (word << bits) + value
    return word


def limit_order_with_fees_hash(
    *,
    asset_id_sell: int,
    asset_id_buy: int,
    asset_id_fee: int,
    amount_sell: int,
    amount_buy: int,
    amount_fee: int,
    nonce: int,
    vault_id_fee: int,
    vault_id_sell: int,
    vault_id_buy: int,
    expiration_timestamp: int,
) -> int:
    """StarkEx limit order with fees (type 3), 64-bit vault ids."""
    w4 = _pack((amount_sell, AMOUNT_BITS), (amount_buy, AMOUNT_BITS), (amount_fee, AMOUNT_BITS),
               (nonce, NONCE_BITS))
    w5 = _pack((LIMIT_ORDER_WITH_FEES, 10), (vault_id_fee, POSITION_ID_BITS),
               (vault_id_sell, POSITION_ID_BITS), (vault_id_buy, POSITION_ID_BITS),
               (expiration_timestamp, EXPIRATION_BITS)) << 17
    h = pedersen(pedersen(asset_id_sell, asset_id_buy), asset_id_fee)
    return pedersen(pedersen(h, w4), w5)


def limit_order_hash(
    *,
    asset_id_synthetic: int,
    asset_id_collateral: int,
    amount_synthetic: int,
    amount_collateral: int,
    amount_fee: int,
    is_buying_synthetic: bool,
    position_id: int,
    nonce: int,
    expiration_timestamp: int,
) -> int:
    """Perpetual limit order (type 3): the fee is paid in collateral from the same position."""
    if is_buying_synthetic:
        asset_sell, asset_buy = asset_id_collateral, asset_id_synthetic
        amount_sell, amount_buy = amount_collateral, amount_synthetic
    else:
        asset_sell, asset_buy = asset_id_synthetic, asset_id_collateral
        amount_sell, amount_buy = amount_synthetic, amount_collateral
    return limit_order_with_fees_hash(
        asset_id_sell=asset_sell, asset_id_buy=asset_buy, asset_id_fee=asset_id_collateral,
        amount_sell=amount_sell, amount_buy=amount_buy, amount_fee=amount_fee, nonce=nonce,
        vault_id_fee=position_id, vault_id_sell=position_id, vault_id_buy=position_id,
        expiration_timestamp=expiration_timestamp)


def transfer_with_fees_hash(
    *,
    asset_id: int,
    asset_id_fee: int,
    receiver_public_key: int,
    sender_vault_id: int,
    receiver_vault_id: int,
    src_fee_vault_id: int,
    nonce: int,
    amount: int,
    max_amount_fee: int,
    expiration_timestamp: int,
    condition: int = 0,
) -> int:
    """StarkEx transfer (type 4) or, with a nonzero condition, conditional transfer (type 5)."""
    h = pedersen(pedersen(asset_id, asset_id_fee), receiver_public_key)
    if condition != 0:
        h = pedersen(h, condition)
    w4 = _pack((sender_vault_id, POSITION_ID_BITS), (receiver_vault_id, POSITION_ID_BITS),
               (src_fee_vault_id, POSITION_ID_BITS), (nonce, NONCE_BITS))
    order_type = CONDITIONAL_TRANSFER if condition != 0 else TRANSFER
    w5 = _pack((order_type, 10), (amount, AMOUNT_BITS), (max_amount_fee, AMOUNT_BITS),
               (expiration_timestamp, EXPIRATION_BITS)) << 81
    return pedersen(pedersen(h, w4), w5)


def transfer_hash(
    *,
    asset_id: int,
    receiver_public_key: int,
    sender_position_id: int,
    receiver_position_id: int,
    amount: int,
    nonce: int,
    expiration_timestamp: int,
    condition: int = 0,
    asset_id_fee: int = 0,
    max_amount_fee: int = 0,
) -> int:
    """Perpetual transfer (type 4) or, with a nonzero condition, conditional transfer (type 5).

    Perpetual transfers carry no fee: asset_id_fee = max_amount_fee = 0 and the fee position is
    the sender's.
    """
    return transfer_with_fees_hash(
        asset_id=asset_id, asset_id_fee=asset_id_fee, receiver_public_key=receiver_public_key,
        sender_vault_id=sender_position_id, receiver_vault_id=receiver_position_id,
        src_fee_vault_id=sender_position_id, nonce=nonce, amount=amount,
        max_amount_fee=max_amount_fee, expiration_timestamp=expiration_timestamp,
        condition=condition)


def conditional_transfer_hash(*, condition: int, **fields: int) -> int:
    if condition == 0:
        raise ValueError("a conditional transfer needs a nonzero condition")
    return transfer_hash(condition=condition, **fields)


def withdrawal_hash(
    *, asset_id_collateral: int, position_id: int, nonce: int, amount: int,
    expiration_timestamp: int,
) -> int:
    """Withdrawal (type 6): H(collateral_asset_id, packed word)."""
    w = _pack((WITHDRAWAL, 10), (position_id, POSITION_ID_BITS), (nonce, NONCE_BITS),
              (amount, AMOUNT_BITS), (expiration_timestamp, EXPIRATION_BITS)) << 49
    return pedersen(asset_id_collateral, w)


def signed_asset_id(asset_name: int, oracle_name: int) -> int:
    """asset_name (128 bits) ‖ oracle_name (40 bits): the asset id an oracle signs."""
    return _pack((asset_name, ASSET_NAME_BITS), (oracle_name, ORACLE_NAME_BITS))


def oracle_price_hash(*, signed_asset_id: int, external_price: int, timestamp: int) -> int:
    """H(asset_name ‖ oracle_name, price (120 bits) ‖ timestamp (32 bits))."""
    if not 0 <= signed_asset_id < 2**(ASSET_NAME_BITS + ORACLE_NAME_BITS):
        raise ValueError("signed asset id does not fit in 168 bits")
    return pedersen(signed_asset_id,
                    _pack((external_price, EXTERNAL_PRICE_BITS), (timestamp, TIMESTAMP_BITS)))


def order_id(message_hash: int) -> int:
    """The orders-tree key of a signed message: its top 64 bits."""
    return message_hash >> ORDER_ID_SHIFT


def fact_to_condition(fact_registry_address: str | bytes, fact: bytes) -> int:
    """keccak256(registry (20 bytes) ‖ fact (32 bytes)) masked to 250 bits."""
    if isinstance(fact_registry_address, str):
        fact_registry_address = bytes.fromhex(fact_registry_address.removeprefix("0x"))
    if len(fact_registry_address) != 20 or len(fact) != 32:
        raise ValueError("registry must be 20 bytes and fact 32 bytes")
    return int.from_bytes(keccak(fact_registry_address + fact), "big") & CONDITION_MASK
