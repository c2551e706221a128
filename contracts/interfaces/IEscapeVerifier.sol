// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Recomputes a positions-tree root from one position and its Merkle path, and values
/// the position at a shared state, so the exchange can pay a position out after a freeze from
/// L1 data alone.
interface IEscapeVerifier {
    /// @param packedAssets per synthetic asset, in increasing asset id:
    ///        asset_id·2^128 + (funding + 2^63)·2^64 + (balance + 2^63)
    /// @param siblings Merkle path bottom-up; its length is the tree height
    function positionsRoot(
        uint256 positionId,
        uint256 publicKey,
        int256 collateralBalance,
        uint256[] calldata packedAssets,
        uint256[] calldata siblings
    ) external view returns (uint256);

    /// @param sharedState the shared-state words of docs/program-output.md, size word excluded;
    ///        the caller checks them against its stored hash
    /// @return root the positions root the path leads to
    /// @return value the position's value in quantized collateral (funding applied, synthetics
    ///         at the oracle prices); may be negative
    function escapeValue(
        uint256 positionId,
        uint256 publicKey,
        int256 collateralBalance,
        uint256[] calldata packedAssets,
        uint256[] calldata siblings,
        uint256[] calldata sharedState
    ) external view returns (uint256 root, int256 value);
}
