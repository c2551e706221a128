// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice For code that runs only behind the proxy, on the proxy's storage: called at its own
/// address (where its storage is not the exchange's), it refuses, so neither the implementation
/// nor a sub-contract can be initialized or used on its own.
abstract contract DelegateOnly {
    address private immutable SELF = address(this);

    error NotThroughProxy();

    modifier onlyDelegated() {
        if (address(this) == SELF) revert NotThroughProxy();
        _;
    }
}
