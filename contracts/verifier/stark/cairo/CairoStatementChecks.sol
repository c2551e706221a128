// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice The public input of the Cairo AIR (offchain/prover/cairo/statement.py): 12 header
/// words, then the public memory as a count and (address, value) pairs; and the checks of
/// CairoStatement.problems, which the verifier applies before anything else.
library CairoStatementChecks {
    uint256 internal constant HEADER = 12;
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
        uint256 n = w[HEADER];
        for (uint256 i = 0; i < n; i++) {
            if (w[HEADER + 1 + 2 * i] == address_) return (true, w[HEADER + 2 + 2 * i]);
        }
    }

    function check(uint256 traceLength, uint256[] calldata w) internal pure {
        uint256 n = nPublicCells(w);
        if (w[N_RC_FILL] < 1 || w[N_RC_FILL] > 64) revert StatementRejected(2);
        if (w[RC_MIN] > w[RC_MAX] || w[RC_MAX] >= 1 << 16) revert StatementRejected(3);
        uint256 outputCells = 0;
        for (uint256 i = 0; i < n; i++) {
            uint256 a = w[HEADER + 1 + 2 * i];
            if (a == 0 || a >= 1 << 64) revert StatementRejected(5);
            for (uint256 j = 0; j < i; j++) {
                if (w[HEADER + 1 + 2 * j] == a) revert StatementRejected(4);
            }
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
