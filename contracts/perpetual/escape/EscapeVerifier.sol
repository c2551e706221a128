// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IEscapeVerifier} from "../../interfaces/IEscapeVerifier.sol";
import {Pedersen} from "../../crypto/Pedersen.sol";
import {PositionTree} from "./PositionTree.sol";
import {PositionValue} from "./PositionValue.sol";

/// @notice Stateless: the Pedersen-heavy Merkle check lives here, outside the exchange, which
/// keeps the exchange under the contract size limit and lets the check be replaced on its own.
/// The position's valuation lives here for the same reason.
contract EscapeVerifier is IEscapeVerifier {
    function positionsRoot(
        uint256 positionId,
        uint256 publicKey,
        int256 collateralBalance,
        uint256[] calldata packedAssets,
        uint256[] calldata siblings
    ) external view override returns (uint256) {
        PositionTree.checkIndex(positionId, siblings.length);
        uint256 leafHash = PositionTree.leaf(publicKey, collateralBalance, packedAssets);
        return PositionTree.rootFromPath(leafHash, positionId, siblings);
    }

    function escapeValue(
        uint256 positionId,
        uint256 publicKey,
        int256 collateralBalance,
        uint256[] calldata packedAssets,
        uint256[] calldata siblings,
        uint256[] calldata sharedState
    ) external view override returns (uint256 root, int256 value) {
        // Valued first: a position the state cannot price is refused before any hashing.
        value = PositionValue.value(collateralBalance, packedAssets, sharedState);
        PositionTree.checkIndex(positionId, siblings.length);
        uint256 leafHash = PositionTree.leaf(publicKey, collateralBalance, packedAssets);
        root = PositionTree.rootFromPath(leafHash, positionId, siblings);
    }

    function positionValue(int256 collateralBalance, uint256[] calldata packedAssets, uint256[] calldata sharedState)
        external
        pure
        returns (int256)
    {
        return PositionValue.value(collateralBalance, packedAssets, sharedState);
    }

    function positionLeaf(uint256 publicKey, int256 collateralBalance, uint256[] calldata packedAssets)
        external
        view
        returns (uint256)
    {
        return PositionTree.leaf(publicKey, collateralBalance, packedAssets);
    }

    function pedersenHash(uint256 a, uint256 b) external view returns (uint256) {
        return Pedersen.hash(a, b);
    }
}
