"""Merkle trees and the Fiat-Shamir channel, checked against eth_utils.keccak."""
import pytest
from eth_utils import keccak

from offchain.prover.channel import Channel
from offchain.prover.field import P
from offchain.prover.kernels import hash_rows, keccak256
from offchain.prover.merkle import MerkleTree, hash_row, root_from_path, verify_row


def word(v: int) -> bytes:
    return v.to_bytes(32, "big")


def test_keccak_is_ethereum_keccak():
    assert keccak256(b"") == keccak(b"")
    assert keccak256(b"abc" * 50) == keccak(b"abc" * 50)


def test_leaf_and_root_conventions():
    columns = [[1, 2, 3, 4], [5, 6, 7, P - 1]]
    leaves = [keccak(word(a) + word(b)) for a, b in zip(*columns)]
    assert hash_rows(columns) == leaves
    assert hash_row([1, 5]) == leaves[0]
    root = keccak(keccak(leaves[0] + leaves[1]) + keccak(leaves[2] + leaves[3]))
    assert MerkleTree.from_columns(columns).root == root


def test_paths_verify_and_tampering_fails():
    columns = [list(range(16)), [v * v for v in range(16)]]
    tree = MerkleTree.from_columns(columns)
    assert tree.depth == 4
    for i in range(16):
        row = [columns[0][i], columns[1][i]]
        path = tree.path(i)
        assert verify_row(tree.root, i, row, path, 4)
        assert root_from_path(hash_row(row), i, path) == tree.root
        assert not verify_row(tree.root, i ^ 1, row, path, 4)
        assert not verify_row(tree.root, i, [row[0], row[1] + 1], path, 4)
        assert not verify_row(tree.root, i, row, path[:-1], 4)
        bad = list(path)
        bad[2] = bytes(32)
        assert not verify_row(tree.root, i, row, bad, 4)
    assert not verify_row(tree.root, 16, [0, 0], tree.path(0), 4)


def test_channel_is_deterministic_and_absorbs():
    a, b = Channel([1, 2]), Channel([1, 2])
    assert a.state == keccak(word(1) + word(2))
    assert a.draw_word() == int.from_bytes(keccak(a.state + word(0)), "big")
    assert b.draw_felt() == int.from_bytes(keccak(b.state + word(0)), "big") % P
    a.absorb([3])
    b.absorb([4])
    assert a.draw_felt() != b.draw_felt()
    assert a.counter == 1


def test_draw_queries_are_distinct_and_in_range():
    ch = Channel([9])
    qs = ch.draw_queries(60, 128)
    assert len(set(qs)) == 60 and all(0 <= q < 128 for q in qs)
    with pytest.raises(ValueError):
        ch.draw_queries(65, 128)


@pytest.mark.parametrize("bits", [0, 1, 8, 12])
def test_grinding(bits):
    ch = Channel([bits])
    nonce = ch.grind(bits)
    assert ch.pow_ok(nonce, bits)
    digest = keccak(ch.state + nonce.to_bytes(8, "big"))
    assert int.from_bytes(digest, "big") < 1 << (256 - bits)
    # every smaller nonce fails, so grind really searched
    assert not any(ch.pow_ok(k, bits) for k in range(nonce))
