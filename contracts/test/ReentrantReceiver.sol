// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Reentrancy} from "./Reentrancy.sol";

/// @notice TEST ONLY: a malicious ETH recipient. It acts on the exchange as itself (it can own a
/// stark key: a registration signed for its address), and when the exchange pays it ETH it calls
/// back with a prepared call.
contract ReentrantReceiver is Reentrancy {
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
        _reenter();
    }
}
