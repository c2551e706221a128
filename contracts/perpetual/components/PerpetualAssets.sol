// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MGovernance} from "../../core/interfaces/MGovernance.sol";
import {MTokens} from "../../core/interfaces/MTokens.sol";
import {PerpetualStorage} from "../PerpetualStorage.sol";

/// @notice The one collateral asset of the Perpetual exchange (ETH or an ERC-20), registered
/// once by governance; it is the only asset that can be deposited or withdrawn.
abstract contract PerpetualAssets is PerpetualStorage, MGovernance, MTokens {
    error CollateralAlreadyRegistered(uint256 assetType);
    error CollateralIsSyntheticAsset(uint256 assetType);

    function collateralAssetType() external view returns (uint256) {
        return systemAssetType;
    }

    function registerCollateralAsset(bytes calldata assetInfo, uint256 quantum) external onlyGovernance {
        if (systemAssetType != 0) revert CollateralAlreadyRegistered(systemAssetType);
        uint256 assetType = _registerAsset(assetInfo, quantum);
        if (syntheticAssetConfigHash[assetType] != 0) revert CollateralIsSyntheticAsset(assetType);
        systemAssetType = assetType;
    }
}
