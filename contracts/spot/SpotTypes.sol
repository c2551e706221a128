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
    /// The genesis state: roots and heights of the vaults and orders trees.
    uint256 vaultRoot;
    uint256 vaultTreeHeight;
    uint256 orderRoot;
    uint256 orderTreeHeight;
}
