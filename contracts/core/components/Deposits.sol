// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {InvalidQuantizedAmount, InvalidStarkKey, VaultIdOutOfRange} from "../Errors.sol";
import {MainConstants as K} from "../MainConstants.sol";
import {MainStorage} from "../MainStorage.sol";
import {MFreezable} from "../interfaces/MFreezable.sol";
import {MDepositSlots} from "../interfaces/MDepositSlots.sol";
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
abstract contract Deposits is MainStorage, MFreezable, MKeyGetters, MTokens, MDepositSlots, ReentrancyGuard {
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

    /// ETH or ERC-20 (an asset whose id is its type); other kinds: TokenIdRamping.
    function deposit(uint256 starkKey, uint256 assetType, uint256 positionId, uint256 quantizedAmount)
        external
        payable
        notFrozen
        nonReentrant
    {
        if (!_isRegisteredAsset(assetType)) revert AssetNotRegistered(assetType);
        _recordDeposit(starkKey, assetType, positionId, quantizedAmount);
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
        uint256 amount = _takeReclaim(starkKey, assetId, positionId);
        emit LogDepositCancelReclaimed(starkKey, positionId, assetId, amount);
        _transferOut(msg.sender, assetId, amount);
    }

    function _recordDeposit(uint256 starkKey, uint256 assetId, uint256 vaultId, uint256 quantizedAmount)
        internal
        override
    {
        if (!_isValidStarkKey(starkKey)) revert InvalidStarkKey(starkKey);
        if (vaultId >= K.VAULT_ID_UPPER_BOUND) revert VaultIdOutOfRange(vaultId);
        // A batch consumes at most 2^64 - 1 per modification, so larger totals could never be used.
        if (quantizedAmount == 0 || quantizedAmount >= K.QUANTIZED_AMOUNT_UPPER_BOUND) {
            revert InvalidQuantizedAmount(quantizedAmount);
        }
        uint256 pending = pendingDeposits[starkKey][assetId][vaultId] + quantizedAmount;
        if (pending >= K.QUANTIZED_AMOUNT_UPPER_BOUND) revert InvalidQuantizedAmount(quantizedAmount);
        pendingDeposits[starkKey][assetId][vaultId] = pending;
        if (depositCancellations[starkKey][assetId][vaultId] != 0) {
            delete depositCancellations[starkKey][assetId][vaultId];
            emit LogDepositCancelCleared(starkKey, vaultId, assetId);
        }
    }

    function _takeReclaim(uint256 starkKey, uint256 assetId, uint256 vaultId) internal override returns (uint256 amount) {
        uint256 requestedAt = depositCancellations[starkKey][assetId][vaultId];
        if (requestedAt == 0) revert DepositCancelNotRequested(starkKey, assetId, vaultId);
        uint256 readyAt = requestedAt + K.DEPOSIT_CANCEL_DELAY;
        if (block.timestamp < readyAt) revert DepositReclaimTooEarly(readyAt);
        amount = pendingDeposits[starkKey][assetId][vaultId];
        if (amount == 0) revert NothingToReclaim();
        pendingDeposits[starkKey][assetId][vaultId] = 0;
        depositCancellations[starkKey][assetId][vaultId] = 0;
    }
}
