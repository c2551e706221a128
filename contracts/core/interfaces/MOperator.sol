// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Who may submit batches: what a component needs to restrict a function to operators.
abstract contract MOperator {
    error NotOperator(address caller);

    function _isOperator(address account) internal view virtual returns (bool);

    modifier onlyOperator() {
        if (!_isOperator(msg.sender)) revert NotOperator(msg.sender);
        _;
    }
}
