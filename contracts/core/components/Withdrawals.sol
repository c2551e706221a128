// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainStorage} from "../MainStorage.sol";
import {MKeyGetters} from "../interfaces/MKeyGetters.sol";
import {MTokens} from "../interfaces/MTokens.sol";
import {ReentrancyGuard} from "./ReentrancyGuard.sol";

/// @notice Withdrawals credited by batches (and by escapes), paid to the owner's eth address.
/// The owner key is a Stark key (paid to its registered eth address) or, below 2^160, an eth
/// address itself: a WITHDRAWAL_TO_ADDRESS credits the address its Stark key signed
/// (docs/program-output.md, entry 7), so that key needs no registration. A Stark key is a curve
/// point's x coordinate; one below 2^160 whose private key anyone knows cannot be found.
/// Allowed while frozen: funds already credited must stay reachable.
abstract contract Withdrawals is MainStorage, MKeyGetters, MTokens, ReentrancyGuard {
    event LogWithdrawalPerformed(
        uint256 indexed starkKey, uint256 assetType, uint256 quantizedAmount, address recipient
    );

    uint256 private constant ETH_ADDRESS_BOUND = 2 ** 160;

    error NothingToWithdraw(uint256 starkKey, uint256 assetId);

    function getWithdrawalBalance(uint256 starkKey, uint256 assetId) external view returns (uint256) {
        return pendingWithdrawals[starkKey][assetId];
    }

    /// Anyone may trigger it; the owner's eth address is paid (see above).
    function withdraw(uint256 ownerKey, uint256 assetType) external nonReentrant {
        address recipient = ownerKey < ETH_ADDRESS_BOUND ? address(uint160(ownerKey)) : _ethKeyOf(ownerKey);
        uint256 amount = pendingWithdrawals[ownerKey][assetType];
        if (amount == 0) revert NothingToWithdraw(ownerKey, assetType);
        pendingWithdrawals[ownerKey][assetType] = 0;
        emit LogWithdrawalPerformed(ownerKey, assetType, amount, recipient);
        _transferOut(recipient, assetType, amount);
    }
}
