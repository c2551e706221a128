// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainStorage} from "../MainStorage.sol";
import {MGovernance} from "../interfaces/MGovernance.sol";
import {MOperator} from "../interfaces/MOperator.sol";

/// @notice Reads the governor and operator sets (managed by Governance).
abstract contract Roles is MainStorage, MGovernance, MOperator {
    function _isGovernor(address account) internal view override returns (bool) {
        return governors[account];
    }

    function _isOperator(address account) internal view override returns (bool) {
        return operators[account];
    }
}
