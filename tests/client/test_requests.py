"""The client's requests in StarkEx's JSON forms, through the gateway's schema and back into the
model: a withdrawal to an address and a conditional transfer with its own fee position are the
messages StarkWare's reference code hashes (tests/model/test_messages.py has its vectors)."""
import pytest

from offchain.client.keys import StarkKeyPair
from offchain.client.requests import Position, RequestSigner, to_starkex_json
from offchain.crypto import messages
from offchain.crypto.signature import verify
from offchain.perpetual.schemas import InvalidInput, canonical_tx
from offchain.perpetual.transactions import transaction_from_json

KEYS = StarkKeyPair.from_private_key(0xA11CE)
SIGNER = RequestSigner(Position(KEYS, 11), collateral_asset_id=0x1)
PAYEE = "0x00000000000000000000000000000000C0FFEE01"


def test_withdrawal_to_address_in_starkex_form():
    request = SIGNER.withdrawal_to_address(amount=700, eth_address=PAYEE, nonce=9, expiration=500_000)
    body = to_starkex_json(request)
    assert body["type"] == "WITHDRAWAL_TO_ADDRESS" and body["eth_address"] == hex(int(PAYEE, 16))
    assert transaction_from_json(canonical_tx(body)) == request
    msg = messages.withdrawal_to_address_hash(asset_id_collateral=0x1, eth_address=int(PAYEE, 16), position_id=11,
                                              nonce=9, amount=700, expiration_timestamp=500_000)
    assert verify(KEYS.public_key, msg, request.signature)


@pytest.mark.parametrize("address", ["0x0", hex(2**160), hex(2**160 + 1)])
def test_the_schema_refuses_what_l1_would_not_pay(address):
    body = to_starkex_json(SIGNER.withdrawal_to_address(amount=1, eth_address=PAYEE, nonce=9, expiration=500_000))
    with pytest.raises(InvalidInput) as refused:
        canonical_tx({**body, "eth_address": address})
    assert refused.value.code == "MALFORMED_TRANSACTION" and "eth_address" in refused.value.message


def test_conditional_transfer_carries_its_fee_position():
    request = SIGNER.conditional_transfer(receiver_public_key=KEYS.public_key, receiver_position_id=12, amount=5,
                                          fact_registry_address=0x1234, fact=0x5678, src_fee_position_id=3,
                                          nonce=1, expiration=500_000)
    body = to_starkex_json(request)
    assert body["src_fee_position_id"] == "3"
    assert transaction_from_json(canonical_tx(body)) == request
    # A client that does not name it signs, and is stored with, the sender's position.
    del body["src_fee_position_id"]
    assert canonical_tx(body)["src_fee_position_id"] == 11


def test_the_explorer_history_names_the_payee_and_not_the_signed_fee_position():
    from offchain.perpetual.feeder import _position_ids, _summary

    paid = canonical_tx(to_starkex_json(SIGNER.withdrawal_to_address(amount=700, eth_address=PAYEE, nonce=9,
                                                                      expiration=500_000)))
    assert _summary(paid, 11) == f"withdrawal of 700 collateral to {PAYEE.lower()}"
    conditional = canonical_tx(to_starkex_json(SIGNER.conditional_transfer(
        receiver_public_key=KEYS.public_key, receiver_position_id=12, amount=5, fact_registry_address=0x1234,
        fact=0x5678, src_fee_position_id=3, nonce=1, expiration=500_000)))
    assert _position_ids(conditional) == {11, 12}  # position 3 is only signed: nothing of it changes
