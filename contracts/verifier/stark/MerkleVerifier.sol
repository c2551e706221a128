// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice keccak256 Merkle paths over rows of field elements (offchain/prover/merkle.py):
/// leaf = keccak256(row words), node = keccak256(left || right), siblings listed leaf level up.
library MerkleVerifier {
    function hashRow(uint256[] memory row) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            h := keccak256(add(row, 0x20), mul(mload(row), 0x20))
        }
    }

    /// @notice True if `row` is leaf `index` of the tree of `depth` levels with this root.
    function verifyRow(bytes32 root, uint256 index, uint256[] memory row, uint256[] memory path, uint256 depth)
        internal
        pure
        returns (bool)
    {
        if (path.length != depth || index >> depth != 0) return false;
        bytes32 node = hashRow(row);
        for (uint256 i = 0; i < depth; i++) {
            uint256 sibling = path[i];
            assembly ("memory-safe") {
                switch and(index, 1)
                case 0 {
                    mstore(0x00, node)
                    mstore(0x20, sibling)
                }
                default {
                    mstore(0x00, sibling)
                    mstore(0x20, node)
                }
                node := keccak256(0x00, 0x40)
            }
            index >>= 1;
        }
        return node == root;
    }
}
