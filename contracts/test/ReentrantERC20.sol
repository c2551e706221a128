// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MintableERC20} from "./MintableERC20.sol";
import {Reentrancy} from "./Reentrancy.sol";

/// @notice TEST ONLY: a malicious collateral token. While the exchange calls its transfer or
/// transferFrom, it calls back into the exchange with a prepared call (as itself).
contract ReentrantERC20 is MintableERC20, Reentrancy {
    function transfer(address to, uint256 amount) external override returns (bool) {
        _reenter();
        _move(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external override returns (bool) {
        _reenter();
        _spendAllowance(from, amount);
        _move(from, to, amount);
        return true;
    }

    /// Lets the token act on the exchange as itself (approvals it needs for a re-entrant deposit).
    function approveFor(address spender, uint256 amount) external {
        allowance[address(this)][spender] = amount;
    }
}
