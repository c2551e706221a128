"""Stark keys and their derivations against StarkWare's public test vectors
(starkware-libs/starkware-crypto-utils, test/js/key_derivation.spec.ts and
src/config/keys_precomputed.json; the same in starkex-resources' key_derivation_test.js)."""
import hashlib

import pytest
from eth_account import Account
from eth_account.messages import encode_defunct

from offchain.client.keys import (GRIND_LIMIT, InvalidKey, StarkKeyPair, account_path, grind_key,
                                  key_derivation_message, key_pair_from_eth_signature, key_pair_from_mnemonic,
                                  private_key_from_eth_signature)
from offchain.crypto.constants import EC_ORDER

MNEMONIC = ("range mountain blast problem vibrant void vivid doctor cluster enough melody salt layer language "
            "laptop boat major space monkey unit glimpse pause change vibrant")
ETH_ADDRESS = "0xa4864d977b944315389d1765ffa7e66F74ee8cd7"
PATH_KEYS = {0: 0x06cf0a8bf113352eb863157a45c5e5567abb34f8d32cddafd2c22aa803f4892c,
             7: 0x0341751bdc42841da35ab74d13a1372c1f0250617e8a2ef96034d9f46e6847af,
             598: 0x041a4d591a868353d28b7947eb132aa4d00c4a022743689ffd20a3628d6ca28c}
ETH_SIGNATURE = ("0x21fbf0696d5e0aa2ef41a2b4ffb623bcaf070461d61cf7251c74161f82fec3a43"
                 "70854bc0a34b3ab487c1bc021cd318c734c51ae29374f2beb0e6f2dd49b4bf41c")
PUBLIC_KEYS = {  # a sample of keys_precomputed.json, small and large private keys
    0x1: 0x1ef15c18599971b7beced415a40f0c7deacfd9b0d1819e03d723d8bc943cfca,
    0x2: 0x759ca09377679ecd535a81e83039658bf40959283187c654c5416f439403cf5,
    0x9: 0x216b4f076ff47e03a05032d1c6ee17933d8de8b2b4c43eb5ad5a7e1b25d3849,
    0x800000000000000000000000000000000000000000000000000000000000000: 0x5c79074e7f7b834c12c81a9bb0d46691a5e7517767a849d9d98cb84e2176ed2,
    0x800000000000000000000000000000000000000000000000000000000000009: 0x7a5b4797f4e56ed1473876bc2693fbe3f2fef7e050717cbae924ff23d426052,
    0x2e9c99d8382fa004dcbbee720aef8a97002de0e991f6a8344e6dc636a71b59e: 0x1ff6803ae740e7e596504ac5c6afbea472e53679361e214f12be0155b13e25d,
    0x7eae185e1f41ec76d214d763f0592f194933622a9dd5f3d52d0209f71619c1a: 0x2b0160052e70176e5b0ff2a6eff90896ae07b732fc27219e36e077735abd57e,
}


def test_key_from_eth_signature():
    assert private_key_from_eth_signature(ETH_SIGNATURE) == 0x766f11e90cd7c7b43085b56da35c781f8c067ac0d578eabdceebc4886435bda


def test_grind_key():
    seed = bytes.fromhex("86F3E7293141F20A8BAFF320E8EE4ACCB9D4A4BF2B4D295E8CEE784DB46E0519")
    assert grind_key(seed) == 0x5c8c8683596c732541a59e03007b2d30dbbbb873556fe65b5fb63c16688f941


@pytest.mark.parametrize("index", sorted(PATH_KEYS))
def test_key_from_mnemonic_and_path(index):
    path = account_path("starkex", "starkdeployement", ETH_ADDRESS, index)
    assert key_pair_from_mnemonic(MNEMONIC, path).private_key == PATH_KEYS[index]


@pytest.mark.parametrize("private_key", sorted(PUBLIC_KEYS))
def test_public_key(private_key):
    assert StarkKeyPair.from_private_key(private_key).public_key == PUBLIC_KEYS[private_key]


def test_grinding_skips_digests_above_the_limit():
    """A seed whose first digest lands at or above the limit must take the next index: found by
    search, so the loop's second branch is exercised, not assumed."""
    seed = next(s for s in (i.to_bytes(4, "big") for i in range(1_000_000))
                if int.from_bytes(hashlib.sha256(s + b"\x00").digest(), "big") >= GRIND_LIMIT)
    second = int.from_bytes(hashlib.sha256(seed + b"\x01").digest(), "big")
    assert second < GRIND_LIMIT  # the limit rejects ~1 in 16 digests: two in a row would be a surprise here
    assert grind_key(seed) == second % EC_ORDER


def test_wallet_signature_gives_the_same_key_each_time():
    """A wallet (RFC 6979 secp256k1, as eth-account and every Ethereum wallet sign) signing the
    exchange's derivation message twice gets one key; another chain's message gives another."""
    wallet = Account.from_key(b"\x11" * 32)
    message = encode_defunct(text=key_derivation_message("starkex-rollup", 31337))
    first = key_pair_from_eth_signature(bytes(wallet.sign_message(message).signature))
    again = key_pair_from_eth_signature(wallet.sign_message(message).signature.hex())
    assert first == again
    other = encode_defunct(text=key_derivation_message("starkex-rollup", 1))
    assert key_pair_from_eth_signature(bytes(wallet.sign_message(other).signature)) != first


@pytest.mark.parametrize("bad", ["0x1234", "zz" * 65, "0x" + "00" * 64])
def test_malformed_signature_is_refused(bad):
    with pytest.raises(InvalidKey):
        private_key_from_eth_signature(bad)


@pytest.mark.parametrize("private_key", [0, EC_ORDER, EC_ORDER + 1, -1])
def test_private_key_out_of_range(private_key):
    with pytest.raises(InvalidKey):
        StarkKeyPair.from_private_key(private_key)


def test_key_file_round_trip_and_tamper():
    pair = StarkKeyPair.generate()
    assert StarkKeyPair.from_json(pair.to_json()) == pair
    with pytest.raises(InvalidKey):
        StarkKeyPair.from_json({**pair.to_json(), "public_key": hex(PUBLIC_KEYS[1])})
