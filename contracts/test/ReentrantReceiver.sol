// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice TEST ONLY: a malicious ETH recipient. It acts on the exchange as itself (it can own a
/// stark key: a registration signed for its address), and when the exchange pays it ETH it calls
/// back with a prepared call, swallows the outcome so the payment completes, and records whether
/// the re-entrant call succeeded.
contract ReentrantReceiver {
    address public target;
    bytes public reentryCall;
    bool public armed;
    uint256 public reentries;
    uint256 public reentriesSucceeded;

    event Reentered(bool success, bytes result);

    error CallFailed(bytes result);

    function arm(address target_, bytes calldata call) external {
        target = target_;
        reentryCall = call;
        armed = true;
    }

    function execute(address to, bytes calldata call) external payable returns (bytes memory) {
        (bool success, bytes memory result) = to.call{value: msg.value}(call);
        if (!success) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
        return result;
    }

    receive() external payable {
        if (!armed) return;
        armed = false;
        reentries += 1;
        (bool success, bytes memory result) = target.call(reentryCall);
        if (success) reentriesSucceeded += 1;
        emit Reentered(success, result);
    }
}
