// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice StarkEx Spot's program output (its public input: StarkEx's PublicInputOffsets), read by
/// updateState. Words:
///   0 initial vault root   1 final vault root   2 initial order root   3 final order root
///   4 global expiration timestamp (hours)   5 vault tree height   6 order tree height
///   7 n_modifications   8 n_conditional_transfers
///   then n_modifications × 3 words: stark key, asset id, action params
///        (bit 95: the modification serves a full withdrawal request; bits 64–94: vault id;
///         bits 0–63: balance change + 2^63)
///   then n_conditional_transfers × 1 word: the condition, keccak256(registry ‖ fact) & (2^250 - 1)
/// The output ends exactly there.
library SpotOutput {
    uint256 internal constant INITIAL_VAULT_ROOT = 0;
    uint256 internal constant FINAL_VAULT_ROOT = 1;
    uint256 internal constant INITIAL_ORDER_ROOT = 2;
    uint256 internal constant FINAL_ORDER_ROOT = 3;
    uint256 internal constant GLOBAL_EXPIRATION_TIMESTAMP = 4;
    uint256 internal constant VAULT_TREE_HEIGHT = 5;
    uint256 internal constant ORDER_TREE_HEIGHT = 6;
    uint256 internal constant N_MODIFICATIONS = 7;
    uint256 internal constant N_CONDITIONAL_TRANSFERS = 8;
    uint256 internal constant HEADER_SIZE = 9;
    uint256 internal constant WORDS_PER_MODIFICATION = 3;

    uint256 internal constant BALANCE_BIAS = 2 ** 63;
    uint256 internal constant FULL_WITHDRAWAL_BIT = 95;
    uint256 internal constant VAULT_ID_BITS = 31;

    error ProgramOutputTooShort(uint256 needed, uint256 length);
    error ProgramOutputLengthMismatch(uint256 expected, uint256 length);

    /// Checks the length against the counts; returns the offset of the conditions.
    function conditionsOffset(uint256[] calldata output) internal pure returns (uint256) {
        if (output.length < HEADER_SIZE) revert ProgramOutputTooShort(HEADER_SIZE, output.length);
        uint256 nModifications = output[N_MODIFICATIONS];
        uint256 nConditions = output[N_CONDITIONAL_TRANSFERS];
        // Bounding the counts by the length first keeps the products from overflowing.
        if (nModifications > output.length || nConditions > output.length) {
            revert ProgramOutputLengthMismatch(HEADER_SIZE, output.length);
        }
        uint256 offset = HEADER_SIZE + WORDS_PER_MODIFICATION * nModifications;
        if (offset + nConditions != output.length) revert ProgramOutputLengthMismatch(offset + nConditions, output.length);
        return offset;
    }
}
