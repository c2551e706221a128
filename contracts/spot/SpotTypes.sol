// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Everything StarkExchange needs on its first (and only) initialization, which the
/// upgrade proxy's constructor runs in the transaction that deploys it.
struct SpotInitParams {
    address governor;
    address escapeVerifier;
    address[] verifierChain;
    address[] availabilityVerifiers;
    uint256 programHash;
    uint256 dataAvailabilityMode;
    /// docs/spot/program-output.md, entry 0 (0 or 1).
    uint256 globalConfigCode;
    /// The genesis state: roots and heights of the validium and rollup vault trees and the orders tree.
    uint256 validiumVaultRoot;
    uint256 validiumVaultTreeHeight;
    uint256 rollupVaultRoot;
    uint256 rollupVaultTreeHeight;
    uint256 orderRoot;
    uint256 orderTreeHeight;
}
