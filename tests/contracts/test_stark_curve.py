"""The shared Jacobian arithmetic of Pedersen and Stark ECDSA (crypto/StarkCurve.sol) against
cairo-lang's affine reference, including the exceptional cases: doubling, the point at
infinity, and P + (-P)."""
import ape
import fast_stark_crypto as fsc
import pytest
from starkware.crypto.signature.math_utils import ec_add, ec_double, ec_mult, ec_neg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starkware.crypto.signature.signature import (
    ALPHA, BETA, EC_GEN, EC_ORDER, FIELD_PRIME, private_key_to_ec_point_on_stark_curve, verify,
)

P = EC_GEN
Q = ec_mult(123_456_789, EC_GEN, ALPHA, FIELD_PRIME)
Z = 0x1234567890ABCDEF  # a non-trivial Jacobian scale, so the projective formulas are exercised


@pytest.fixture(scope="module")
def curve(project, accounts):
    return accounts[0].deploy(project.StarkCurveHarness)


def _point(result) -> tuple[int, int] | None:
    x, y, at_infinity = result
    return None if at_infinity else (x, y)


def test_generic_addition_and_doubling_match_cairo_lang(curve):
    assert _point(curve.addAffine(*P, Z, *Q, False)) == ec_add(P, Q, FIELD_PRIME)
    assert _point(curve.double(*Q, Z, False)) == ec_double(Q, ALPHA, FIELD_PRIME)


def test_exceptional_cases(curve):
    # P + P is a doubling (the incomplete formula would give z = 0).
    assert _point(curve.addAffine(*Q, Z, *Q, False)) == ec_double(Q, ALPHA, FIELD_PRIME)
    # P + (-P) is the point at infinity.
    assert _point(curve.addAffine(*Q, Z, *ec_neg(Q, FIELD_PRIME), False)) is None
    # infinity + P = P; doubling infinity stays at infinity.
    assert _point(curve.addAffine(0, 0, 0, *Q, True)) == Q
    assert _point(curve.double(0, 0, 0, True)) is None


@pytest.fixture(scope="module")
def ecdsa(project, accounts):
    return accounts[0].deploy(project.StarkEcdsaHarness)


def _signed(private_key: int, msg_hash: int):
    r, s = fsc.sign(private_key, msg_hash)
    x, y = private_key_to_ec_point_on_stark_curve(private_key)
    return r, s, x, y


def test_ecdsa_on_the_shared_curve_code(ecdsa):
    """Stark ECDSA runs on StarkCurve: a real signature verifies (wrong ones are refused in
    test_assets_users), and the range and curve checks the exchange cannot reach (it reduces
    hashes and checks keys first) still refuse."""
    msg_hash = 0x5678 << 200
    r, s, x, y = _signed(0x1234ABCD, msg_hash)
    assert ecdsa.verify(msg_hash, r, s, x, y)
    with ape.reverts(ecdsa.StarkMessageHashOutOfRange):
        ecdsa.verify(2**251, r, s, x, y)
    with ape.reverts(ecdsa.StarkPublicKeyNotOnCurve):
        ecdsa.verify(msg_hash, r, s, x, y + 1)
    # The key's other point (x, -y) is another key: its owner did not sign.
    with ape.reverts(ecdsa.InvalidStarkSignature):
        ecdsa.verify(msg_hash, r, s, x, FIELD_PRIME - y)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(private_key=st.integers(1, EC_ORDER - 1), msg_hash=st.integers(1, 2**251 - 1))
def test_comb_verification_agrees_with_cairo_lang_and_the_alternatives(ecdsa, private_key, msg_hash):
    """The generator's comb (u1·G in 42 doublings) gives what cairo-lang's verify gives, and what
    the two alternatives the registration benchmark measures give."""
    r, s, x, y = _signed(private_key, msg_hash)
    assert verify(msg_hash, r, s, x)
    assert ecdsa.verify(msg_hash, r, s, x, y)
    assert ecdsa.verifyWithoutComb(msg_hash, r, s, x, y)
    assert ecdsa.verifyXOnly(msg_hash, r, s, x)
    wrong = (msg_hash + 1) % 2**251
    with ape.reverts(ecdsa.InvalidStarkSignature):
        ecdsa.verify(wrong, r, s, x, y)


def test_message_hash_zero(ecdsa):
    """u1 = 0: the comb gives the point at infinity, and the sum is u2·Q alone. A valid ECDSA
    signature (fast-stark-crypto verifies it); cairo-lang's verify refuses it only because it
    mimics the Cairo ecdsa builtin, whose scalar multiplication cannot take 0."""
    r, s, x, y = _signed(0xABCDEF, 0)
    assert fsc.verify(x, 0, r, s) and not verify(0, r, s, x)
    assert ecdsa.verify(0, r, s, x, y)
