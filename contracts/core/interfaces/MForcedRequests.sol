// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Forced requests, keyed by the hash of what a batch must list to serve them.
abstract contract MForcedRequests {
    error ForcedRequestAlreadyPending(bytes32 requestKey);
    error ForcedRequestNotFound(bytes32 requestKey);

    /// Records a request made now; reverts if it is pending.
    function _recordForcedRequest(bytes32 requestKey, bool premiumCost) internal virtual;

    /// Clears a pending request.
    function _serveForcedRequest(bytes32 requestKey) internal virtual;
}
