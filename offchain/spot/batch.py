"""A Spot batch, executed by the reference model: program input (docs/spot/batch-input.md) in,
program output words (docs/spot/program-output.md) out, or SpotRuleError naming the rule."""
from __future__ import annotations

from dataclasses import dataclass

from offchain.spot.output import SpotOutput, encode_onchain_data
from offchain.spot.rules import (
    Effects,
    SpotRuleError,
    apply_transaction,
    check_config,
    check_expiration_bound,
    felt,
)
from offchain.spot.state import GeneralConfig, SpotState, Vault


def config_from_json(d: dict) -> GeneralConfig:
    return GeneralConfig(
        validium_vault_tree_height=felt(d, "validium_vault_tree_height"),
        rollup_vault_tree_height=felt(d, "rollup_vault_tree_height"),
        order_tree_height=felt(d, "order_tree_height"),
        unique_minting_enforced=felt(d, "unique_minting_enforced"),
    )


def state_from_json(config: GeneralConfig, d: dict) -> SpotState:
    state = SpotState(config)
    for key, v in d.get("vaults", {}).items():
        vault_id = int(key)
        if config.tree_of(vault_id) is None:
            raise SpotRuleError("vault_id", f"previous state lists vault {vault_id}")
        state.set_vault(vault_id, Vault(felt(v, "stark_key"), felt(v, "asset_id"),
                                        felt(v, "balance")))
        if state.vault(vault_id).balance >= 2**63:
            raise SpotRuleError("balance_bound", f"previous vault {vault_id} balance")
    for key, filled in d.get("orders", {}).items():
        if not 0 <= int(key) < 2**64:
            raise SpotRuleError("malformed", f"order id {key} outside the orders tree")
        state.set_filled(int(key), filled % (2**251 + 17 * 2**192 + 1))
    return state


@dataclass
class BatchResult:
    output: SpotOutput
    state: SpotState

    @property
    def words(self) -> list[int]:
        return self.output.to_words()


def execute_batch(program_input: dict) -> BatchResult:
    """Run every transaction in order; any broken rule refuses the whole batch."""
    config = config_from_json(program_input["general_config"])
    check_config(config)
    global_expiration = felt(program_input, "global_expiration_timestamp")
    check_expiration_bound(global_expiration)
    state = state_from_json(config, program_input.get("previous_state", {}))
    before = state.copy()
    initial_roots = state.roots()
    effects = Effects()
    for tx in program_input["transactions"]:
        apply_transaction(state, tx, global_expiration, effects)
    changed = {
        vault_id: state.vault(vault_id)
        for vault_id in set(before.vaults) | set(state.vaults)
        if config.tree_of(vault_id)[0] == "rollup"
        and before.vault(vault_id).normalized() != state.vault(vault_id).normalized()
    }
    output = SpotOutput(
        global_config_code=config.unique_minting_enforced,
        initial_roots=initial_roots,
        final_roots=state.roots(),
        global_expiration_timestamp=global_expiration,
        heights=(config.validium_vault_tree_height, config.rollup_vault_tree_height,
                 config.order_tree_height),
        modifications=effects.modifications,
        conditions=effects.conditions,
        onchain_data=encode_onchain_data(changed),
    )
    return BatchResult(output, state)
