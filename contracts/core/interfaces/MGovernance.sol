// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Who governs: what a component needs to restrict a function to governance.
abstract contract MGovernance {
    error NotGovernor(address caller);

    function _isGovernor(address account) internal view virtual returns (bool);

    modifier onlyGovernance() {
        if (!_isGovernor(msg.sender)) revert NotGovernor(msg.sender);
        _;
    }
}
