// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Changes that take effect only CONFIGURATION_DELAY after a public announcement; a change
/// is identified by keccak256(abi.encode(kind, value)), so the applied value is exactly the
/// announced one.
abstract contract MTimelocks {
    function _announceChange(bytes32 kind, bytes memory value) internal virtual;

    /// Consumes the announcement of (kind, value); reverts unless it was announced and is due.
    function _consumeChange(bytes32 kind, bytes memory value) internal virtual;
}
