// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice The public input of the Cairo AIR (offchain/prover/cairo/statement.py): 14 header
/// words, then the public memory as a count and (address, value) pairs in strictly increasing
/// address order, the program first; and the checks of CairoStatement.problems, which the
/// verifier applies before anything else.
library CairoStatementChecks {
    uint256 internal constant HEADER = 14;
    uint256 internal constant BUILTINS = 0;
    uint256 internal constant N_RC_FILL = 1;
    uint256 internal constant RC_MIN = 2;
    uint256 internal constant RC_MAX = 3;
    uint256 internal constant INITIAL_PC = 4;
    uint256 internal constant FINAL_PC = 5;
    uint256 internal constant INITIAL_AP = 6;
    uint256 internal constant FINAL_AP = 7;
    uint256 internal constant RC_BEGIN = 8;
    uint256 internal constant RC_STOP = 9;
    uint256 internal constant OUTPUT_BEGIN = 10;
    uint256 internal constant OUTPUT_STOP = 11;
    uint256 internal constant PROGRAM_BEGIN = 12;
    uint256 internal constant PROGRAM_LENGTH = 13;
    /// @dev Proof mode starts the execution segment right after the program with two stack cells.
    uint256 internal constant PROOF_MODE_STACK_CELLS = 2;
    uint256 internal constant OUTPUT_BUILTIN = 1;
    uint256 internal constant RANGE_CHECK_BUILTIN = 2;

    /// @dev code: which problem of CairoStatement.problems (or of its encoding) was found.
    error StatementRejected(uint256 code);

    function nPublicCells(uint256[] calldata w) internal pure returns (uint256 n) {
        if (w.length < HEADER + 1) revert StatementRejected(0);
        n = w[HEADER];
        if (w.length != HEADER + 1 + 2 * n) revert StatementRejected(1);
    }

    /// @notice The value of public memory cell `address_`, if listed.
    function lookup(uint256[] calldata w, uint256 address_) internal pure returns (bool found, uint256 value) {
        uint256 i = indexOf(w, address_);
        if (i < w[HEADER]) return (true, w[HEADER + 2 + 2 * i]);
    }

    /// @notice The index of the public memory cell at `address_` (the cell count if not listed), by
    /// binary search over the increasing addresses.
    function indexOf(uint256[] calldata w, uint256 address_) internal pure returns (uint256) {
        uint256 n = w[HEADER];
        uint256 lo = 0;
        uint256 hi = n;
        while (lo < hi) {
            uint256 mid = (lo + hi) / 2;
            uint256 a = w[HEADER + 1 + 2 * mid];
            if (a == address_) return mid;
            if (a < address_) lo = mid + 1;
            else hi = mid;
        }
        return n;
    }

    function check(uint256 traceLength, uint256[] calldata w) internal pure {
        uint256 n = nPublicCells(w);
        if (w[N_RC_FILL] < 1 || w[N_RC_FILL] > 64) revert StatementRejected(2);
        if (w[RC_MIN] > w[RC_MAX] || w[RC_MAX] >= 1 << 16) revert StatementRejected(3);
        uint256 outputCells = 0;
        uint256 previous = 0;
        for (uint256 i = 0; i < n; i++) {
            uint256 a = w[HEADER + 1 + 2 * i];
            // Increasing order makes the addresses distinct in one pass; address 0 is reserved.
            if (a <= previous) revert StatementRejected(i == 0 ? 5 : 4);
            if (a >= 1 << 64) revert StatementRejected(5);
            previous = a;
            if (a >= w[OUTPUT_BEGIN] && a < w[OUTPUT_STOP]) outputCells++;
        }
        if (w[RC_BEGIN] > w[RC_STOP] || w[RC_STOP] > w[RC_BEGIN] + traceLength / 8) revert StatementRejected(6);
        if (w[OUTPUT_BEGIN] > w[OUTPUT_STOP]) revert StatementRejected(7);
        // Addresses are distinct, so counting the listed ones finds any missing output cell.
        if (outputCells != w[OUTPUT_STOP] - w[OUTPUT_BEGIN]) revert StatementRejected(8);
        _checkBuiltins(w);
        for (uint256 k = INITIAL_PC; k <= FINAL_AP; k++) {
            if (w[k] >= 1 << 64) revert StatementRejected(12);
        }
        _checkProgram(w, n);
    }

    /// @dev The program is pinned (CairoStatement._program_problems): it begins at the initial pc,
    /// it is the first PROGRAM_LENGTH public cells, and the execution segment follows it directly.
    function _checkProgram(uint256[] calldata w, uint256 n) private pure {
        uint256 begin = w[PROGRAM_BEGIN];
        uint256 length = w[PROGRAM_LENGTH];
        if (begin != w[INITIAL_PC]) revert StatementRejected(13);
        if (length == 0 || length > n) revert StatementRejected(14);
        // Increasing addresses: the first and the last program cells in place pin all between.
        if (w[HEADER + 1] != begin || w[HEADER + 1 + 2 * (length - 1)] != begin + length - 1) {
            revert StatementRejected(15);
        }
        if (w[INITIAL_AP] != begin + length + PROOF_MODE_STACK_CELLS) revert StatementRejected(16);
    }

    /// @dev The segments claimed are the ones the program's builtin pointers ran over.
    function _checkBuiltins(uint256[] calldata w) private pure {
        uint256 builtins = w[BUILTINS];
        if (builtins >= 4) revert StatementRejected(9);
        uint256 nUsed = (builtins & 1) + (builtins >> 1);
        uint256 k = 0;
        if (builtins & OUTPUT_BUILTIN != 0) {
            _checkPointers(w, k, nUsed, w[OUTPUT_BEGIN], w[OUTPUT_STOP]);
            k++;
        } else if (w[OUTPUT_STOP] != w[OUTPUT_BEGIN]) {
            revert StatementRejected(11);
        }
        if (builtins & RANGE_CHECK_BUILTIN != 0) {
            _checkPointers(w, k, nUsed, w[RC_BEGIN], w[RC_STOP]);
        } else if (w[RC_STOP] != w[RC_BEGIN]) {
            revert StatementRejected(11);
        }
    }

    function _checkPointers(uint256[] calldata w, uint256 k, uint256 nUsed, uint256 begin, uint256 stop)
        private
        pure
    {
        (bool found, uint256 value) = lookup(w, w[INITIAL_AP] + k);
        if (!found || value != begin) revert StatementRejected(10);
        if (w[FINAL_AP] + k < nUsed) revert StatementRejected(10);
        (found, value) = lookup(w, w[FINAL_AP] + k - nUsed);
        if (!found || value != stop) revert StatementRejected(10);
    }
}
