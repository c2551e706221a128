// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MintableERC20} from "./MintableERC20.sol";

/// @notice TEST ONLY: a malicious collateral token. While the exchange calls its transfer or
/// transferFrom, it calls back into the exchange with a prepared call (as itself), swallows the
/// outcome so the outer transfer completes, and records whether the re-entrant call succeeded.
contract ReentrantERC20 is MintableERC20 {
    address public target;
    bytes public reentryCall;
    bool public armed;
    uint256 public reentries;
    uint256 public reentriesSucceeded;

    event Reentered(bool success, bytes result);

    function arm(address target_, bytes calldata call) external {
        target = target_;
        reentryCall = call;
        armed = true;
    }

    function transfer(address to, uint256 amount) external override returns (bool) {
        _reenter();
        _move(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external override returns (bool) {
        _reenter();
        if (allowance[from][msg.sender] < amount) revert InsufficientAllowance();
        allowance[from][msg.sender] -= amount;
        _move(from, to, amount);
        return true;
    }

    /// Lets the token act on the exchange as itself (approvals it needs for a re-entrant deposit).
    function approveFor(address spender, uint256 amount) external {
        allowance[address(this)][spender] = amount;
    }

    function _reenter() private {
        if (!armed) return;
        armed = false; // once per arming: the re-entrant call must not recurse forever
        reentries += 1;
        (bool success, bytes memory result) = target.call(reentryCall);
        if (success) reentriesSucceeded += 1;
        emit Reentered(success, result);
    }
}
