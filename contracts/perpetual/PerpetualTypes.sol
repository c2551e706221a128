// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice A forced trade between two positions, as listed in the program output (type 1).
struct ForcedTrade {
    uint256 starkKeyA;
    uint256 starkKeyB;
    uint256 positionIdA;
    uint256 positionIdB;
    uint256 collateralAssetId;
    uint256 syntheticAssetId;
    uint256 amountCollateral;
    uint256 amountSynthetic;
    bool aIsBuyingSynthetic;
    uint256 nonce;
}

/// @notice Everything the exchange needs on its first (and only) initialization, which the
/// upgrade proxy's constructor runs in the transaction that deploys it.
struct InitParams {
    address governor;
    address escapeVerifier;
    address[] verifierChain;
    address[] availabilityVerifiers;
    uint256 programHash;
    uint256 globalConfigHash;
    /// The asset-config section a batch must state (docs/program-output.md, entry 3, count
    /// excluded): asset_id, config_hash pairs in increasing asset id.
    uint256[] assetConfigs;
    uint256 dataAvailabilityMode;
    /// Genesis shared state words (size excluded), as in docs/program-output.md.
    uint256[] initialSharedState;
}
