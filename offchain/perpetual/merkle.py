"""A sparse Pedersen Merkle tree of height up to 64.

Only nodes that differ from the empty tree are stored; the hash of an empty subtree of each
height is precomputed. Node = H(left, right); the root sits at level `height`, leaves at 0.
"""
from __future__ import annotations

from typing import Iterable, Mapping

from offchain.crypto.pedersen import pedersen


def empty_subtree_hashes(height: int, empty_leaf: int) -> list[int]:
    """defaults[k] = root of an all-empty subtree of height k."""
    defaults = [empty_leaf]
    for _ in range(height):
        defaults.append(pedersen(defaults[-1], defaults[-1]))
    return defaults


class SparseMerkleTree:
    def __init__(self, height: int, empty_leaf: int = 0, leaves: Mapping[int, int] | None = None):
        if not 0 <= height <= 64:
            raise ValueError("tree height must be in [0, 64]")
        self.height = height
        self.defaults = empty_subtree_hashes(height, empty_leaf)
        # levels[k] maps an index at level k to its hash, only where it differs from defaults[k].
        self._levels: list[dict[int, int]] = [dict() for _ in range(height + 1)]
        if leaves:
            self.update(leaves)

    def _get(self, level: int, index: int) -> int:
        return self._levels[level].get(index, self.defaults[level])

    def _set(self, level: int, index: int, value: int) -> None:
        if value == self.defaults[level]:
            self._levels[level].pop(index, None)
        else:
            self._levels[level][index] = value

    @property
    def root(self) -> int:
        return self._get(self.height, 0)

    def leaf(self, index: int) -> int:
        return self._get(0, index)

    def update(self, leaves: Mapping[int, int]) -> int:
        """Set many leaves, then rehash each touched parent once, level by level."""
        touched: set[int] = set()
        for index, value in leaves.items():
            if not 0 <= index < 2**self.height:
                raise ValueError(f"leaf index {index} outside a tree of height {self.height}")
            self._set(0, index, value)
            touched.add(index)
        for level in range(self.height):
            parents: set[int] = set()
            for index in touched:
                parents.add(index >> 1)
            for p in parents:
                self._set(level + 1, p,
                          pedersen(self._get(level, 2 * p), self._get(level, 2 * p + 1)))
            touched = parents
        return self.root

    def authentication_path(self, index: int) -> list[int]:
        """Siblings from the leaf level up (height entries)."""
        path = []
        for level in range(self.height):
            path.append(self._get(level, index ^ 1))
            index >>= 1
        return path


def root_from_path(leaf: int, index: int, path: Iterable[int]) -> int:
    """Recompute the root from a leaf and its authentication path (what the escape hatch does)."""
    node = leaf
    for sibling in path:
        node = pedersen(sibling, node) if index & 1 else pedersen(node, sibling)
        index >>= 1
    return node
