// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Governance} from "./Governance.sol";

/// @notice The frozen state: entered by anyone through an overdue forced request
/// (ForcedActions.freezeRequest), left only by governance.
abstract contract Freezable is Governance {
    event LogFrozen(address indexed by);
    event LogUnfrozen(address indexed by);

    error StateFrozen();
    error StateNotFrozen();

    modifier notFrozen() {
        if (frozen) revert StateFrozen();
        _;
    }

    modifier onlyFrozen() {
        if (!frozen) revert StateNotFrozen();
        _;
    }

    /// Restarts the operator's grace period for every pending forced request (ForcedActions.freezeRequest).
    function unfreeze() external onlyGovernance onlyFrozen {
        frozen = false;
        lastUnfreezeTime = block.timestamp;
        emit LogUnfrozen(msg.sender);
    }

    function _freeze() internal notFrozen {
        frozen = true;
        emit LogFrozen(msg.sender);
    }
}
