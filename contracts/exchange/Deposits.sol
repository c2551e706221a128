// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Users} from "./Users.sol";
import {PerpetualConstants as K} from "./PerpetualConstants.sol";

/// @notice Pending deposits, keyed by (starkKey, assetId, positionId). A batch consumes them;
/// if the operator does not, the owner cancels and reclaims after DEPOSIT_CANCEL_DELAY.
abstract contract Deposits is Users {
    event LogDeposit(
        address indexed depositor, uint256 indexed starkKey, uint256 positionId, uint256 assetType, uint256 quantizedAmount
    );
    event LogDepositCancel(uint256 indexed starkKey, uint256 positionId, uint256 assetId);
    event LogDepositCancelReclaimed(
        uint256 indexed starkKey, uint256 positionId, uint256 assetType, uint256 quantizedAmount
    );

    error PositionIdOutOfRange(uint256 positionId);
    error InvalidQuantizedAmount(uint256 quantizedAmount);
    error DepositCancelNotRequested(uint256 starkKey, uint256 assetId, uint256 positionId);
    error DepositReclaimTooEarly(uint256 readyAt);
    error NothingToReclaim();

    function getPendingDeposit(uint256 starkKey, uint256 assetId, uint256 positionId) external view returns (uint256) {
        return pendingDeposits[starkKey][assetId][positionId];
    }

    function getCancellationRequest(uint256 starkKey, uint256 assetId, uint256 positionId)
        external
        view
        returns (uint256)
    {
        return depositCancellations[starkKey][assetId][positionId];
    }

    function deposit(uint256 starkKey, uint256 assetType, uint256 positionId, uint256 quantizedAmount)
        external
        payable
        notFrozen
    {
        getEthKey(starkKey);
        _requireCollateral(assetType);
        if (positionId >= K.POSITION_ID_UPPER_BOUND) revert PositionIdOutOfRange(positionId);
        // A batch consumes at most 2^64 - 1 per modification, so larger totals could never be used.
        if (quantizedAmount == 0 || quantizedAmount >= K.QUANTIZED_AMOUNT_UPPER_BOUND) {
            revert InvalidQuantizedAmount(quantizedAmount);
        }
        uint256 pending = pendingDeposits[starkKey][assetType][positionId] + quantizedAmount;
        if (pending >= K.QUANTIZED_AMOUNT_UPPER_BOUND) revert InvalidQuantizedAmount(quantizedAmount);
        pendingDeposits[starkKey][assetType][positionId] = pending;
        emit LogDeposit(msg.sender, starkKey, positionId, assetType, quantizedAmount);
        _transferIn(assetType, quantizedAmount);
    }

    function depositCancel(uint256 starkKey, uint256 assetId, uint256 positionId)
        external
        onlyStarkKeyOwner(starkKey)
    {
        depositCancellations[starkKey][assetId][positionId] = block.timestamp;
        emit LogDepositCancel(starkKey, positionId, assetId);
    }

    function depositReclaim(uint256 starkKey, uint256 assetId, uint256 positionId)
        external
        onlyStarkKeyOwner(starkKey)
    {
        uint256 requestedAt = depositCancellations[starkKey][assetId][positionId];
        if (requestedAt == 0) revert DepositCancelNotRequested(starkKey, assetId, positionId);
        uint256 readyAt = requestedAt + K.DEPOSIT_CANCEL_DELAY;
        if (block.timestamp < readyAt) revert DepositReclaimTooEarly(readyAt);
        uint256 amount = pendingDeposits[starkKey][assetId][positionId];
        if (amount == 0) revert NothingToReclaim();
        pendingDeposits[starkKey][assetId][positionId] = 0;
        depositCancellations[starkKey][assetId][positionId] = 0;
        emit LogDepositCancelReclaimed(starkKey, positionId, assetId, amount);
        _transferOut(msg.sender, assetId, amount);
    }
}
