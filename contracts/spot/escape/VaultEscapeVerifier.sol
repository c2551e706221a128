// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MerklePath} from "../../core/libraries/MerklePath.sol";
import {Pedersen} from "../../crypto/Pedersen.sol";

/// @notice Stateless, outside the exchange for its size (as Perpetual's EscapeVerifier): the root
/// of the vaults tree that one vault and its Merkle path lead to. A vault's leaf is StarkEx
/// Spot's: H(H(starkKey, assetId), quantizedBalance) (an empty vault is all zeros); the tree
/// convention is core/libraries/MerklePath.sol's.
contract VaultEscapeVerifier {
    error BalanceOutOfRange(uint256 quantizedBalance);

    function vaultLeaf(uint256 starkKey, uint256 assetId, uint256 quantizedBalance) public view returns (uint256) {
        if (quantizedBalance >> 63 != 0) revert BalanceOutOfRange(quantizedBalance);
        return Pedersen.hash(Pedersen.hash(starkKey, assetId), quantizedBalance);
    }

    /// @param siblings Merkle path bottom-up; its length is the tree height
    function vaultsRoot(
        uint256 vaultId,
        uint256 starkKey,
        uint256 assetId,
        uint256 quantizedBalance,
        uint256[] calldata siblings
    ) external view returns (uint256) {
        return MerklePath.root(vaultLeaf(starkKey, assetId, quantizedBalance), vaultId, siblings);
    }
}
