"""Spot state: vaults in two Pedersen Merkle trees (validium and rollup), filled orders.

docs/spot/program-output.md, *State*: a vault is (stark_key, asset_id, balance), empty when its
balance is 0 (it then reads and hashes as (0, 0, 0)); its leaf is H(H(stark_key, asset_id),
balance). A validium vault id is its leaf index; a rollup vault id is 2^63 + its leaf index.
Orders: a Merkle tree of height 64 keyed by the top 64 bits of a message hash, leaf = filled.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from offchain.crypto.pedersen import pedersen
from offchain.perpetual.merkle import SparseMerkleTree

ROLLUP_VAULT_BIT = 2**63
BALANCE_BOUND = 2**63
MAX_VAULT_TREE_HEIGHT = 31
ORDER_TREE_HEIGHT = 64
ZERO_VAULT_HASH = pedersen(pedersen(0, 0), 0)


@dataclass(frozen=True)
class Vault:
    stark_key: int = 0
    asset_id: int = 0
    balance: int = 0

    @property
    def is_empty(self) -> bool:
        return self.balance == 0

    def normalized(self) -> "Vault":
        return EMPTY_VAULT if self.balance == 0 else self

    def leaf(self) -> int:
        if self.balance == 0:
            return ZERO_VAULT_HASH
        return pedersen(pedersen(self.stark_key, self.asset_id), self.balance)

    def to_json(self) -> dict:
        return {"stark_key": self.stark_key, "asset_id": self.asset_id, "balance": self.balance}


EMPTY_VAULT = Vault()


@dataclass(frozen=True)
class GeneralConfig:
    validium_vault_tree_height: int = MAX_VAULT_TREE_HEIGHT
    rollup_vault_tree_height: int = MAX_VAULT_TREE_HEIGHT
    order_tree_height: int = ORDER_TREE_HEIGHT
    unique_minting_enforced: int = 0

    def to_json(self) -> dict:
        return {
            "validium_vault_tree_height": self.validium_vault_tree_height,
            "rollup_vault_tree_height": self.rollup_vault_tree_height,
            "order_tree_height": self.order_tree_height,
            "unique_minting_enforced": self.unique_minting_enforced,
        }

    def tree_of(self, vault_id: int) -> tuple[str, int] | None:
        """('validium' | 'rollup', leaf index) of a vault id, or None for an id of neither."""
        if 0 <= vault_id < 2**self.validium_vault_tree_height:
            return "validium", vault_id
        index = vault_id - ROLLUP_VAULT_BIT
        if 0 <= index < 2**self.rollup_vault_tree_height:
            return "rollup", index
        return None


@dataclass
class SpotState:
    """Vaults by id (only non-empty ones kept) and filled amounts by order id (nonzero only)."""
    config: GeneralConfig
    vaults: dict[int, Vault] = field(default_factory=dict)
    orders: dict[int, int] = field(default_factory=dict)

    def vault(self, vault_id: int) -> Vault:
        return self.vaults.get(vault_id, EMPTY_VAULT)

    def set_vault(self, vault_id: int, vault: Vault) -> None:
        if vault.is_empty:
            self.vaults.pop(vault_id, None)
        else:
            self.vaults[vault_id] = vault

    def filled(self, order_id: int) -> int:
        return self.orders.get(order_id, 0)

    def set_filled(self, order_id: int, amount: int) -> None:
        if amount == 0:
            self.orders.pop(order_id, None)
        else:
            self.orders[order_id] = amount

    def copy(self) -> "SpotState":
        return SpotState(self.config, dict(self.vaults), dict(self.orders))

    def roots(self) -> tuple[int, int, int]:
        """(validium vault root, rollup vault root, order root)."""
        validium: dict[int, int] = {}
        rollup: dict[int, int] = {}
        for vault_id, vault in self.vaults.items():
            tree, index = self.config.tree_of(vault_id)
            (validium if tree == "validium" else rollup)[index] = vault.leaf()
        return (
            SparseMerkleTree(self.config.validium_vault_tree_height, ZERO_VAULT_HASH, validium).root,
            SparseMerkleTree(self.config.rollup_vault_tree_height, ZERO_VAULT_HASH, rollup).root,
            SparseMerkleTree(self.config.order_tree_height, 0, self.orders).root,
        )

    def to_json(self) -> dict:
        return {
            "vaults": {str(k): v.to_json() for k, v in sorted(self.vaults.items())},
            "orders": {str(k): v for k, v in sorted(self.orders.items())},
        }
