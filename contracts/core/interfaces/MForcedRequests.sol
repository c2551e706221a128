// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Forced requests, keyed by the hash of what a batch must list to serve them.
abstract contract MForcedRequests {
    /// The state of a one-shot request (a forced trade) that a batch served; 0 is "none pending",
    /// anything else a pending request's time.
    uint256 internal constant SERVED = type(uint256).max;

    error ForcedRequestAlreadyPending(bytes32 requestKey);
    error ForcedRequestReplayed(bytes32 requestKey);
    error ForcedRequestNotFound(bytes32 requestKey);

    /// Records a request made now; reverts if it is pending, or if it is a one-shot request a
    /// batch already served.
    function _recordForcedRequest(bytes32 requestKey, bool premiumCost) internal virtual;

    /// Clears a pending request; a one-shot one stays marked served, so it is never accepted again.
    function _serveForcedRequest(bytes32 requestKey, bool oneShot) internal virtual;
}
