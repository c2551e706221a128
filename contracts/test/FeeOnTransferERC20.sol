// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MintableERC20} from "./MintableERC20.sol";

/// @notice TEST ONLY: an ERC-20 that burns a fee (feeBasisPoints of the amount) on every
/// transfer, as some real tokens do: taken out of the amount (the recipient gets less; at 10,000
/// it reports success while moving nothing), or, with feeOnTop, charged to the sender on top of
/// the amount (the sender pays more).
contract FeeOnTransferERC20 is MintableERC20 {
    uint256 public feeBasisPoints;
    bool public feeOnTop;

    event FeeSet(uint256 feeBasisPoints, bool feeOnTop);

    function setFee(uint256 basisPoints, bool onTop) external {
        feeBasisPoints = basisPoints;
        feeOnTop = onTop;
        emit FeeSet(basisPoints, onTop);
    }

    function transfer(address to, uint256 amount) external override returns (bool) {
        _moveWithFee(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external override returns (bool) {
        _spendAllowance(from, amount);
        _moveWithFee(from, to, amount);
        return true;
    }

    function _moveWithFee(address from, address to, uint256 amount) private {
        uint256 fee = amount * feeBasisPoints / 10_000;
        _move(from, to, feeOnTop ? amount : amount - fee);
        if (fee != 0) _move(from, address(0), fee);
    }
}
