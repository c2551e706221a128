"""keccak256 Merkle trees over rows of field elements.

Leaf i = keccak256(row_i[0] || row_i[1] || ...), each element a 32-byte big-endian word.
Node = keccak256(left || right). The number of leaves is a power of two. A path lists the
sibling hashes from the leaf's level up to (excluding) the root; bit j of the leaf index says
whether the node at level j is a right child.
"""
from dataclasses import dataclass

from offchain.prover import kernels


def hash_row(row: list[int]) -> bytes:
    return kernels.keccak256(b"".join(v.to_bytes(32, "big") for v in row))


def hash_node(left: bytes, right: bytes) -> bytes:
    return kernels.keccak256(left + right)


@dataclass
class MerkleTree:
    layers: list[list[bytes]]

    @classmethod
    def from_columns(cls, columns: list[list[int]]) -> "MerkleTree":
        """A tree whose leaf i commits to (col[i] for col in columns)."""
        return cls(kernels.merkle_layers(kernels.hash_rows(columns)))

    @property
    def root(self) -> bytes:
        return self.layers[-1][0]

    @property
    def depth(self) -> int:
        return len(self.layers) - 1

    def path(self, index: int) -> list[bytes]:
        siblings = []
        for layer in self.layers[:-1]:
            siblings.append(layer[index ^ 1])
            index >>= 1
        return siblings


def root_from_path(leaf: bytes, index: int, path: list[bytes]) -> bytes:
    node = leaf
    for sibling in path:
        node = hash_node(sibling, node) if index & 1 else hash_node(node, sibling)
        index >>= 1
    return node


def verify_row(root: bytes, index: int, row: list[int], path: list[bytes], depth: int) -> bool:
    """True if row is leaf `index` of the tree of the given depth with this root."""
    if len(path) != depth or not 0 <= index < (1 << depth):
        return False
    return root_from_path(hash_row(row), index, path) == root
