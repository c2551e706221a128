// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainConstants as K} from "../MainConstants.sol";
import {MainStorage} from "../MainStorage.sol";
import {MForcedRequests} from "../interfaces/MForcedRequests.sol";

/// @notice The bookkeeping of forced requests: a request key maps to its request time while it
/// is pending, to 0 when there is none, and to SERVED once a batch served a one-shot request
/// (a forced trade: its counterparty signed one trade, so serving it twice would execute it
/// twice). At most MAX_FORCED_REQUESTS_PER_BLOCK ordinary requests per block, so a flood cannot
/// outgrow what a batch can serve; a premium request bypasses the cap by paying ~1M gas.
abstract contract ForcedRequests is MainStorage, MForcedRequests {
    event LogForcedRequestServed(bytes32 indexed requestKey);

    error TooManyForcedRequestsInBlock();

    function _recordForcedRequest(bytes32 requestKey, bool premiumCost) internal override {
        uint256 state = forcedRequests[requestKey];
        if (state == SERVED) revert ForcedRequestReplayed(requestKey);
        if (state != 0) revert ForcedRequestAlreadyPending(requestKey);
        if (premiumCost) {
            // Memory expansion: the gas is paid in one instruction, not a loop of many.
            uint256 lastWordOffset = (K.PREMIUM_MEMORY_WORDS - 1) * 32;
            assembly {
                mstore(lastWordOffset, 0)
            }
        } else {
            uint256 inBlock = forcedRequestsInBlock[block.number];
            if (inBlock >= K.MAX_FORCED_REQUESTS_PER_BLOCK) revert TooManyForcedRequestsInBlock();
            forcedRequestsInBlock[block.number] = inBlock + 1;
        }
        forcedRequests[requestKey] = block.timestamp;
    }

    function _serveForcedRequest(bytes32 requestKey, bool oneShot) internal override {
        uint256 state = forcedRequests[requestKey];
        if (state == 0 || state == SERVED) revert ForcedRequestNotFound(requestKey);
        forcedRequests[requestKey] = oneShot ? SERVED : 0;
        emit LogForcedRequestServed(requestKey);
    }
}
