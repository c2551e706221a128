import ape
import fast_stark_crypto as fsc
from hypothesis import given, settings, HealthCheck, strategies as st

PRIME = 2**251 + 17 * 2**192 + 1


def test_matches_fast_stark_crypto_on_edges(escape_verifier):
    for a, b in [(0, 0), (1, 2), (PRIME - 1, PRIME - 1), (2**248, 2**248 - 1), (2**251, 7)]:
        assert escape_verifier.pedersenHash(a, b) == fsc.pedersen_hash(a, b)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, PRIME - 1), st.integers(0, PRIME - 1))
def test_matches_fast_stark_crypto(escape_verifier, a, b):
    assert escape_verifier.pedersenHash(a, b) == fsc.pedersen_hash(a, b)


def test_rejects_inputs_outside_the_field(escape_verifier):
    with ape.reverts(escape_verifier.PedersenInputOutOfField):
        escape_verifier.pedersenHash(PRIME, 0)
    with ape.reverts(escape_verifier.PedersenInputOutOfField):
        escape_verifier.pedersenHash(0, PRIME)
