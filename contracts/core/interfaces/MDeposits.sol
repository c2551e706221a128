// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Pending deposits, as a batch consumes them.
abstract contract MDeposits {
    error InsufficientPendingDeposit(uint256 starkKey, uint256 vaultId, uint256 needed, uint256 available);

    /// Takes quantizedAmount from the pending deposit of (starkKey, assetType, vaultId).
    function _consumeDeposit(uint256 starkKey, uint256 assetType, uint256 vaultId, uint256 quantizedAmount)
        internal
        virtual;
}
