// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {CairoStatementFormat as F} from "./CairoStatementFormat.sol";

/// @notice The rules of the Cairo statement (offchain/prover/cairo/statement.py, CairoStatement.check),
/// checked in the same order, so that a statement that breaks any reverts StatementRejected(rule) with
/// the first one broken, as the Python verifier names it (CairoStatementFormat.RULE_*). Then what the
/// AIR and the fact registry read from a statement that holds: the AIR constants, the builtin
/// segments, the output cells. Words are the proof's public inputs: the header, the public memory
/// count, then (address, value) pairs.
library CairoStatementChecks {
    error StatementRejected(uint256 rule);

    function check(uint256 traceLength, uint256[] calldata w) internal pure {
        uint256 count = nPublicCells(w);
        if (!supportsRcFill(w[F.N_RC_FILL])) revert StatementRejected(F.RULE_N_RC_FILL);
        if (w[F.LAYOUT] != F.LAYOUT_CODE) revert StatementRejected(F.RULE_LAYOUT);
        if (w[F.RC_MIN] > w[F.RC_MAX] || w[F.RC_MAX] >= F.RC_BOUND) revert StatementRejected(F.RULE_RC_BOUNDS);
        uint256 builtins = w[F.BUILTINS];
        if (builtins >> F.N_LAYOUT_BUILTINS != 0) revert StatementRejected(F.RULE_BUILTINS);
        if (builtins & ~F.IMPLEMENTED_BUILTINS != 0) revert StatementRejected(F.RULE_BUILTIN_NOT_IMPLEMENTED);
        _checkMemoryOrder(w, count);
        _checkProgram(w, count);
        _checkStack(w);
        _checkSegmentOrder(traceLength, w);
        _checkBuiltinSegments(traceLength, w);
        _checkOutput(w, count);
    }

    /// @notice The number of public memory cells; reverts (ENCODING) unless the words are the header,
    /// the count and exactly that many pairs.
    function nPublicCells(uint256[] calldata w) internal pure returns (uint256 n) {
        // The count is compared after division, so no claimed count is ever multiplied.
        if (w.length < F.HEADER || (w.length - F.HEADER) % 2 != 0) revert StatementRejected(F.RULE_ENCODING);
        n = (w.length - F.HEADER) / 2;
        if (w[F.N_PUBLIC_MEMORY] != n) revert StatementRejected(F.RULE_ENCODING);
    }

    function supportsRcFill(uint256 nRcFill) internal pure returns (bool) {
        // A shift by 256 or more gives 0: unsupported.
        return (F.SUPPORTED_RC_FILL_MASK >> nRcFill) & 1 == 1;
    }

    function addressAt(uint256[] calldata w, uint256 i) internal pure returns (uint256) {
        return w[F.HEADER + 2 * i];
    }

    function valueAt(uint256[] calldata w, uint256 i) internal pure returns (uint256) {
        return w[F.HEADER + 2 * i + 1];
    }

    function nBuiltins(uint256[] calldata w) internal pure returns (uint256 n) {
        for (uint256 bits = w[F.BUILTINS]; bits != 0; bits >>= 1) n += bits & 1;
    }

    /// @notice Builtin k's segment (main's argument and return value), if the program uses it.
    function builtinSegment(uint256[] calldata w, uint256 k)
        internal
        pure
        returns (bool used, uint256 begin, uint256 stop)
    {
        uint256 builtins = w[F.BUILTINS];
        if ((builtins >> k) & 1 == 0) return (false, 0, 0);
        uint256 j = 0; // k's place among the program's builtins
        for (uint256 bits = builtins & ((1 << k) - 1); bits != 0; bits >>= 1) j += bits & 1;
        uint256 first = w[F.PROGRAM_LENGTH] + F.CALLER_FRAME_CELLS;
        return (true, valueAt(w, first + j), valueAt(w, first + nBuiltins(w) + j));
    }

    /// @notice The index of the first output cell: after the program, its caller's frame, main's
    /// arguments and return values.
    function outputIndex(uint256[] calldata w) internal pure returns (uint256) {
        return w[F.PROGRAM_LENGTH] + F.CALLER_FRAME_CELLS + 2 * nBuiltins(w);
    }

    /// @notice statement.AirConstants, in statement.AIR_CONSTANTS order.
    function airConstants(uint256[] calldata w) internal pure returns (uint256[] memory c) {
        c = new uint256[](F.N_AIR_CONSTANTS);
        c[F.AIR_RC_MIN] = w[F.RC_MIN];
        c[F.AIR_RC_MAX] = w[F.RC_MAX];
        c[F.AIR_INITIAL_PC] = w[F.INITIAL_PC];
        c[F.AIR_FINAL_PC] = w[F.FINAL_PC];
        c[F.AIR_INITIAL_AP] = w[F.INITIAL_AP];
        c[F.AIR_FINAL_AP] = w[F.FINAL_AP];
        (bool used, uint256 begin,) = builtinSegment(w, F.RANGE_CHECK_BUILTIN);
        c[F.AIR_RC_USED] = used ? 1 : 0;
        c[F.AIR_RC_BEGIN] = begin;
    }

    function _checkMemoryOrder(uint256[] calldata w, uint256 count) private pure {
        if (count == 0) revert StatementRejected(F.RULE_MEMORY_ORDER);
        uint256 previous = 0; // address 0 is reserved
        for (uint256 i = 0; i < count; i++) {
            uint256 a = addressAt(w, i);
            if (a <= previous) revert StatementRejected(F.RULE_MEMORY_ORDER);
            previous = a;
        }
        if (previous >= F.ADDRESS_BOUND) revert StatementRejected(F.RULE_MEMORY_ORDER);
    }

    /// @dev The program's cells come first, from PROGRAM_BEGIN, with the proof-mode entry code
    /// (ap += n_builtins; call main; __end__: jmp rel 0); the run ends at __end__; the execution
    /// segment follows the program and its caller's frame.
    function _checkProgram(uint256[] calldata w, uint256 count) private pure {
        uint256 length = w[F.PROGRAM_LENGTH];
        uint256 begin = w[F.INITIAL_PC];
        uint256 n = nBuiltins(w);
        if (length < F.ENTRY_LENGTH || length > count || count - length < F.CALLER_FRAME_CELLS + 2 * n) {
            revert StatementRejected(F.RULE_PROGRAM_LENGTH);
        }
        // Increasing addresses: the first and the last program cells in place pin all between.
        if (begin != F.PROGRAM_BEGIN || addressAt(w, 0) != begin || addressAt(w, length - 1) != begin + length - 1) {
            revert StatementRejected(F.RULE_PROGRAM_SEGMENT);
        }
        if (
            valueAt(w, 0) != F.AP_ADD_IMM || valueAt(w, 1) != n || valueAt(w, 2) != F.CALL_REL_IMM
                || valueAt(w, 4) != F.JMP_REL_IMM || valueAt(w, 5) != 0
        ) revert StatementRejected(F.RULE_ENTRY_CODE);
        if (w[F.FINAL_PC] != begin + F.END_OFFSET) revert StatementRejected(F.RULE_FINAL_PC);
        if (w[F.INITIAL_AP] != begin + length + F.CALLER_FRAME_CELLS) revert StatementRejected(F.RULE_INITIAL_AP);
    }

    /// @dev [initial_ap - 2] = initial_ap and [initial_ap - 1] = 0, main's arguments at initial_ap + k,
    /// its return values at final_ap - n + k, above its frame.
    function _checkStack(uint256[] calldata w) private pure {
        uint256 length = w[F.PROGRAM_LENGTH];
        uint256 ap = w[F.INITIAL_AP];
        uint256 n = nBuiltins(w);
        if (
            addressAt(w, length) != ap - 2 || valueAt(w, length) != ap || addressAt(w, length + 1) != ap - 1
                || valueAt(w, length + 1) != 0
        ) revert StatementRejected(F.RULE_CALLER_FRAME);
        uint256 first = length + F.CALLER_FRAME_CELLS;
        if (n != 0 && addressAt(w, first + n - 1) != ap + n - 1) revert StatementRejected(F.RULE_BUILTIN_ARGUMENTS);
        uint256 finalAp = w[F.FINAL_AP];
        if (finalAp < ap + 2 * n + F.CALLER_FRAME_CELLS || finalAp >= F.ADDRESS_BOUND) {
            revert StatementRejected(F.RULE_FINAL_AP);
        }
        if (n != 0 && (addressAt(w, first + n) != finalAp - n || addressAt(w, first + 2 * n - 1) != finalAp - 1)) {
            revert StatementRejected(F.RULE_BUILTIN_RETURNS);
        }
    }

    /// @dev Each builtin segment begins where the one before it ends (the execution segment reaches the
    /// final ap; a lane's segment takes all its trace cells), all below 2^64.
    function _checkSegmentOrder(uint256 traceLength, uint256[] calldata w) private pure {
        uint256 cursor = w[F.FINAL_AP];
        for (uint256 k = 0; k < F.N_LAYOUT_BUILTINS; k++) {
            (bool used, uint256 begin, uint256 stop) = builtinSegment(w, k);
            if (!used) continue;
            if (begin < cursor) revert StatementRejected(F.RULE_SEGMENT_ORDER);
            uint256 ratio = F.builtinRatio(k);
            cursor = ratio != 0 ? begin + traceLength / ratio : (stop > begin ? stop : begin);
        }
        if (cursor > F.ADDRESS_BOUND) revert StatementRejected(F.RULE_SEGMENT_ORDER);
    }

    /// @dev Each builtin segment stops at or after its beginning, and a lane's within its trace cells.
    function _checkBuiltinSegments(uint256 traceLength, uint256[] calldata w) private pure {
        for (uint256 k = 0; k < F.N_LAYOUT_BUILTINS; k++) {
            (bool used, uint256 begin, uint256 stop) = builtinSegment(w, k);
            if (!used) continue;
            uint256 ratio = F.builtinRatio(k);
            if (stop < begin || (ratio != 0 && stop > begin + traceLength / ratio)) {
                revert StatementRejected(F.RULE_BUILTIN_SEGMENT);
            }
        }
    }

    /// @dev The cells after main's return values are exactly the output segment (none without the
    /// output builtin).
    function _checkOutput(uint256[] calldata w, uint256 count) private pure {
        uint256 first = outputIndex(w);
        (, uint256 begin, uint256 stop) = builtinSegment(w, F.OUTPUT_BUILTIN);
        if (
            count - first != stop - begin
                || (stop > begin && (addressAt(w, first) != begin || addressAt(w, count - 1) != stop - 1))
        ) revert StatementRejected(F.RULE_OUTPUT_CELLS);
    }
}
