"""The sparse Merkle tree against a naive full tree, and the position leaf hash."""
import random

import pytest

from offchain.crypto.pedersen import pedersen
from offchain.perpetual.merkle import SparseMerkleTree, root_from_path
from offchain.perpetual.position import EMPTY_POSITION_HASH, Position, PositionAsset


def naive_levels(height: int, leaves: dict[int, int], empty: int) -> list[list[int]]:
    level = [leaves.get(i, empty) for i in range(2**height)]
    levels = [level]
    while len(level) > 1:
        level = [pedersen(level[i], level[i + 1]) for i in range(0, len(level), 2)]
        levels.append(level)
    return levels


@pytest.mark.parametrize("height", [0, 1, 3, 4])
def test_matches_naive_tree(height):
    rng = random.Random(height)
    leaves = {rng.randrange(2**height): rng.randrange(2**250) for _ in range(2**height // 2 + 1)}
    empty = 12345
    tree = SparseMerkleTree(height, empty, leaves)
    levels = naive_levels(height, leaves, empty)
    assert tree.root == levels[-1][0]
    for index in range(2**height):
        path = tree.authentication_path(index)
        assert path == [levels[k][(index >> k) ^ 1] for k in range(height)]
        assert root_from_path(levels[0][index], index, path) == tree.root


def test_incremental_updates_match_rebuild():
    rng = random.Random(7)
    tree = SparseMerkleTree(4, 0)
    leaves = {}
    for _ in range(5):
        batch = {rng.randrange(16): rng.randrange(1000) for _ in range(4)}
        tree.update(batch)
        leaves.update(batch)
        assert tree.root == naive_levels(4, leaves, 0)[-1][0]
    # Resetting every leaf to the empty value gives the empty tree back, with nothing stored.
    tree.update({i: 0 for i in leaves})
    assert tree.root == SparseMerkleTree(4, 0).root
    assert all(not level for level in tree._levels)


def test_height_64_paths_verify():
    ids = [0, 1, 2**63, 2**64 - 1, 123456789]
    tree = SparseMerkleTree(64, EMPTY_POSITION_HASH, {i: i + 7 for i in ids})
    for i in ids:
        assert root_from_path(i + 7, i, tree.authentication_path(i)) == tree.root
        assert root_from_path(i + 8, i, tree.authentication_path(i)) != tree.root
    assert tree.defaults[64] == SparseMerkleTree(64, EMPTY_POSITION_HASH).root
    with pytest.raises(ValueError):
        tree.update({2**64: 1})


def test_position_leaf_hash_layout():
    key = 0xABC
    p = Position(public_key=key, collateral_balance=-5, assets={
        9: PositionAsset(balance=-3, cached_funding_index=-2),
        4: PositionAsset(balance=10, cached_funding_index=7)})
    bias = 2**63
    h = pedersen(0, 4 * 2**128 + (7 + bias) * 2**64 + (10 + bias))
    h = pedersen(h, 9 * 2**128 + (-2 + bias) * 2**64 + (-3 + bias))
    expected = pedersen(pedersen(h, key), (-5 + bias) * 2**16 + 2)
    assert p.leaf_hash() == expected
    assert EMPTY_POSITION_HASH == pedersen(pedersen(0, 0), bias * 2**16)
