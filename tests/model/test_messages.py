"""Message hashes against published client test vectors (dydx-v3-python, starkex-lib).

The vectors are signatures: StarkEx ECDSA derives k by RFC 6979 from (key, message), so equal
signatures mean equal message hashes.
"""
import hashlib
import math

import pytest

from offchain.crypto import messages
from offchain.crypto.signature import Signature, private_to_public_key, sign, verify

DYDX_PRIVATE_KEY = 0x58C7D5A90B1776BDE86EBAC077E053ED85B0F7164F53B080304A531947F46E3
DYDX_PUBLIC_KEY = 0x3B865A18323B8D147A12C556BFB1D502516C325B1477A23BA6C77AF31F020FD
# dYdX's collateral (USDC) asset id on Ropsten, the network of the vectors.
ROPSTEN_USDC = 0x02C04D8B650F44092278A7CB1E1028C82025DFF622DB96C934B611B84CC8DE5A
ETH_SYNTHETIC = 0x4554482D3900000000000000000000
RECEIVER_KEY = 0x05135EF87716B0FAECEC3BA672D145A6DAAD0AA46437C365D490022115ABA674
# ceil(2020-09-17T04:15:55.028Z / 1 hour)
EXPIRATION_HOURS = math.ceil(1600316155.028 / 3600)


def client_nonce(client_id: str) -> int:
    return int(hashlib.sha256(client_id.encode()).hexdigest(), 16) % 2**32


def assert_signs_to(msg_hash: int, r: int, s: int, private_key: int = DYDX_PRIVATE_KEY):
    assert sign(private_key, msg_hash) == Signature(r, s)
    assert verify(private_to_public_key(private_key), msg_hash, Signature(r, s))


def test_public_key_from_private_key():
    assert private_to_public_key(DYDX_PRIVATE_KEY) == DYDX_PUBLIC_KEY
    assert EXPIRATION_HOURS == 444533


def test_limit_order_vector():
    h = messages.limit_order_hash(
        asset_id_synthetic=ETH_SYNTHETIC, asset_id_collateral=ROPSTEN_USDC,
        amount_synthetic=145000500000, amount_collateral=50750272151, amount_fee=6343784019,
        is_buying_synthetic=True, position_id=12345,
        nonce=client_nonce("This is an ID that the client came up with to describe this order"),
        expiration_timestamp=EXPIRATION_HOURS + 168)
    assert_signs_to(h, 0x00CECBE513ECDBF782CD02B2A5EFB03E58D5F63D15F2B840E9BC0029AF04E8DD,
                    0x0090B822B16F50B2120E4EA9852B340F7936FF6069D02ACCA02F2ED03029ACE5)


def test_transfer_vector():
    h = messages.transfer_hash(
        asset_id=ROPSTEN_USDC, receiver_public_key=RECEIVER_KEY, sender_position_id=12345,
        receiver_position_id=67890, amount=49478023,
        nonce=client_nonce("This is an ID that the client came up with to describe this transfer"),
        expiration_timestamp=EXPIRATION_HOURS)
    assert_signs_to(h, 0x06B72146028A7F0092557A3A04E9916BD4AE1FBA0A4BD92670EF80E2293F7386,
                    0x04C0918A7A8E622E463D40F24984C23FD8BAB2CD32980676BA666F55C6EFEAF3)


def test_conditional_transfer_vector():
    condition = messages.fact_to_condition("0x" + "12aa" * 10, bytes.fromhex("12ff" * 16))
    h = messages.conditional_transfer_hash(
        condition=condition,
        asset_id=ROPSTEN_USDC, receiver_public_key=RECEIVER_KEY, sender_position_id=12345,
        receiver_position_id=67890, amount=49478023,
        nonce=client_nonce("This is an ID that the client came up with to describe this transfer"),
        expiration_timestamp=EXPIRATION_HOURS)
    assert_signs_to(h, 0x04814C5D3501863134108802CAB5D12DF4B959654332103B837252549D24E9A6,
                    0x06BC01225E9F1690B08B63DE2A3B179FB2927D4564B3440BBB0DA4C37CAF597E)


def test_conditional_transfer_with_another_fee_position_starkware_vector():
    # starkware-libs/stark-perpetual, src/services/perpetual/public/
    # perpetual_messages_precomputed.json ("conditional_transfer"): the hash of
    # get_conditional_transfer_msg, whose fee position (3) is neither party's.
    h = messages.conditional_transfer_hash(
        asset_id=1, asset_id_fee=0, receiver_public_key=1, condition=4, sender_position_id=1,
        receiver_position_id=2, src_fee_position_id=3, nonce=10, amount=1001, max_amount_fee=10,
        expiration_timestamp=112)
    assert h == 0x2528152BFB0F1D091385C710B47D7688C3B55645E8F3132AD1E203193E8F521
    # The fee position is signed: the sender's in its place is another message.
    assert h != messages.conditional_transfer_hash(
        asset_id=1, asset_id_fee=0, receiver_public_key=1, condition=4, sender_position_id=1,
        receiver_position_id=2, nonce=10, amount=1001, max_amount_fee=10, expiration_timestamp=112)


def test_transfer_starkware_vector():
    # The same file's "transfer" entry (fee position = sender, max fee 10).
    h = messages.transfer_hash(
        asset_id=1, asset_id_fee=0, receiver_public_key=1, sender_position_id=1,
        receiver_position_id=1, src_fee_position_id=1, nonce=0, amount=1000, max_amount_fee=10,
        expiration_timestamp=100)
    assert h == 0x372AA6E519559B48B02A29EEAFED55DAA9CA8462153FD22D29F41D6FAB10171


def test_withdrawal_vector():
    h = messages.withdrawal_hash(
        asset_id_collateral=ROPSTEN_USDC, position_id=12345,
        nonce=client_nonce(
            "This is an ID that the client came up with to describe this withdrawal"),
        amount=49478023, expiration_timestamp=EXPIRATION_HOURS)
    assert_signs_to(h, 0x05E48C33F8205A5359C95F1BD7385C1C1F587E338A514298C07634C0B6C952BA,
                    0x0687D6980502A5D7FA84EF6FDC00104DB22C43C7FB83E88CA84F19FAA9EE3DE1)


def test_withdrawal_to_address_starkware_vector():
    # starkware-libs/stark-perpetual, perpetual_messages_precomputed.json ("withdrawal_to_address").
    h = messages.withdrawal_to_address_hash(
        asset_id_collateral=1, eth_address=0x123, position_id=10, nonce=0, amount=1000,
        expiration_timestamp=100)
    assert h == 0x420BF51648029B6A040C425D718016D7B1EA706F59752D9A6E275705519FF59
    # The same file's "withdrawal" entry: the same fields with type 6 and no address.
    assert messages.withdrawal_hash(asset_id_collateral=1, position_id=10, nonce=0, amount=1000,
                                    expiration_timestamp=100) == \
        0x6FBDEABB5EE89169DF22D8DB706F33AE7676B215803FE78645A968774DC7F62
    with pytest.raises(ValueError, match="160 bits"):
        messages.withdrawal_to_address_hash(asset_id_collateral=1, eth_address=2**160, position_id=10,
                                            nonce=0, amount=1000, expiration_timestamp=100)


def test_oracle_price_vector():
    asset_name = int.from_bytes(b"BTCUSD".ljust(16, b"\0"), "big")
    oracle_name = int.from_bytes(b"Maker", "big")
    signed_asset_id = messages.signed_asset_id(asset_name, oracle_name)
    assert signed_asset_id == 0x425443555344000000000000000000004D616B6572
    h = messages.oracle_price_hash(signed_asset_id=signed_asset_id,
                                   external_price=11512340000000000000000,
                                   timestamp=1577836800)  # 2020-01-01T00:00:00Z
    assert h == 0x3E4113FEB6C403CB0C954E5C09D239BF88FEDB075220270F44173AC3CD41858
    assert_signs_to(h, 0x6A7A118A6FA508C4F0EB77EA0EFBC8D48A64D4A570D93F5C61CD886877CB920,
                    0x6DE9006A7BBF610D583D514951C98D15B1A0F6C78846986491D2C8CA049FD55,
                    private_key=0x178047D3869489C055D7EA54C014FFB834A069C9595186ABE04EA4D1223A03F)


def test_fields_out_of_range_are_refused():
    with pytest.raises(ValueError):
        messages.withdrawal_hash(asset_id_collateral=1, position_id=1, nonce=2**32, amount=1,
                                 expiration_timestamp=1)
    with pytest.raises(ValueError):
        messages.transfer_hash(asset_id=1, receiver_public_key=1, sender_position_id=1,
                               receiver_position_id=2, amount=2**64, nonce=1,
                               expiration_timestamp=1)


def test_order_id_is_top_64_bits():
    h = messages.withdrawal_hash(asset_id_collateral=1, position_id=1, nonce=1, amount=1,
                                 expiration_timestamp=1)
    assert h < 2**251
    assert messages.order_id(h) < 2**64
    assert messages.order_id(h) == h // 2**187


def test_tampered_signature_fails():
    h = messages.withdrawal_hash(asset_id_collateral=1, position_id=1, nonce=1, amount=1,
                                 expiration_timestamp=1)
    sig = sign(DYDX_PRIVATE_KEY, h)
    assert verify(DYDX_PUBLIC_KEY, h, sig)
    assert not verify(DYDX_PUBLIC_KEY, h + 1, sig)
    assert not verify(DYDX_PUBLIC_KEY, h, Signature(sig.r, sig.s + 1))
    assert not verify(RECEIVER_KEY, h, sig)
