"""Spot message hashes against StarkWare's own test data.

starkex-resources `crypto/starkware/crypto/signature/signature_test_data.json` (Apache-2.0): its
two settlement orders verify with StarkWare's code, and here; its transfer entries give message
hashes that we reproduce, but their signatures verify nowhere (not even with StarkWare's code), so
for them we check the hash and that the listed private key signs it into a valid signature.
ECDSA nonces are RFC 6979, so signing a vector's hash with its private key must give its exact
signature.
"""
import pytest

from offchain.crypto import messages, spot_messages
from offchain.crypto.signature import Signature, private_to_public_key, sign, verify

TOKEN_A = 0x5FA3383597691EA9D827A79E1A4F0F7989C35CED18CA9619DE8AB97E661020
TOKEN_B = 0x774961C824A3B0FB3D2965F01471C9C7734BF8DBDE659E0C08DCA2EF18D56A

SETTLEMENT_ORDERS = [
    dict(order=dict(vault_id_sell=21, vault_id_buy=27, amount_sell=2154686749748910716,
                    amount_buy=1470242115489520459, token_sell=TOKEN_A, token_buy=TOKEN_B,
                    nonce=0, expiration_timestamp=438953),
         public_key=0x77A3B314DB07C45076D11F62B6F9E748A39790441823307743CF00D6597EA43,
         private_key=0x3C1E9550E66958296D11B60F8E8E7A7AD990D07FA65D5F7652C4A6C87D4E3CC,
         message_hash=0x397E76D1667C4454BFB83514E120583AF836F8E32A516765497823EABE16A3F,
         signature=(0x173FD03D8B008EE7432977AC27D1E9D1A1F6C98B1A2F05FA84A21C84C44E882,
                    0x4B6D75385AED025AA222F28A0ADC6D58DB78FF17E51C3F59E259B131CD5A1CC)),
    dict(order=dict(vault_id_sell=221, vault_id_buy=227, amount_sell=14702421154895,
                    amount_buy=21546867497489, token_sell=TOKEN_B, token_buy=TOKEN_A,
                    nonce=1, expiration_timestamp=468963),
         public_key=0x3D8A9687C613B2BE32B55C5C0460E012B592E2FBBB4FC281FB87B0D8C441B3E,
         private_key=0x4C1E9550E66958296D11B60F8E8E7A7AD990D07FA65D5F7652C4A6C87D4E3CC,
         message_hash=0x6ADB14408452EDE28B89F40CA1847ECA4DE6A2DD6EB2C7D6DC5584F9399586,
         signature=(0x2EE2B8927122F93DD5FC07A11980F0FAB4C8358E5D1306BFEE5E095355D2AD0,
                    0x64D393473AF2EBAB736C579AD511BF439263E4740F9AD299498BDA2E75B0E9)),
]

TRANSFER = dict(sender_vault_id=34, receiver_vault_id=21,
                receiver_public_key=0x5FA3383597691EA9D827A79E1A4F0F7949435CED18CA9619DE8AB97E661020,
                token=0x3003A65651D3B9FB2EFF934A4416DB301AFD112A8492AAF8D7297FC87DCD9F4,
                amount=2154549703648910716, nonce=1, expiration_timestamp=438953)
TRANSFER_PRIVATE_KEY = 0x7CC2767A160D4EA112B436DC6F79024DB70B26B11ED7AA2CB6D7EEF19ACE703
TRANSFER_PUBLIC_KEY = 0x59A543D42BCC9475917247FA7F136298BB385A6388C3DF7309955FCB39B8DD4
TRANSFER_SIGNATURE = Signature(0x735FFFA9BF371CA294C5F74C15B434684CFE7E9E0500E6A59589EF05C1FCE13,
                               0x1DDC49993AD678E2B5B80FB0E22A077B136353514F60EDC3C2FC77D59DBD93E)
CONDITION = 0x318FF6D26CF3175C77668CD6434AB34D31E59F806A6A7C06D08215BCCB7EAF8


@pytest.mark.parametrize("vector", SETTLEMENT_ORDERS, ids=["party_a", "party_b"])
def test_starkware_settlement_orders_validate(vector):
    h = spot_messages.limit_order_hash(**vector["order"])
    assert h == vector["message_hash"]
    assert private_to_public_key(vector["private_key"]) == vector["public_key"]
    signature = Signature(*vector["signature"])
    assert verify(vector["public_key"], h, signature)
    assert sign(vector["private_key"], h) == signature


def test_settlement_orders_match_each_other():
    a, b = (v["order"] for v in SETTLEMENT_ORDERS)
    assert (a["token_sell"], a["token_buy"]) == (b["token_buy"], b["token_sell"])


@pytest.mark.parametrize("condition,message_hash", [
    (0, 0x6366B00C218FB4C8A8B142CA482145E8513C78E00FAA0DE76298BA14FC37AE7),
    (CONDITION, 0xFA5F0AD1EBFF93C9E6474379A213BA1E1F9E42F5F1CB361B0327E073720384),
], ids=["transfer", "conditional_transfer"])
def test_starkware_transfer_hashes(condition, message_hash):
    h = spot_messages.transfer_hash(**TRANSFER, condition=condition)
    assert h == message_hash
    assert private_to_public_key(TRANSFER_PRIVATE_KEY) == TRANSFER_PUBLIC_KEY
    # The published signature is not one of this hash (it verifies with no code, StarkWare's
    # included); the key signs the hash into one that does.
    assert not verify(TRANSFER_PUBLIC_KEY, h, TRANSFER_SIGNATURE)
    assert verify(TRANSFER_PUBLIC_KEY, h, sign(TRANSFER_PRIVATE_KEY, h))


def test_fee_formats_are_the_shared_with_fees_layouts():
    """With a fee, Spot signs StarkEx's type 3/4/5 words: the Perpetual layouts (pinned by the
    dYdX vectors in tests/model/test_messages.py) with the vault ids apart."""
    order = dict(vault_id_sell=2**63 + 5, vault_id_buy=7, amount_sell=10, amount_buy=20,
                 token_sell=TOKEN_A, token_buy=TOKEN_B, nonce=3, expiration_timestamp=438953)
    with_fee = spot_messages.limit_order_hash(**order, fee_token_id=TOKEN_A, fee_limit=4,
                                              fee_source_vault_id=9)
    assert with_fee == messages.limit_order_with_fees_hash(
        asset_id_sell=TOKEN_A, asset_id_buy=TOKEN_B, asset_id_fee=TOKEN_A, amount_sell=10,
        amount_buy=20, amount_fee=4, nonce=3, vault_id_fee=9, vault_id_sell=2**63 + 5,
        vault_id_buy=7, expiration_timestamp=438953)
    # Perpetual's order is the same layout with every vault the position.
    assert messages.limit_order_hash(
        asset_id_synthetic=TOKEN_B, asset_id_collateral=TOKEN_A, amount_synthetic=20,
        amount_collateral=10, amount_fee=4, is_buying_synthetic=True, position_id=9, nonce=3,
        expiration_timestamp=438953) == spot_messages.limit_order_hash(
            **{**order, "vault_id_sell": 9, "vault_id_buy": 9}, fee_token_id=TOKEN_A,
            fee_limit=4, fee_source_vault_id=9)
    plain = dict(TRANSFER, sender_vault_id=34)
    t4 = spot_messages.transfer_hash(**plain, fee_token_id=TOKEN_B, fee_limit=5,
                                     fee_source_vault_id=35)
    t5 = spot_messages.transfer_hash(**plain, condition=CONDITION, fee_token_id=TOKEN_B,
                                     fee_limit=5, fee_source_vault_id=35)
    assert len({t4, t5, spot_messages.transfer_hash(**plain)}) == 3


@pytest.mark.parametrize("field,value", [
    ("vault_id_sell", 2**31), ("amount_buy", 2**63), ("nonce", 2**31),
    ("expiration_timestamp", 2**22),
])
def test_31_bit_format_refuses_fields_that_do_not_fit(field, value):
    order = dict(SETTLEMENT_ORDERS[0]["order"], **{field: value})
    with pytest.raises(ValueError):
        spot_messages.limit_order_hash(**order)
