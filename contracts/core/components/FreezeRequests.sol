// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainConstants as K} from "../MainConstants.sol";
import {MainStorage} from "../MainStorage.sol";
import {MForcedRequests} from "../interfaces/MForcedRequests.sol";
import {MFreezable} from "../interfaces/MFreezable.sol";

/// @notice The escape hatch's trigger: a forced request left unserved past FREEZE_GRACE_PERIOD
/// (counted from the request, or from the last unfreeze if later) lets anyone freeze the exchange.
abstract contract FreezeRequests is MainStorage, MFreezable, MForcedRequests {
    error FreezeGracePeriodNotOver(uint256 freezableAt);

    /// The time a pending request was made; 0 if none is pending (never made, or served).
    function forcedRequestTime(bytes32 requestKey) external view returns (uint256) {
        uint256 state = forcedRequests[requestKey];
        return state == SERVED ? 0 : state;
    }

    /// A one-shot request (a forced trade) that a batch served: it can never be requested again.
    function isForcedRequestServed(bytes32 requestKey) external view returns (bool) {
        return forcedRequests[requestKey] == SERVED;
    }

    function freezeRequest(bytes32 requestKey) external {
        uint256 requestedAt = forcedRequests[requestKey];
        if (requestedAt == 0 || requestedAt == SERVED) revert ForcedRequestNotFound(requestKey);
        // After an unfreeze the operator gets a fresh grace period for requests made before it.
        uint256 graceStart = requestedAt > unfrozenAt ? requestedAt : unfrozenAt;
        uint256 freezableAt = graceStart + K.FREEZE_GRACE_PERIOD;
        if (block.timestamp <= freezableAt) revert FreezeGracePeriodNotOver(freezableAt);
        _freeze();
    }
}
