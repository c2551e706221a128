// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MintableERC20} from "./MintableERC20.sol";

/// @notice TEST ONLY: an ERC-20 whose outgoing `transfer` can be switched to fail, either by
/// returning false or by reverting, to test that a failed withdrawal keeps the pending amount.
/// Deposits (transferFrom) keep working.
contract FailingERC20 is MintableERC20 {
    enum TransferMode {
        Succeed,
        ReturnFalse,
        Revert
    }

    TransferMode public transferMode;

    event TransferModeSet(TransferMode mode);

    error TransferDisabled();

    function setTransferMode(TransferMode mode) external {
        transferMode = mode;
        emit TransferModeSet(mode);
    }

    function transfer(address to, uint256 amount) external override returns (bool) {
        if (transferMode == TransferMode.Revert) revert TransferDisabled();
        if (transferMode == TransferMode.ReturnFalse) return false;
        _move(msg.sender, to, amount);
        return true;
    }
}
