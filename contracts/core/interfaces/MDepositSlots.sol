// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice A pending-deposit slot (starkKey, assetId, vaultId) as depositors fill it and reclaim
/// it (core/components/Deposits.sol has the rules), for every asset kind.
abstract contract MDepositSlots {
    /// Checks the key, vault id and amount, adds to the slot and clears its cancellation.
    function _recordDeposit(uint256 starkKey, uint256 assetId, uint256 vaultId, uint256 quantizedAmount)
        internal
        virtual;

    /// Empties a slot whose cancellation is due; returns what it held.
    function _takeReclaim(uint256 starkKey, uint256 assetId, uint256 vaultId) internal virtual returns (uint256);
}
