// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainStorage} from "../MainStorage.sol";
import {MDeposits} from "../interfaces/MDeposits.sol";

/// @notice A batch consumes pending deposits (made through Deposits.deposit).
abstract contract PendingDeposits is MainStorage, MDeposits {
    event LogDepositConsumed(uint256 indexed starkKey, uint256 positionId, uint256 quantizedAmount);

    function _consumeDeposit(uint256 starkKey, uint256 assetType, uint256 vaultId, uint256 quantizedAmount)
        internal
        override
    {
        uint256 available = pendingDeposits[starkKey][assetType][vaultId];
        if (available < quantizedAmount) {
            revert InsufficientPendingDeposit(starkKey, vaultId, quantizedAmount, available);
        }
        pendingDeposits[starkKey][assetType][vaultId] = available - quantizedAmount;
        emit LogDepositConsumed(starkKey, vaultId, quantizedAmount);
    }
}
