// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainStorage} from "../MainStorage.sol";
import {MFreezable} from "../interfaces/MFreezable.sol";

/// @notice Reads and enters the frozen state (left through Freezable.unfreeze).
abstract contract FreezeState is MainStorage, MFreezable {
    event LogFrozen(address indexed by);

    function _isFrozen() internal view override returns (bool) {
        return stateFrozen;
    }

    function _freeze() internal override notFrozen {
        stateFrozen = true;
        frozenAt = block.timestamp;
        emit LogFrozen(msg.sender);
    }
}
