// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainStorage} from "../core/MainStorage.sol";

// Slots SpotStorage occupies after MainStorage, its gap included.
uint256 constant SPOT_STORAGE_SLOTS = 64;

/// @notice The Spot exchange's (StarkExchange's) own state, after the state every application
/// shares (MainStorage, which ends at slot MAIN_STORAGE_SLOTS). Internal only, like MainStorage;
/// new variables take their slot from __gap, so the layout behind the proxy never moves.
abstract contract SpotStorage is MainStorage {
    // The roots and heights of the last accepted state: the vaults tree (escapes are proven
    // against it) and the orders tree.
    uint256 internal vaultRoot;
    uint256 internal vaultTreeHeight;
    uint256 internal orderRoot;
    uint256 internal orderTreeHeight;

    // Token administrators: who may register assets (StarkEx's tokens admins), appointed by governance.
    mapping(address => bool) internal tokenAdmins;

    uint256[SPOT_STORAGE_SLOTS - 5] private __gap;
}
