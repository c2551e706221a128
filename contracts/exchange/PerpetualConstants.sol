// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Fixed parameters of the Perpetual exchange (StarkEx values where StarkEx has one).
library PerpetualConstants {
    uint256 internal constant K_MODULUS = 0x800000000000011000000000000000000000000000000000000000000000001;
    uint256 internal constant MASK_250 = 2 ** 250 - 1;
    uint256 internal constant POSITION_ID_UPPER_BOUND = 2 ** 64;
    uint256 internal constant QUANTIZED_AMOUNT_UPPER_BOUND = 2 ** 64;
    uint256 internal constant NONCE_UPPER_BOUND = 2 ** 32;
    uint256 internal constant MODIFICATION_DELTA_BIAS = 2 ** 64;
    uint256 internal constant QUANTUM_UPPER_BOUND = 2 ** 128;

    uint256 internal constant DEPOSIT_CANCEL_DELAY = 2 days;
    uint256 internal constant FREEZE_GRACE_PERIOD = 7 days;
    uint256 internal constant CONFIGURATION_DELAY = 7 days;
    uint256 internal constant MAX_SYSTEM_TIME_LAG = 7 days;
    uint256 internal constant MAX_SYSTEM_TIME_LEAD = 4 hours;
    uint256 internal constant MAX_FORCED_REQUESTS_PER_BLOCK = 10;
    /// A premium forced request bypasses the per-block cap by paying ~1M gas (as StarkEx), burnt
    /// by expanding memory to this many words: 3w + w^2/512 = 999,968 gas in one instruction.
    uint256 internal constant PREMIUM_MEMORY_WORDS = 21_872;
    uint256 internal constant MAX_VERIFIERS = 8;

    uint256 internal constant DATA_AVAILABILITY_VALIDIUM = 0;
    uint256 internal constant DATA_AVAILABILITY_ROLLUP = 1;

    uint256 internal constant FORCED_WITHDRAWAL_TYPE = 0;
    uint256 internal constant FORCED_TRADE_TYPE = 1;

    bytes4 internal constant ETH_SELECTOR = bytes4(keccak256("ETH()"));
    bytes4 internal constant ERC20_SELECTOR = bytes4(keccak256("ERC20Token(address)"));
}
