// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Pedersen} from "../../crypto/Pedersen.sol";

/// @notice Perpetual position leaves and Merkle paths, as in docs/program-output.md.
/// Tree convention: the leaf of position id i sits at index i on the bottom level; at each
/// level a node with an even index is the left child, H(left, right) its parent.
library PositionTree {
    uint256 internal constant BALANCE_BIAS = 2 ** 63;

    error BalanceOutOfRange(int256 balance);
    error PositionIdOutOfRange(uint256 positionId, uint256 height);

    /// packedAssets[i] = asset_id·2^128 + (cached_funding + 2^63)·2^64 + (balance + 2^63),
    /// in increasing asset_id.
    function leaf(uint256 publicKey, int256 collateralBalance, uint256[] calldata packedAssets)
        internal
        view
        returns (uint256)
    {
        if (collateralBalance <= -int256(BALANCE_BIAS) || collateralBalance >= int256(BALANCE_BIAS)) {
            revert BalanceOutOfRange(collateralBalance);
        }
        uint256 assetsHash = 0;
        for (uint256 i = 0; i < packedAssets.length; i++) {
            assetsHash = Pedersen.hash(assetsHash, packedAssets[i]);
        }
        uint256 biasedCollateral = uint256(collateralBalance + int256(BALANCE_BIAS));
        return Pedersen.hash(Pedersen.hash(assetsHash, publicKey), (biasedCollateral << 16) + packedAssets.length);
    }

    function checkIndex(uint256 index, uint256 height) internal pure {
        if (height < 256 && index >> height != 0) revert PositionIdOutOfRange(index, height);
    }

    function rootFromPath(uint256 leafHash, uint256 index, uint256[] calldata siblings)
        internal
        view
        returns (uint256 node)
    {
        uint256 height = siblings.length;
        checkIndex(index, height);
        node = leafHash;
        for (uint256 level = 0; level < height; level++) {
            node = (index >> level) & 1 == 0
                ? Pedersen.hash(node, siblings[level])
                : Pedersen.hash(siblings[level], node);
        }
    }
}
