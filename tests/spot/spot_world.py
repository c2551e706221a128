"""Shared Spot fixtures: keys, signed orders and transfers, batch inputs (model and program)."""
from __future__ import annotations

import copy

from offchain.crypto import spot_messages
from offchain.crypto.signature import private_to_public_key, sign
from offchain.spot.assets import TokenKind, asset_id
from offchain.spot.state import ROLLUP_VAULT_BIT

PRIVATE_KEYS = [0x3C1E9550E66958296D11B60F8E8E7A7AD990D07FA65D5F7652C4A6C87D4E3CC + i
                for i in range(4)]
KEYS = [private_to_public_key(k) for k in PRIVATE_KEYS]
ALICE, BOB, CAROL, OPERATOR = range(4)

ETH = asset_id(TokenKind.ETH, 10**10)
USDC = asset_id(TokenKind.ERC20, 10**4, "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48")
NFT = asset_id(TokenKind.ERC721, 1, "0xB18ed4768F87b0fFAb83408014f1caF066b91380", token_id=7)
GAME = asset_id(TokenKind.MINTABLE_ERC1155, 1, "0x00000000000000000000000000000000000000ab",
                minting_blob=b"sword #1")
EXPIRATION = 4_000_000  # hours since the epoch (year 2426; below 2^22), above any global expiration a test or the node uses
R = ROLLUP_VAULT_BIT


def config(validium=31, rollup=31) -> dict:
    return {"validium_vault_tree_height": validium, "rollup_vault_tree_height": rollup,
            "order_tree_height": 64, "unique_minting_enforced": 0}


def vault(who: int, asset: int, balance: int) -> dict:
    return {"stark_key": KEYS[who], "asset_id": asset, "balance": balance}


def batch(transactions: list[dict], vaults: dict[int, dict] | None = None,
          orders: dict[int, int] | None = None, global_expiration: int = 400_000, **cfg) -> dict:
    return {
        "general_config": config(**cfg),
        "previous_state": {"vaults": {str(k): v for k, v in (vaults or {}).items()},
                           "orders": {str(k): v for k, v in (orders or {}).items()}},
        "global_expiration_timestamp": global_expiration,
        "transactions": copy.deepcopy(transactions),
    }


def deposit(who, vault_id, asset, amount) -> dict:
    return {"type": "DEPOSIT", "vault_id": vault_id, "stark_key": KEYS[who], "token_id": asset,
            "amount": amount}


def withdrawal(who, vault_id, asset, amount) -> dict:
    return dict(deposit(who, vault_id, asset, amount), type="WITHDRAWAL")


def full_withdrawal(who, vault_id) -> dict:
    return {"type": "FULL_WITHDRAWAL", "vault_id": vault_id, "stark_key": KEYS[who]}


def false_full_withdrawal(who, vault_id) -> dict:
    return {"type": "FALSE_FULL_WITHDRAWAL", "vault_id": vault_id,
            "requester_stark_key": KEYS[who]}


def order(who, vault_sell, vault_buy, amount_sell, amount_buy, token_sell, token_buy,
          nonce=0, expiration=EXPIRATION, fee=None) -> dict:
    """A signed limit order; fee = (token_id, fee_limit, source_vault_id) for the fee format."""
    fields = dict(vault_id_sell=vault_sell, vault_id_buy=vault_buy, amount_sell=amount_sell,
                  amount_buy=amount_buy, token_sell=token_sell, token_buy=token_buy, nonce=nonce,
                  expiration_timestamp=expiration)
    o = dict(fields, public_key=KEYS[who])
    if fee is not None:
        o["fee_info"] = {"token_id": fee[0], "fee_limit": fee[1], "source_vault_id": fee[2]}
        h = spot_messages.limit_order_hash(**fields, fee_token_id=fee[0], fee_limit=fee[1],
                                           fee_source_vault_id=fee[2])
    else:
        h = spot_messages.limit_order_hash(**fields)
    o["signature"] = sign(PRIVATE_KEYS[who], h).to_json()
    return o


def fee_taken(fee, destination_vault_id, who=OPERATOR) -> dict:
    return {"fee_taken": fee, "destination_vault_id": destination_vault_id,
            "destination_stark_key": KEYS[who]}


def settlement(a: dict, b: dict, a_sold: int, b_sold: int, a_fee=None, b_fee=None) -> dict:
    info = {"party_a_sold": a_sold, "party_b_sold": b_sold}
    if a_fee is not None:
        info["party_a_fee_info"] = a_fee
    if b_fee is not None:
        info["party_b_fee_info"] = b_fee
    return {"type": "SETTLEMENT", "party_a_order": a, "party_b_order": b, "settlement_info": info}


def transfer(who, sender_vault, to, receiver_vault, token, amount, nonce=0, expiration=EXPIRATION,
             fee=None, taken=None, condition_fact=None) -> dict:
    """A signed transfer; condition_fact = (registry, fact) makes it conditional."""
    from offchain.crypto.messages import fact_to_condition
    tx = {"type": "TRANSFER", "sender_public_key": KEYS[who], "sender_vault_id": sender_vault,
          "receiver_public_key": KEYS[to], "receiver_vault_id": receiver_vault, "token": token,
          "amount": amount, "nonce": nonce, "expiration_timestamp": expiration}
    condition = 0
    if condition_fact is not None:
        registry, fact = condition_fact
        condition = fact_to_condition(registry.to_bytes(20, "big"), fact.to_bytes(32, "big"))
        tx.update(type="CONDITIONAL_TRANSFER", condition=condition)
    fee_fields = {}
    if fee is not None:
        tx["fee_info_user"] = {"token_id": fee[0], "fee_limit": fee[1], "source_vault_id": fee[2]}
        fee_fields = dict(fee_token_id=fee[0], fee_limit=fee[1], fee_source_vault_id=fee[2])
    if taken is not None:
        tx["fee_info_exchange"] = taken
    h = spot_messages.transfer_hash(
        sender_vault_id=sender_vault, receiver_vault_id=receiver_vault,
        receiver_public_key=KEYS[to], token=token, amount=amount, nonce=nonce,
        expiration_timestamp=expiration, condition=condition, **fee_fields)
    tx["signature"] = sign(PRIVATE_KEYS[who], h).to_json()
    return tx
