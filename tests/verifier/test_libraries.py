"""The Solidity field, channel and Merkle libraries against the Python prover's modules."""
from hypothesis import given, settings, strategies as st

from offchain.prover.channel import Channel
from offchain.prover.field import P, inv, root_of_unity
from offchain.prover.merkle import MerkleTree, verify_row

felts = st.integers(min_value=1, max_value=P - 1)


@settings(max_examples=10, deadline=None)
@given(a=felts, b=felts)
def test_field_ops_match(harness, a, b):
    assert harness.fieldOps(a, b) == ((a + b) % P, (a - b) % P, a * b % P, inv(a), pow(a, b, P))


def test_roots_of_unity_and_batch_inverse(harness):
    for log_n in (0, 1, 2, 3, 10, 32, 192):
        assert harness.rootOfUnity(log_n) == root_of_unity(log_n)
    values = [3, P - 1, 12345678901234567890, 2**250]
    assert list(harness.batchInverse(values)) == [inv(v) for v in values]


@settings(max_examples=8, deadline=None)
@given(
    seed=st.lists(st.integers(min_value=0, max_value=2**256 - 1), min_size=0, max_size=6),
    words=st.lists(st.integers(min_value=0, max_value=2**256 - 1), min_size=0, max_size=5),
    n_felts=st.integers(min_value=0, max_value=4),
    log_domain=st.integers(min_value=3, max_value=20),
    nonce=st.integers(min_value=0, max_value=2**64 - 1),
)
def test_channel_matches_python(harness, seed, words, n_felts, log_domain, nonce):
    domain = 1 << log_domain
    n_queries = min(4, domain // 2)
    ch = Channel(seed)
    ch.absorb(words)
    state = ch.state
    drawn = ch.draw_felts(n_felts)
    queries = ch.draw_queries(n_queries, domain)
    bits = 3
    pow_ok = ch.pow_ok(nonce, bits)
    got = harness.channelScript(seed, words, n_felts, n_queries, domain, nonce, bits)
    assert got[0] == state
    assert list(got[1]) == drawn
    assert list(got[2]) == queries
    assert got[3] == pow_ok


def test_pow_nonce_from_grinding_is_accepted(harness):
    ch = Channel([1, 2, 3])
    ch.absorb([])
    bits = 10
    nonce = ch.grind(bits)
    assert harness.channelScript([1, 2, 3], [], 0, 0, 8, nonce, bits)[3]
    # The nonce before the smallest valid one is invalid by construction.
    if nonce:
        assert not harness.channelScript([1, 2, 3], [], 0, 0, 8, nonce - 1, bits)[3]


def test_merkle_paths(harness):
    columns = [[(i * 7 + c) % P for i in range(16)] for c in range(3)]
    tree = MerkleTree.from_columns(columns)
    for index in (0, 5, 15):
        row = [col[index] for col in columns]
        path = [int.from_bytes(h, "big") for h in tree.path(index)]
        assert harness.verifyRow(tree.root, index, row, path, 4)
        assert verify_row(tree.root, index, row, tree.path(index), 4)
        assert not harness.verifyRow(tree.root, index ^ 1, row, path, 4)
        assert not harness.verifyRow(tree.root, index, [row[0] + 1, *row[1:]], path, 4)
        assert not harness.verifyRow(tree.root, index, row, path[:-1], 3)
        assert not harness.verifyRow(tree.root, index + 16, row, path, 4)
