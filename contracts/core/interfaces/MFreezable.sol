// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice The frozen state: what components need to gate on it or to enter it.
abstract contract MFreezable {
    error StateFrozen();
    error StateNotFrozen();

    function _isFrozen() internal view virtual returns (bool);

    /// Enters the frozen state (an overdue forced request); reverts if already frozen.
    function _freeze() internal virtual;

    modifier notFrozen() {
        if (_isFrozen()) revert StateFrozen();
        _;
    }

    modifier onlyFrozen() {
        if (!_isFrozen()) revert StateNotFrozen();
        _;
    }
}
