"""Position leaves (Perpetual), vault leaves (Spot) and Merkle paths of their trees, computed off-chain with
fast-stark-crypto, to check the on-chain escape verifier against."""
from __future__ import annotations

from dataclasses import dataclass, field

import fast_stark_crypto as fsc

BIAS = 2**63


def position_leaf(public_key: int, collateral_balance: int, packed_assets: list[int]) -> int:
    assets_hash = 0
    for word in packed_assets:
        assets_hash = fsc.pedersen_hash(assets_hash, word)
    last = ((collateral_balance + BIAS) << 16) + len(packed_assets)
    return fsc.pedersen_hash(fsc.pedersen_hash(assets_hash, public_key), last)


def pack_asset(asset_id: int, cached_funding: int, balance: int) -> int:
    return (asset_id << 128) + ((cached_funding + BIAS) << 64) + (balance + BIAS)


EMPTY_LEAF = position_leaf(0, 0, [])


def vault_leaf(stark_key: int, asset_id: int, quantized_balance: int) -> int:
    """StarkEx Spot's vault leaf: H(H(stark_key, asset_id), balance)."""
    return fsc.pedersen_hash(fsc.pedersen_hash(stark_key, asset_id), quantized_balance)


@dataclass
class SparseTree:
    height: int
    leaves: dict[int, int] = field(default_factory=dict)
    empty_leaf: int = EMPTY_LEAF  # Spot's vaults tree: vault_leaf(0, 0, 0)

    def __post_init__(self) -> None:
        self.empty = [self.empty_leaf]
        for _ in range(self.height):
            self.empty.append(fsc.pedersen_hash(self.empty[-1], self.empty[-1]))

    def _node(self, level: int, index: int, cache: dict) -> int:
        key = (level, index)
        if key in cache:
            return cache[key]
        if level == 0:
            value = self.leaves.get(index, self.empty_leaf)
        elif not any((i >> level) == index for i in self.leaves):
            value = self.empty[level]
        else:
            value = fsc.pedersen_hash(self._node(level - 1, 2 * index, cache), self._node(level - 1, 2 * index + 1, cache))
        cache[key] = value
        return value

    def root(self) -> int:
        return self._node(self.height, 0, {})

    def path(self, index: int) -> list[int]:
        cache: dict = {}
        return [self._node(level, (index >> level) ^ 1, cache) for level in range(self.height)]
