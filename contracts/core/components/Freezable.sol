// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainConstants as K} from "../MainConstants.sol";
import {MainStorage} from "../MainStorage.sol";
import {MFreezable} from "../interfaces/MFreezable.sol";
import {MGovernance} from "../interfaces/MGovernance.sol";

/// @notice Leaving the frozen state, which anyone enters through an overdue forced request.
/// Governance may unfreeze only UNFREEZE_DELAY after the freeze, and never once a vault escaped:
/// an escape pays out a vault the off-chain state still holds, so batches after an unfreeze
/// would pay it twice (and its escape marker would keep it from escaping again). The freeze is
/// then final.
abstract contract Freezable is MainStorage, MGovernance, MFreezable {
    event LogUnfrozen(address indexed by);

    error UnfreezeTooEarly(uint256 readyAt);
    error UnfreezeAfterEscape(uint256 escapeCount);

    function frozen() external view returns (bool) {
        return _isFrozen();
    }

    /// When the exchange was frozen (0 if it is not).
    function frozenSince() external view returns (uint256) {
        return frozenAt;
    }

    /// When governance last unfroze (0: never); forced requests count from here at the earliest.
    function lastUnfreezeTime() external view returns (uint256) {
        return unfrozenAt;
    }

    /// Restarts the operator's grace period for every pending forced request (FreezeRequests).
    function unfreeze() external onlyGovernance onlyFrozen {
        uint256 readyAt = frozenAt + K.UNFREEZE_DELAY;
        if (block.timestamp < readyAt) revert UnfreezeTooEarly(readyAt);
        if (escapeCount != 0) revert UnfreezeAfterEscape(escapeCount);
        stateFrozen = false;
        frozenAt = 0;
        unfrozenAt = block.timestamp;
        emit LogUnfrozen(msg.sender);
    }
}
