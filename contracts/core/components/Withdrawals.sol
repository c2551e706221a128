// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainStorage} from "../MainStorage.sol";
import {MKeyGetters} from "../interfaces/MKeyGetters.sol";
import {MTokens} from "../interfaces/MTokens.sol";
import {ReentrancyGuard} from "./ReentrancyGuard.sol";

/// @notice Withdrawals credited by batches (and by escapes), paid to the key's eth address.
/// Allowed while frozen: funds already credited must stay reachable.
abstract contract Withdrawals is MainStorage, MKeyGetters, MTokens, ReentrancyGuard {
    event LogWithdrawalPerformed(
        uint256 indexed starkKey, uint256 assetType, uint256 quantizedAmount, address recipient
    );

    error NothingToWithdraw(uint256 starkKey, uint256 assetId);

    function getWithdrawalBalance(uint256 starkKey, uint256 assetId) external view returns (uint256) {
        return pendingWithdrawals[starkKey][assetId];
    }

    /// Anyone may trigger it; the key's registered eth address is paid.
    function withdraw(uint256 ownerKey, uint256 assetType) external nonReentrant {
        address recipient = _ethKeyOf(ownerKey);
        uint256 amount = pendingWithdrawals[ownerKey][assetType];
        if (amount == 0) revert NothingToWithdraw(ownerKey, assetType);
        pendingWithdrawals[ownerKey][assetType] = 0;
        emit LogWithdrawalPerformed(ownerKey, assetType, amount, recipient);
        _transferOut(recipient, assetType, amount);
    }
}
