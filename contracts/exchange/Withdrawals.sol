// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Deposits} from "./Deposits.sol";

/// @notice Withdrawals credited by batches (and by escapes) and paid to the key's eth address.
/// Allowed while frozen: funds already credited must stay reachable.
abstract contract Withdrawals is Deposits {
    event LogWithdrawalAllowed(uint256 indexed starkKey, uint256 assetId, uint256 quantizedAmount);
    event LogWithdrawalPerformed(
        uint256 indexed starkKey, uint256 assetType, uint256 quantizedAmount, address recipient
    );

    error NothingToWithdraw(uint256 starkKey, uint256 assetId);

    function getWithdrawalBalance(uint256 starkKey, uint256 assetId) external view returns (uint256) {
        return pendingWithdrawals[starkKey][assetId];
    }

    function withdraw(uint256 ownerKey, uint256 assetType) external {
        address recipient = getEthKey(ownerKey);
        uint256 amount = pendingWithdrawals[ownerKey][assetType];
        if (amount == 0) revert NothingToWithdraw(ownerKey, assetType);
        pendingWithdrawals[ownerKey][assetType] = 0;
        emit LogWithdrawalPerformed(ownerKey, assetType, amount, recipient);
        _transferOut(recipient, assetType, amount);
    }

    function _allowWithdrawal(uint256 starkKey, uint256 assetId, uint256 quantizedAmount) internal {
        pendingWithdrawals[starkKey][assetId] += quantizedAmount;
        emit LogWithdrawalAllowed(starkKey, assetId, quantizedAmount);
    }
}
