// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainStorage} from "../core/MainStorage.sol";

// Slots PerpetualStorage occupies after MainStorage, its gap included.
uint256 constant PERPETUAL_STORAGE_SLOTS = 64;

/// @notice The Perpetual exchange's own state, after the state every application shares
/// (MainStorage, which ends at slot MAIN_STORAGE_SLOTS). Internal only, like MainStorage; new
/// variables take their slot from __gap, so the layout behind the proxy never moves.
abstract contract PerpetualStorage is MainStorage {
    // The collateral asset: every deposit, withdrawal and modification is in it.
    uint256 internal systemAssetType;

    // The configuration a batch must state: the general config hash, and its asset-config
    // section (docs/program-output.md, entry 3) as keccak256 of its words, with each listed
    // synthetic asset's config hash (0: not a synthetic asset) and the ids in increasing order.
    uint256 internal globalConfigurationHash;
    bytes32 internal assetConfigsHash;
    mapping(uint256 => uint256) internal syntheticAssetConfigHash;
    uint256[] internal syntheticAssetIds;

    // The last accepted shared state: keccak256 of its words, and the positions tree escapes use.
    uint256 internal sharedStateHashValue;
    uint256 internal positionTreeRoot;
    uint256 internal positionTreeHeight;

    uint256[PERPETUAL_STORAGE_SLOTS - 8] private __gap;
}
