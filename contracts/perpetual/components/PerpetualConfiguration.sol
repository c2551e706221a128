// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MGovernance} from "../../core/interfaces/MGovernance.sol";
import {MTimelocks} from "../../core/interfaces/MTimelocks.sol";
import {StarkField} from "../../crypto/StarkField.sol";
import {PerpetualConstants as K} from "../PerpetualConstants.sol";
import {PerpetualStorage} from "../PerpetualStorage.sol";

/// @notice The configuration a batch must state, changed as one timelocked change: the general
/// config hash (which pins every setting the program trusts) and the asset-config section that
/// lists the synthetic assets with their config hashes. Both move together, so no batch can be
/// caught between an old hash and a new asset list. A forced trade may name only a synthetic
/// asset of the current configuration: only those can a batch serve.
abstract contract PerpetualConfiguration is PerpetualStorage, MGovernance, MTimelocks {
    bytes32 internal constant GLOBAL_CONFIG = "GLOBAL_CONFIG";

    event LogGlobalConfigSet(uint256 globalConfigHash, uint256[] assetConfigs);

    error InvalidGlobalConfigHash(uint256 globalConfigHash);
    error InvalidAssetConfigs(uint256 index);
    error TooManySyntheticAssets(uint256 count);

    function globalConfigHash() external view returns (uint256) {
        return globalConfigurationHash;
    }

    /// The asset-config section: asset_id, config_hash pairs in increasing asset id.
    function getAssetConfigs() external view returns (uint256[] memory configs) {
        uint256 n = syntheticAssetIds.length;
        configs = new uint256[](2 * n);
        for (uint256 i = 0; i < n; i++) {
            uint256 assetId = syntheticAssetIds[i];
            configs[2 * i] = assetId;
            configs[2 * i + 1] = syntheticAssetConfigHash[assetId];
        }
    }

    /// A synthetic asset's config hash (0: not a synthetic asset of the configuration).
    function assetConfigHash(uint256 assetId) external view returns (uint256) {
        return syntheticAssetConfigHash[assetId];
    }

    function announceGlobalConfig(uint256 newGlobalConfigHash, uint256[] calldata assetConfigs)
        external
        onlyGovernance
    {
        _checkGlobalConfig(newGlobalConfigHash, assetConfigs);
        _announceChange(GLOBAL_CONFIG, abi.encode(newGlobalConfigHash, assetConfigs));
    }

    function applyGlobalConfig(uint256 newGlobalConfigHash, uint256[] calldata assetConfigs) external onlyGovernance {
        _consumeChange(GLOBAL_CONFIG, abi.encode(newGlobalConfigHash, assetConfigs));
        _setGlobalConfig(newGlobalConfigHash, assetConfigs);
    }

    /// Field elements; asset ids non-zero (0 is the program's "no synthetic"), strictly
    /// increasing, none the collateral; config hashes non-zero.
    function _checkGlobalConfig(uint256 hash, uint256[] calldata assetConfigs) internal view {
        if (hash == 0 || hash >= StarkField.PRIME) revert InvalidGlobalConfigHash(hash);
        if (assetConfigs.length % 2 != 0) revert InvalidAssetConfigs(assetConfigs.length);
        if (assetConfigs.length / 2 > K.MAX_SYNTHETIC_ASSETS) revert TooManySyntheticAssets(assetConfigs.length / 2);
        uint256 previousId = 0;
        for (uint256 i = 0; i < assetConfigs.length; i += 2) {
            uint256 assetId = assetConfigs[i];
            uint256 configHash = assetConfigs[i + 1];
            if (assetId <= previousId || assetId >= StarkField.PRIME || assetId == systemAssetType) {
                revert InvalidAssetConfigs(i);
            }
            if (configHash == 0 || configHash >= StarkField.PRIME) revert InvalidAssetConfigs(i + 1);
            previousId = assetId;
        }
    }

    function _setGlobalConfig(uint256 hash, uint256[] calldata assetConfigs) internal {
        _checkGlobalConfig(hash, assetConfigs);
        uint256 nOld = syntheticAssetIds.length;
        for (uint256 i = 0; i < nOld; i++) {
            delete syntheticAssetConfigHash[syntheticAssetIds[i]];
        }
        delete syntheticAssetIds;
        for (uint256 i = 0; i < assetConfigs.length; i += 2) {
            syntheticAssetIds.push(assetConfigs[i]);
            syntheticAssetConfigHash[assetConfigs[i]] = assetConfigs[i + 1];
        }
        assetConfigsHash = keccak256(abi.encodePacked(assetConfigs));
        globalConfigurationHash = hash;
        emit LogGlobalConfigSet(hash, assetConfigs);
    }
}
