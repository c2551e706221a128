// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Fixed parameters of the Perpetual exchange (StarkEx values where StarkEx has one);
/// the ones every application shares are in core/MainConstants.sol.
library PerpetualConstants {
    uint256 internal constant NONCE_UPPER_BOUND = 2 ** 32;
    uint256 internal constant MODIFICATION_DELTA_BIAS = 2 ** 64;
    /// minimum_expiration_timestamp is in hours and fits 32 bits, as the program's.
    uint256 internal constant EXPIRATION_TIMESTAMP_UPPER_BOUND = 2 ** 32;
    uint256 internal constant MAX_SYSTEM_TIME_LAG = 7 days;
    uint256 internal constant MAX_SYSTEM_TIME_LEAD = 4 hours;
    /// Bounds every loop over the asset configuration (applying a new one clears the old one).
    uint256 internal constant MAX_SYNTHETIC_ASSETS = 256;

    uint256 internal constant FORCED_WITHDRAWAL_TYPE = 0;
    uint256 internal constant FORCED_TRADE_TYPE = 1;
    uint256 internal constant FORCED_WITHDRAWAL_WORDS = 4;
    uint256 internal constant FORCED_TRADE_WORDS = 10;
}
