"""The vault escape of a frozen StarkExchange: a user's way out when the operator stops serving.

The client rebuilds the vaults itself, as a committee member does: from the genesis state and
every accepted batch's transactions (the availability gateway's `get_batch_data`, or any copy of
them), executed by the reference model; it trusts the result only if its roots are the ones L1
holds. It then proves one vault against the stored root of its tree (SpotEscapes.escape: the
siblings bottom-up) and L1 credits the vault's exact balance to its key's withdrawal balance.
"""
from __future__ import annotations

from dataclasses import dataclass

from offchain.perpetual.merkle import SparseMerkleTree
from offchain.spot.application import SpotApplication
from offchain.spot.state import ROLLUP_VAULT_BIT, ZERO_VAULT_HASH, SpotState


class EscapeError(Exception):
    pass


@dataclass(frozen=True)
class VaultEscape:
    """SpotEscapes.escape's arguments for one vault."""
    stark_key: int
    vault_id: int
    asset_id: int
    quantized_amount: int
    merkle_path: list[int]

    def call_args(self) -> tuple:
        return self.stark_key, self.vault_id, self.asset_id, self.quantized_amount, self.merkle_path


def replay(genesis: SpotState, batches: list[dict]) -> SpotState:
    """The state after the batches, each {"transactions": [...], "global_expiration_timestamp": n}
    (what the availability gateway gives), executed by the model; SpotRuleError if one breaks a rule."""
    application = SpotApplication()
    state = genesis.copy()
    for batch in batches:
        transactions = [application.parse(tx) for tx in batch["transactions"]]
        state = application.execute_batch(state, transactions, 0, batch).state
    return state


class SpotEscapeClient:
    def __init__(self, exchange, state: SpotState):
        """state: the vaults as rebuilt (replay); checked against L1's roots before any escape."""
        self.exchange = exchange
        self.state = state

    def check_roots(self) -> None:
        validium, rollup, _ = self.state.roots()
        on_l1 = (int(self.exchange.getValidiumVaultRoot()), int(self.exchange.getRollupVaultRoot()))
        if (validium, rollup) != on_l1:
            raise EscapeError(f"the rebuilt vault roots ({validium:#x}, {rollup:#x}) are not L1's ({on_l1[0]:#x}, "
                              f"{on_l1[1]:#x}): a batch is missing from the rebuild")

    def arguments(self, vault_id: int) -> VaultEscape:
        tree, index = self.state.config.tree_of(vault_id) or (None, None)
        if tree is None:
            raise EscapeError(f"vault {vault_id} is in neither tree")
        height = (self.state.config.rollup_vault_tree_height if tree == "rollup"
                  else self.state.config.validium_vault_tree_height)
        leaves = {self.state.config.tree_of(v)[1]: vault.leaf() for v, vault in self.state.vaults.items()
                  if (v >= ROLLUP_VAULT_BIT) == (tree == "rollup")}
        path = SparseMerkleTree(height, ZERO_VAULT_HASH, leaves).authentication_path(index)
        vault = self.state.vault(vault_id)
        return VaultEscape(vault.stark_key, vault_id, vault.asset_id, vault.balance, path)

    def escape(self, vault_id: int, sender):
        """Escapes one vault of a frozen exchange (anyone may send it; the vault's key is credited)."""
        if not self.exchange.frozen():
            raise EscapeError("the exchange is not frozen: withdraw through the operator instead")
        self.check_roots()
        return self.exchange.escape(*self.arguments(vault_id).call_args(), sender=sender)
