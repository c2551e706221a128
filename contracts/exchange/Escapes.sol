// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {UpdateState} from "./UpdateState.sol";
import {IEscapeVerifier} from "../interfaces/IEscapeVerifier.sol";

/// @notice After a freeze, each position can leave once, proven against the last accepted
/// positions root by the escape verifier. First version: the payout is the position's
/// collateral balance only (if positive); synthetic balances, funding and prices are not
/// valued yet, so a position holding synthetics is paid its collateral alone.
abstract contract Escapes is UpdateState {
    event LogEscape(uint256 indexed starkKey, uint256 indexed positionId, uint256 quantizedAmount);

    error PositionAlreadyEscaped(uint256 positionId);
    error EscapeProofInvalid(uint256 computedRoot, uint256 storedRoot);
    error InvalidMerkleHeight(uint256 height, uint256 expected);

    function isEscaped(uint256 positionId) external view returns (bool) {
        return escapedPositions[positionId];
    }

    function escape(
        uint256 starkKey,
        uint256 positionId,
        int256 collateralBalance,
        uint256[] calldata packedAssets,
        uint256[] calldata merklePath
    ) external onlyFrozen {
        if (escapedPositions[positionId]) revert PositionAlreadyEscaped(positionId);
        if (merklePath.length != positionsHeight) revert InvalidMerkleHeight(merklePath.length, positionsHeight);
        getEthKey(starkKey);
        uint256 root = IEscapeVerifier(escapeVerifier).positionsRoot(
            positionId, starkKey, collateralBalance, packedAssets, merklePath
        );
        if (root != positionsRoot) revert EscapeProofInvalid(root, positionsRoot);
        escapedPositions[positionId] = true;
        uint256 amount = collateralBalance > 0 ? uint256(collateralBalance) : 0;
        emit LogEscape(starkKey, positionId, amount);
        if (amount > 0) _allowWithdrawal(starkKey, collateralAssetType, amount);
    }
}
