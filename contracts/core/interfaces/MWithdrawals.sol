// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Pending withdrawals, as batches and escapes credit them.
abstract contract MWithdrawals {
    function _allowWithdrawal(uint256 starkKey, uint256 assetType, uint256 quantizedAmount) internal virtual;
}
