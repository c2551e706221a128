// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {UpdateState} from "./UpdateState.sol";
import {IEscapeVerifier} from "../interfaces/IEscapeVerifier.sol";

/// @notice After a freeze, each position can leave once, proven against the last accepted
/// positions root by the escape verifier, and is paid its whole value at the last accepted
/// shared state: collateral after funding plus its synthetics at the oracle prices, in
/// collateral, if positive. The exchange keeps only the hash of that shared state, so the
/// caller supplies its words and the hash binds them.
abstract contract Escapes is UpdateState {
    event LogEscape(uint256 indexed starkKey, uint256 indexed positionId, uint256 quantizedAmount);

    error PositionAlreadyEscaped(uint256 positionId);
    error EscapeProofInvalid(uint256 computedRoot, uint256 storedRoot);
    error InvalidMerkleHeight(uint256 height, uint256 expected);
    error EscapeSharedStateMismatch(uint256 suppliedHash, uint256 storedHash);

    function isEscaped(uint256 positionId) external view returns (bool) {
        return escapedPositions[positionId];
    }

    /// @param sharedState the new-state words of the last accepted batch (size word excluded)
    function escape(
        uint256 starkKey,
        uint256 positionId,
        int256 collateralBalance,
        uint256[] calldata packedAssets,
        uint256[] calldata merklePath,
        uint256[] calldata sharedState
    ) external onlyFrozen {
        if (escapedPositions[positionId]) revert PositionAlreadyEscaped(positionId);
        if (merklePath.length != positionsHeight) revert InvalidMerkleHeight(merklePath.length, positionsHeight);
        uint256 suppliedHash = uint256(keccak256(abi.encodePacked(sharedState)));
        if (suppliedHash != sharedStateHash) revert EscapeSharedStateMismatch(suppliedHash, sharedStateHash);
        getEthKey(starkKey);
        (uint256 root, int256 value) = IEscapeVerifier(escapeVerifier).escapeValue(
            positionId, starkKey, collateralBalance, packedAssets, merklePath, sharedState
        );
        if (root != positionsRoot) revert EscapeProofInvalid(root, positionsRoot);
        escapedPositions[positionId] = true;
        uint256 amount = value > 0 ? uint256(value) : 0;
        emit LogEscape(starkKey, positionId, amount);
        if (amount > 0) _allowWithdrawal(starkKey, collateralAssetType, amount);
    }
}
