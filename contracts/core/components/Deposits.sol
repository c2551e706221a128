// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {InvalidQuantizedAmount, InvalidStarkKey, VaultIdOutOfRange} from "../Errors.sol";
import {MainConstants as K} from "../MainConstants.sol";
import {MainStorage} from "../MainStorage.sol";
import {MFreezable} from "../interfaces/MFreezable.sol";
import {MKeyGetters} from "../interfaces/MKeyGetters.sol";
import {MTokens} from "../interfaces/MTokens.sol";
import {ReentrancyGuard} from "./ReentrancyGuard.sol";

/// @notice Pending deposits, keyed by (starkKey, assetType, vaultId). A batch consumes them; if
/// the operator does not, the key's owner cancels and reclaims DEPOSIT_CANCEL_DELAY later.
/// Anyone may deposit to any valid stark key, registered or not (as in StarkEx v4): only what
/// pays out or speaks for the key on L1 needs its registration (Users).
/// Cancel only what exists, and a deposit into a slot clears its cancellation: a reclaim is
/// always at least DEPOSIT_CANCEL_DELAY after the last deposit, so the operator has that long to
/// consume it, and a batch that consumes it cannot be undercut by a reclaim armed in advance.
abstract contract Deposits is MainStorage, MFreezable, MKeyGetters, MTokens, ReentrancyGuard {
    event LogDeposit(
        address indexed depositor, uint256 indexed starkKey, uint256 positionId, uint256 assetType, uint256 quantizedAmount
    );
    event LogDepositCancel(uint256 indexed starkKey, uint256 positionId, uint256 assetId);
    event LogDepositCancelCleared(uint256 indexed starkKey, uint256 positionId, uint256 assetId);
    event LogDepositCancelReclaimed(
        uint256 indexed starkKey, uint256 positionId, uint256 assetType, uint256 quantizedAmount
    );

    error DepositNotFound(uint256 starkKey, uint256 assetId, uint256 positionId);
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
        nonReentrant
    {
        if (!_isValidStarkKey(starkKey)) revert InvalidStarkKey(starkKey);
        if (!_isRegisteredAsset(assetType)) revert AssetNotRegistered(assetType);
        if (positionId >= K.VAULT_ID_UPPER_BOUND) revert VaultIdOutOfRange(positionId);
        // A batch consumes at most 2^64 - 1 per modification, so larger totals could never be used.
        if (quantizedAmount == 0 || quantizedAmount >= K.QUANTIZED_AMOUNT_UPPER_BOUND) {
            revert InvalidQuantizedAmount(quantizedAmount);
        }
        uint256 pending = pendingDeposits[starkKey][assetType][positionId] + quantizedAmount;
        if (pending >= K.QUANTIZED_AMOUNT_UPPER_BOUND) revert InvalidQuantizedAmount(quantizedAmount);
        pendingDeposits[starkKey][assetType][positionId] = pending;
        if (depositCancellations[starkKey][assetType][positionId] != 0) {
            delete depositCancellations[starkKey][assetType][positionId];
            emit LogDepositCancelCleared(starkKey, positionId, assetType);
        }
        emit LogDeposit(msg.sender, starkKey, positionId, assetType, quantizedAmount);
        _transferIn(assetType, quantizedAmount);
    }

    /// Allowed while frozen: a frozen exchange consumes no deposit, so each must be reclaimable.
    function depositCancel(uint256 starkKey, uint256 assetId, uint256 positionId)
        external
        onlyStarkKeyOwner(starkKey)
    {
        if (pendingDeposits[starkKey][assetId][positionId] == 0) revert DepositNotFound(starkKey, assetId, positionId);
        depositCancellations[starkKey][assetId][positionId] = block.timestamp;
        emit LogDepositCancel(starkKey, positionId, assetId);
    }

    function depositReclaim(uint256 starkKey, uint256 assetId, uint256 positionId)
        external
        onlyStarkKeyOwner(starkKey)
        nonReentrant
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
