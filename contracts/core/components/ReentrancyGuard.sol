// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice One lock for every function that moves funds out of or into the exchange, in
/// transient storage (EIP-1153): a token or an ETH recipient called back during a transfer
/// cannot enter any of them again. The lock takes no storage slot, so the proxy's layout is
/// untouched.
abstract contract ReentrancyGuard {
    /// bytes32(uint256(keccak256("starkex-rollup.reentrancy.lock")) - 1)
    bytes32 private constant LOCK_SLOT = bytes32(uint256(keccak256("starkex-rollup.reentrancy.lock")) - 1);

    error ReentrantCall();

    modifier nonReentrant() {
        _lock();
        _;
        _unlock();
    }

    function _lock() private {
        bytes32 slot = LOCK_SLOT;
        bool locked;
        assembly ("memory-safe") {
            locked := tload(slot)
        }
        if (locked) revert ReentrantCall();
        assembly ("memory-safe") {
            tstore(slot, 1)
        }
    }

    function _unlock() private {
        bytes32 slot = LOCK_SLOT;
        assembly ("memory-safe") {
            tstore(slot, 0)
        }
    }
}
