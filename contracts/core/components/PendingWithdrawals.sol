// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainStorage} from "../MainStorage.sol";
import {MWithdrawals} from "../interfaces/MWithdrawals.sol";

/// @notice Batches and escapes credit pending withdrawals (paid by Withdrawals.withdraw).
abstract contract PendingWithdrawals is MainStorage, MWithdrawals {
    event LogWithdrawalAllowed(uint256 indexed starkKey, uint256 assetId, uint256 quantizedAmount);

    function _allowWithdrawal(uint256 starkKey, uint256 assetType, uint256 quantizedAmount) internal override {
        pendingWithdrawals[starkKey][assetType] += quantizedAmount;
        emit LogWithdrawalAllowed(starkKey, assetType, quantizedAmount);
    }
}
