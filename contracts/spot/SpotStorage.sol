// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainStorage} from "../core/MainStorage.sol";

// Slots SpotStorage occupies after MainStorage, its gap included.
uint256 constant SPOT_STORAGE_SLOTS = 64;

/// @notice The Spot exchange's (StarkExchange's) own state, after the state every application
/// shares (MainStorage, which ends at slot MAIN_STORAGE_SLOTS). Internal only, like MainStorage;
/// new variables take their slot from __gap, so the layout behind the proxy never moves.
/// Vault ids (docs/spot/program-output.md, *State*): a validium vault id is its leaf index in the
/// validium tree; a rollup vault id is 2^63 + its leaf index in the rollup tree.
abstract contract SpotStorage is MainStorage {
    uint256 internal constant ROLLUP_VAULT_BIT = 2 ** 63;

    // The roots and heights of the last accepted state (escapes are proven against the vault roots).
    uint256 internal validiumVaultRoot;
    uint256 internal validiumVaultTreeHeight;
    uint256 internal rollupVaultRoot;
    uint256 internal rollupVaultTreeHeight;
    uint256 internal orderRoot;
    uint256 internal orderTreeHeight;
    // What a batch's first word must be (StarkEx's global config code: unique_minting_enforced).
    uint256 internal globalConfigCode;

    // Token administrators: who may register assets (StarkEx's tokens admins), appointed by governance.
    mapping(address => bool) internal tokenAdmins;

    uint256[SPOT_STORAGE_SLOTS - 8] private __gap;

    /// A leaf of the validium tree, or 2^63 + a leaf of the rollup tree.
    function _isVaultInTree(uint256 vaultId) internal view returns (bool) {
        if (vaultId < ROLLUP_VAULT_BIT) return vaultId >> validiumVaultTreeHeight == 0;
        return (vaultId - ROLLUP_VAULT_BIT) >> rollupVaultTreeHeight == 0;
    }
}
