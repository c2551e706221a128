// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Pedersen} from "../../crypto/Pedersen.sol";

/// @notice Pedersen Merkle paths of the application trees (Perpetual positions, Spot vaults),
/// the convention of the batch programs: the leaf of index i sits at index i on the bottom
/// level; at each level a node with an even index is the left child, H(left, right) its parent.
library MerklePath {
    error LeafIndexOutOfRange(uint256 index, uint256 height);

    function checkIndex(uint256 index, uint256 height) internal pure {
        if (height < 256 && index >> height != 0) revert LeafIndexOutOfRange(index, height);
    }

    /// The root reached from leafHash at index through siblings (bottom-up; its length is the
    /// tree height).
    function root(uint256 leafHash, uint256 index, uint256[] calldata siblings) internal view returns (uint256 node) {
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
