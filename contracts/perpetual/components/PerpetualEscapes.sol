// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ReentrancyGuard} from "../../core/components/ReentrancyGuard.sol";
import {MFreezable} from "../../core/interfaces/MFreezable.sol";
import {MWithdrawals} from "../../core/interfaces/MWithdrawals.sol";
import {IEscapeVerifier} from "../../interfaces/IEscapeVerifier.sol";
import {PerpetualStorage} from "../PerpetualStorage.sol";

/// @notice After a freeze, each position can leave once, proven against the last accepted
/// positions root by the escape verifier, and is paid its whole value at the last accepted
/// shared state: collateral after funding plus its synthetics at the oracle prices, in
/// collateral, if positive. The exchange keeps only the hash of that shared state, so the
/// caller supplies its words and the hash binds them. The key needs no registration to escape
/// (the proof ties it to the position); it does to withdraw. An escape makes the freeze final
/// (Freezable: no unfreeze once escapeCount is non-zero).
abstract contract PerpetualEscapes is PerpetualStorage, MFreezable, MWithdrawals, ReentrancyGuard {
    event LogEscape(uint256 indexed starkKey, uint256 indexed positionId, uint256 quantizedAmount);

    error PositionAlreadyEscaped(uint256 positionId);
    error EscapeProofInvalid(uint256 computedRoot, uint256 storedRoot);
    error InvalidMerkleHeight(uint256 height, uint256 expected);
    error EscapeSharedStateMismatch(uint256 suppliedHash, uint256 storedHash);

    function escapeVerifier() external view returns (address) {
        return escapeVerifierContract;
    }

    function isEscaped(uint256 positionId) external view returns (bool) {
        return escapesUsed[positionId];
    }

    /// @param sharedState the new-state words of the last accepted batch (size word excluded)
    function escape(
        uint256 starkKey,
        uint256 positionId,
        int256 collateralBalance,
        uint256[] calldata packedAssets,
        uint256[] calldata merklePath,
        uint256[] calldata sharedState
    ) external onlyFrozen nonReentrant {
        if (escapesUsed[positionId]) revert PositionAlreadyEscaped(positionId);
        uint256 height = positionTreeHeight;
        if (merklePath.length != height) revert InvalidMerkleHeight(merklePath.length, height);
        uint256 suppliedHash = uint256(keccak256(abi.encodePacked(sharedState)));
        if (suppliedHash != sharedStateHashValue) revert EscapeSharedStateMismatch(suppliedHash, sharedStateHashValue);
        (uint256 root, int256 value) = IEscapeVerifier(escapeVerifierContract).escapeValue(
            positionId, starkKey, collateralBalance, packedAssets, merklePath, sharedState
        );
        if (root != positionTreeRoot) revert EscapeProofInvalid(root, positionTreeRoot);
        escapesUsed[positionId] = true;
        escapeCount += 1;
        uint256 amount = value > 0 ? uint256(value) : 0;
        emit LogEscape(starkKey, positionId, amount);
        if (amount > 0) _allowWithdrawal(starkKey, systemAssetType, amount);
    }
}
