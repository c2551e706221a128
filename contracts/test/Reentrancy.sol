// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice TEST ONLY: what a malicious contract needs to re-enter the exchange once: a prepared
/// call, armed for one use (so it cannot recurse forever), whose outcome is swallowed — so the
/// outer call completes — and recorded.
abstract contract Reentrancy {
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

    function _reenter() internal {
        if (!armed) return;
        armed = false;
        reentries += 1;
        (bool success, bytes memory result) = target.call(reentryCall);
        if (success) reentriesSucceeded += 1;
        emit Reentered(success, result);
    }
}
