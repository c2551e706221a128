// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ReentrancyGuard} from "../../core/components/ReentrancyGuard.sol";
import {MFreezable} from "../../core/interfaces/MFreezable.sol";
import {MWithdrawals} from "../../core/interfaces/MWithdrawals.sol";
import {VaultEscapeVerifier} from "../escape/VaultEscapeVerifier.sol";
import {SpotStorage} from "../SpotStorage.sol";

/// @notice After a freeze, each vault can leave once, proven against the last accepted vault
/// root of its tree (validium, or rollup for an id with the 2^63 bit) by its Merkle path
/// (VaultEscapeVerifier): its whole quantized balance is credited as a
/// pending withdrawal of its asset id (withdraw, withdrawWithTokenId or withdrawAndMint pays it).
/// The key needs no registration to escape (the path ties it to the vault); it does to withdraw.
/// An escape makes the freeze final (Freezable: no unfreeze once escapeCount is non-zero).
abstract contract SpotEscapes is SpotStorage, MFreezable, MWithdrawals, ReentrancyGuard {
    event LogVaultEscape(uint256 indexed starkKey, uint256 indexed vaultId, uint256 assetId, uint256 quantizedAmount);

    error VaultAlreadyEscaped(uint256 vaultId);
    error EscapeProofInvalid(uint256 computedRoot, uint256 storedRoot);
    error InvalidMerkleHeight(uint256 height, uint256 expected);

    function escapeVerifier() external view returns (address) {
        return escapeVerifierContract;
    }

    function isEscaped(uint256 vaultId) external view returns (bool) {
        return escapesUsed[vaultId];
    }

    error VaultIdNotInTree(uint256 vaultId);

    /// @param merklePath the siblings bottom-up, as many as the vault's tree's height
    function escape(
        uint256 starkKey,
        uint256 vaultId,
        uint256 assetId,
        uint256 quantizedAmount,
        uint256[] calldata merklePath
    ) external onlyFrozen nonReentrant {
        if (escapesUsed[vaultId]) revert VaultAlreadyEscaped(vaultId);
        if (!_isVaultInTree(vaultId)) revert VaultIdNotInTree(vaultId);
        bool rollup = vaultId >= ROLLUP_VAULT_BIT;
        uint256 height = rollup ? rollupVaultTreeHeight : validiumVaultTreeHeight;
        if (merklePath.length != height) revert InvalidMerkleHeight(merklePath.length, height);
        uint256 storedRoot = rollup ? rollupVaultRoot : validiumVaultRoot;
        uint256 root = VaultEscapeVerifier(escapeVerifierContract).vaultsRoot(
            rollup ? vaultId - ROLLUP_VAULT_BIT : vaultId, starkKey, assetId, quantizedAmount, merklePath
        );
        if (root != storedRoot) revert EscapeProofInvalid(root, storedRoot);
        escapesUsed[vaultId] = true;
        escapeCount += 1;
        emit LogVaultEscape(starkKey, vaultId, assetId, quantizedAmount);
        if (quantizedAmount > 0) _allowWithdrawal(starkKey, assetId, quantizedAmount);
    }
}
