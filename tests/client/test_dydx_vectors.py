"""The client's message hashes and signatures against dydx-v3-python's (vectors/, generated once
by vectors/generate_dydx_v3.py with that package): orders, transfers, conditional transfers and
withdrawals signed by existing StarkEx client code must be byte-for-byte what ours produce."""
import json
from pathlib import Path

import pytest

from offchain.client.keys import StarkKeyPair
from offchain.client.requests import Position, RequestSigner
from offchain.crypto import messages
from offchain.crypto.signature import Signature, verify

VECTORS = json.loads((Path(__file__).parent / "vectors" / "dydx_v3_signatures.json").read_text())["vectors"]


def _int(value) -> int:
    return int(value, 16) if isinstance(value, str) else int(value)


def _signed(vector) -> tuple[int, Signature, RequestSigner, dict]:
    keys = StarkKeyPair.from_private_key(int(vector["private_key"], 16))
    assert keys.public_key == int(vector["public_key"], 16)
    fields = vector["fields"]
    collateral = _int(fields.get("asset_id_collateral", fields.get("asset_id")))
    position_id = fields.get("position_id", fields.get("sender_position_id"))
    signer = RequestSigner(Position(keys, position_id), collateral)
    expected = Signature(int(vector["signature"]["r"], 16), int(vector["signature"]["s"], 16))
    return int(vector["hash"], 16), expected, signer, fields


def test_every_kind_is_covered():
    kinds = {v["kind"] for v in VECTORS}
    assert kinds == {"limit_order", "transfer", "conditional_transfer", "withdrawal"}
    assert len(VECTORS) >= 12


@pytest.mark.parametrize("vector", [v for v in VECTORS if v["kind"] == "limit_order"],
                         ids=lambda v: f"{v['market']}-{v['side']}-{v['network_id']}")
def test_limit_order(vector):
    message_hash, expected, signer, f = _signed(vector)
    order = signer.limit_order(synthetic_asset_id=_int(f["asset_id_synthetic"]), is_buying_synthetic=f["is_buying_synthetic"],
                               amount_synthetic=f["amount_synthetic"], amount_collateral=f["amount_collateral"],
                               amount_fee=f["amount_fee"], nonce=f["nonce"], expiration=f["expiration_timestamp"])
    ours = messages.limit_order_hash(
        asset_id_synthetic=order.asset_id_synthetic, asset_id_collateral=order.asset_id_collateral,
        amount_synthetic=order.amount_synthetic, amount_collateral=order.amount_collateral, amount_fee=order.amount_fee,
        is_buying_synthetic=order.is_buying_synthetic, position_id=order.position_id, nonce=order.nonce,
        expiration_timestamp=order.expiration_timestamp)
    assert ours == message_hash
    assert order.signature == expected
    assert verify(signer.position.public_key, message_hash, order.signature)


@pytest.mark.parametrize("vector", [v for v in VECTORS if v["kind"] == "transfer"], ids=lambda v: v["fields"]["nonce"])
def test_transfer(vector):
    message_hash, expected, signer, f = _signed(vector)
    transfer = signer.transfer(receiver_public_key=_int(f["receiver_public_key"]), receiver_position_id=f["receiver_position_id"],
                               amount=f["amount"], nonce=f["nonce"], expiration=f["expiration_timestamp"])
    assert messages.transfer_hash(asset_id=transfer.asset_id, receiver_public_key=transfer.receiver_public_key,
                                  sender_position_id=transfer.sender_position_id,
                                  receiver_position_id=transfer.receiver_position_id, amount=transfer.amount,
                                  nonce=transfer.nonce, expiration_timestamp=transfer.expiration_timestamp) == message_hash
    assert transfer.signature == expected


@pytest.mark.parametrize("vector", [v for v in VECTORS if v["kind"] == "conditional_transfer"],
                         ids=lambda v: v["fields"]["nonce"])
def test_conditional_transfer(vector):
    message_hash, expected, signer, f = _signed(vector)
    registry, fact = _int(f["fact_registry_address"]), _int(f["fact"])
    assert messages.fact_to_condition(registry.to_bytes(20, "big"), fact.to_bytes(32, "big")) == _int(f["condition"])
    transfer = signer.conditional_transfer(receiver_public_key=_int(f["receiver_public_key"]),
                                           receiver_position_id=f["receiver_position_id"], amount=f["amount"],
                                           fact_registry_address=registry, fact=fact, nonce=f["nonce"],
                                           expiration=f["expiration_timestamp"])
    assert transfer.signature == expected
    assert verify(signer.position.public_key, message_hash, transfer.signature)


@pytest.mark.parametrize("vector", [v for v in VECTORS if v["kind"] == "withdrawal"], ids=lambda v: v["fields"]["nonce"])
def test_withdrawal(vector):
    message_hash, expected, signer, f = _signed(vector)
    withdrawal = signer.withdrawal(amount=f["amount"], nonce=f["nonce"], expiration=f["expiration_timestamp"])
    assert messages.withdrawal_hash(asset_id_collateral=signer.collateral_asset_id, position_id=withdrawal.position_id,
                                    nonce=withdrawal.nonce, amount=withdrawal.amount,
                                    expiration_timestamp=withdrawal.expiration_timestamp) == message_hash
    assert withdrawal.signature == expected


def test_a_changed_field_changes_the_hash():
    """The vectors would pass a client that ignored a field only if dYdX ignored it too: flip
    each packed field of one withdrawal and the hash must move."""
    vector = next(v for v in VECTORS if v["kind"] == "withdrawal")
    f = vector["fields"]
    base = dict(asset_id_collateral=_int(f["asset_id_collateral"]), position_id=f["position_id"], nonce=f["nonce"],
                amount=f["amount"], expiration_timestamp=f["expiration_timestamp"])
    assert messages.withdrawal_hash(**base) == int(vector["hash"], 16)
    for name in base:
        assert messages.withdrawal_hash(**{**base, name: base[name] + 1}) != int(vector["hash"], 16), name
