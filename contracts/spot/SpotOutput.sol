// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice The Spot program output, docs/spot/program-output.md (StarkEx Spot's public input
/// words, with the on-chain data of the rollup vaults as its tail): the offsets, and the
/// length check against the counts. Modification action word:
/// (full_withdrawal_bit · 2^64 + vault_id) · 2^64 + (diff + 2^63).
library SpotOutput {
    uint256 internal constant GLOBAL_CONFIG_CODE = 0;
    uint256 internal constant INITIAL_VALIDIUM_VAULT_ROOT = 1;
    uint256 internal constant FINAL_VALIDIUM_VAULT_ROOT = 2;
    uint256 internal constant INITIAL_ROLLUP_VAULT_ROOT = 3;
    uint256 internal constant FINAL_ROLLUP_VAULT_ROOT = 4;
    uint256 internal constant INITIAL_ORDER_ROOT = 5;
    uint256 internal constant FINAL_ORDER_ROOT = 6;
    uint256 internal constant GLOBAL_EXPIRATION_TIMESTAMP = 7;
    uint256 internal constant VALIDIUM_VAULT_TREE_HEIGHT = 8;
    uint256 internal constant ROLLUP_VAULT_TREE_HEIGHT = 9;
    uint256 internal constant ORDER_TREE_HEIGHT = 10;
    uint256 internal constant N_MODIFICATIONS = 11;
    uint256 internal constant N_CONDITIONAL_TRANSFERS = 12;
    uint256 internal constant N_L1_VAULT_UPDATES = 13;
    uint256 internal constant N_L1_ORDER_MESSAGES = 14;
    uint256 internal constant HEADER_SIZE = 15;
    uint256 internal constant WORDS_PER_MODIFICATION = 3;

    uint256 internal constant BALANCE_BIAS = 2 ** 63;
    /// A vault tree's height is at most 31 (as StarkEx; the on-chain data's vault index is 31 bits).
    uint256 internal constant MAX_VAULT_TREE_HEIGHT = 31;

    error ProgramOutputTooShort(uint256 needed, uint256 length);
    error ProgramOutputLengthMismatch(uint256 expected, uint256 length);
    error CountOutOfRange(uint256 offset, uint256 count);
    error L1SectionNotSupported(uint256 offset, uint256 count);

    /// Checks the counts and that the sections fit the output exactly; returns the offset of the
    /// conditions (the modifications start at HEADER_SIZE).
    function conditionsOffset(uint256[] calldata output) internal pure returns (uint256 conditionsAt) {
        if (output.length < HEADER_SIZE + 2) revert ProgramOutputTooShort(HEADER_SIZE + 2, output.length);
        for (uint256 i = N_MODIFICATIONS; i <= N_CONDITIONAL_TRANSFERS; i++) {
            if (output[i] >= 2 ** 64) revert CountOutOfRange(i, output[i]);
        }
        for (uint256 i = N_L1_VAULT_UPDATES; i <= N_L1_ORDER_MESSAGES; i++) {
            if (output[i] != 0) revert L1SectionNotSupported(i, output[i]);
        }
        conditionsAt = HEADER_SIZE + WORDS_PER_MODIFICATION * output[N_MODIFICATIONS];
        uint256 onchainAt = conditionsAt + output[N_CONDITIONAL_TRANSFERS];
        // On-chain data: n_keys, keys, n_tokens, tokens, then the packed changes (at least the
        // two table sizes); its size is what is left.
        if (onchainAt + 2 > output.length) revert ProgramOutputLengthMismatch(onchainAt + 2, output.length);
        uint256 nKeys = output[onchainAt];
        if (nKeys > output.length) revert ProgramOutputLengthMismatch(onchainAt + 2, output.length);
        uint256 tokensAt = onchainAt + 1 + nKeys;
        if (tokensAt >= output.length) revert ProgramOutputLengthMismatch(tokensAt + 1, output.length);
        uint256 nTokens = output[tokensAt];
        if (nTokens > output.length || tokensAt + 1 + nTokens > output.length) {
            revert ProgramOutputLengthMismatch(tokensAt + 1 + nTokens, output.length);
        }
    }
}
