"""Our crypto layer agrees with cairo-lang's reference implementation of the Stark curve."""
from starkware.crypto.signature import signature as reference

from offchain.crypto import constants
from offchain.crypto.pedersen import hash_array, pedersen, pedersen_chain
from offchain.crypto.signature import Signature, private_to_public_key, sign, verify


def test_constants_match_cairo_lang():
    assert constants.FIELD_PRIME == reference.FIELD_PRIME
    assert (constants.ALPHA, constants.BETA) == (reference.ALPHA, reference.BETA)
    assert constants.EC_ORDER == reference.EC_ORDER
    assert constants.GENERATOR == tuple(reference.EC_GEN)


def test_pedersen_matches_cairo_lang():
    for a, b in [(0, 0), (1, 2), (constants.FIELD_PRIME - 1, 2**250 + 3)]:
        assert pedersen(a, b) == reference.pedersen_hash(a, b)
    assert pedersen_chain([1, 2, 3]) == pedersen(pedersen(pedersen(0, 1), 2), 3)
    assert hash_array([1, 2]) == reference.pedersen_hash(pedersen_chain([1, 2]), 2)


def test_signatures_cross_verify_with_cairo_lang():
    key, msg = 0x1234567, 0x3E4113FEB6C403CB0C954E5C09D239BF88FEDB075220270F44173AC3CD41858
    public = private_to_public_key(key)
    assert public == reference.private_to_stark_key(key)
    sig = sign(key, msg)
    assert reference.verify(msg, sig.r, sig.s, public)
    r, s = reference.sign(msg, key)
    assert verify(public, msg, Signature(r, s))


def test_signed_values_to_field_and_back():
    assert constants.to_field(-1) == constants.FIELD_PRIME - 1
    assert constants.from_field(constants.FIELD_PRIME - 1) == -1
    assert constants.from_field(5) == 5
