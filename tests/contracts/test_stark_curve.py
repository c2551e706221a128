"""The shared Jacobian arithmetic of Pedersen and Stark ECDSA (escape/StarkCurve.sol) against
cairo-lang's affine reference, including the exceptional cases: doubling, the point at
infinity, and P + (-P)."""
import ape
import fast_stark_crypto as fsc
import pytest
from starkware.crypto.signature.math_utils import ec_add, ec_double, ec_mult, ec_neg
from starkware.crypto.signature.signature import ALPHA, BETA, EC_GEN, FIELD_PRIME

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


def test_ecdsa_on_the_shared_curve_code(ecdsa):
    """Stark ECDSA runs on StarkCurve: a real signature verifies (wrong ones are refused in
    test_assets_users), and the range and curve checks the exchange cannot reach (it reduces
    hashes and checks keys first) still refuse."""
    private_key, msg_hash = 0x1234ABCD, 0x5678 << 200
    r, s = fsc.sign(private_key, msg_hash)
    public_key = fsc.get_public_key(private_key)
    assert ecdsa.verify(msg_hash, r, s, public_key)
    with ape.reverts(ecdsa.StarkMessageHashOutOfRange):
        ecdsa.verify(2**251, r, s, public_key)
    not_on_curve = next(x for x in range(2, 100) if not _on_curve(x))
    with ape.reverts(ecdsa.StarkPublicKeyNotOnCurve):
        ecdsa.verify(msg_hash, r, s, not_on_curve)


def _on_curve(x: int) -> bool:
    rhs = (x**3 + x + BETA) % FIELD_PRIME
    return pow(rhs, (FIELD_PRIME - 1) // 2, FIELD_PRIME) in (0, 1)
