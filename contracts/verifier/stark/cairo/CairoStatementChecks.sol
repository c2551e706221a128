// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {PrimeField} from "../PrimeField.sol";
import {CairoStatementFormat as F} from "./CairoStatementFormat.sol";
import {CairoProgramStore} from "./CairoProgramStore.sol";

/// @notice The rules of the Cairo statement (offchain/prover/cairo/statement.py, CairoStatement.check),
/// checked in the same order, so that a statement that breaks any reverts StatementRejected(rule) with
/// the first one broken, as the Python verifier names it (CairoStatementFormat.RULE_*). Then what the
/// AIR and the fact registry read from a statement that holds: the AIR constants, the builtin
/// segments, the output cells, the public memory product. Words are the proof's public inputs: the
/// header (the program by its code hash, whose bytecode the store holds), the listed cells' count,
/// then (address, value) pairs.
library CairoStatementChecks {
    using PrimeField for uint256;

    error StatementRejected(uint256 rule);

    function check(uint256 traceLength, uint256[] calldata w, CairoProgramStore programs) internal view {
        uint256 count = nPublicCells(w);
        if (w[F.N_RC_FILL] == 0 || w[F.N_RC_FILL] > F.MAX_RC_FILL) revert StatementRejected(F.RULE_N_RC_FILL);
        if (w[F.LAYOUT] != F.LAYOUT_CODE) revert StatementRejected(F.RULE_LAYOUT);
        if (w[F.RC_MIN] > w[F.RC_MAX] || w[F.RC_MAX] >= F.RC_BOUND) revert StatementRejected(F.RULE_RC_BOUNDS);
        uint256 builtins = w[F.BUILTINS];
        if (builtins >> F.N_LAYOUT_BUILTINS != 0) revert StatementRejected(F.RULE_BUILTINS);
        _checkLanes(traceLength, w);
        _checkMemoryOrder(w, count);
        _checkProgram(w, count, programs);
        _checkStack(w);
        _checkSegmentOrder(traceLength, w);
        _checkBuiltinSegments(traceLength, w);
        _checkOutput(w, count);
    }

    /// @notice The number of listed public memory cells; reverts (ENCODING) unless the words are the
    /// header, the count and exactly that many pairs.
    function nPublicCells(uint256[] calldata w) internal pure returns (uint256 n) {
        // The count is compared after division, so no claimed count is ever multiplied.
        if (w.length < F.HEADER || (w.length - F.HEADER) % 2 != 0) revert StatementRejected(F.RULE_ENCODING);
        n = (w.length - F.HEADER) / 2;
        if (w[F.N_PUBLIC_MEMORY] != n) revert StatementRejected(F.RULE_ENCODING);
    }

    function addressAt(uint256[] calldata w, uint256 i) internal pure returns (uint256) {
        return w[F.HEADER + 2 * i];
    }

    function valueAt(uint256[] calldata w, uint256 i) internal pure returns (uint256) {
        return w[F.HEADER + 2 * i + 1];
    }

    /// @notice The program's code hash (both halves below 2^128 in a statement that holds).
    function codeHash(uint256[] calldata w) internal pure returns (bytes32) {
        return bytes32((w[F.PROGRAM_HASH_HIGH] << 128) | w[F.PROGRAM_HASH_LOW]);
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
        uint256 first = F.CALLER_FRAME_CELLS;
        return (true, valueAt(w, first + j), valueAt(w, first + nBuiltins(w) + j));
    }

    /// @notice The index of the first output cell: after main's caller's frame, its arguments and
    /// return values.
    function outputIndex(uint256[] calldata w) internal pure returns (uint256) {
        return F.CALLER_FRAME_CELLS + 2 * nBuiltins(w);
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
        (, c[F.AIR_PEDERSEN_BEGIN],) = builtinSegment(w, F.PEDERSEN_BUILTIN);
        (, c[F.AIR_ECDSA_BEGIN],) = builtinSegment(w, F.ECDSA_BUILTIN);
        c[F.AIR_N_PEDERSEN_LANES] = w[F.N_PEDERSEN_LANES];
        c[F.AIR_N_ECDSA_LANES] = w[F.N_ECDSA_LANES];
    }

    /// @notice z^k / prod over the k public cells (the program's and the listed ones) of
    /// (z - (address + alpha * value)): what the memory running product ends at.
    function memoryFinal(uint256[] calldata w, uint256[] calldata challenges, CairoProgramStore programs)
        internal
        view
        returns (uint256)
    {
        uint256 z = challenges[0];
        uint256 alpha = challenges[1];
        uint256 n = w[F.N_PUBLIC_MEMORY];
        uint256 den = programs.memoryProduct(codeHash(w), w[F.INITIAL_PC], z, alpha, PrimeField.P);
        for (uint256 i = 0; i < n; i++) {
            den = den.mul(z.sub(addressAt(w, i).add(alpha.mul(valueAt(w, i)))));
        }
        return z.pow(n + w[F.PROGRAM_LENGTH]).mul(den.inverse());
    }

    /// @notice The memory cells of builtin k's lanes in a trace of traceLength rows (0: no lane).
    function laneCells(uint256 traceLength, uint256[] calldata w, uint256 k) internal pure returns (uint256) {
        uint256 instances;
        if (k == F.RANGE_CHECK_BUILTIN) instances = traceLength / F.RC_BUILTIN_RATIO;
        else if (k == F.PEDERSEN_BUILTIN) instances = w[F.N_PEDERSEN_LANES] * (traceLength / F.PEDERSEN_ROWS);
        else if (k == F.ECDSA_BUILTIN) instances = w[F.N_ECDSA_LANES] * (traceLength / F.ECDSA_ROWS);
        return instances * F.builtinCells(k);
    }

    /// @dev pedersen and ecdsa have lanes exactly when the program uses them, each lane at least two
    /// blocks of the trace, and the lanes' cells fit the builtin slot's rows of a block.
    function _checkLanes(uint256 traceLength, uint256[] calldata w) private pure {
        uint256 builtins = w[F.BUILTINS];
        uint256 kp = w[F.N_PEDERSEN_LANES];
        uint256 ke = w[F.N_ECDSA_LANES];
        bool pedersen = (builtins >> F.PEDERSEN_BUILTIN) & 1 == 1;
        bool ecdsa = (builtins >> F.ECDSA_BUILTIN) & 1 == 1;
        if (pedersen != (kp != 0) || ecdsa != (ke != 0)) revert StatementRejected(F.RULE_LANES);
        if ((kp != 0 && traceLength < 2 * F.PEDERSEN_ROWS) || (ke != 0 && traceLength < 2 * F.ECDSA_ROWS)) {
            revert StatementRejected(F.RULE_LANES);
        }
        // Both counts are field elements (< 2^252): no overflow.
        if (F.SLOT_FIRST_ROW + 3 * kp + 2 * ke > F.SLOT_BLOCK) revert StatementRejected(F.RULE_LANES);
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

    /// @dev The program is the store's bytecode of the statement's code hash, of PROGRAM_LENGTH
    /// words, at PROGRAM_BEGIN, with the proof-mode entry code (ap += n_builtins; call main;
    /// __end__: jmp rel 0); the run ends at __end__; the execution segment follows the program and
    /// its caller's frame.
    function _checkProgram(uint256[] calldata w, uint256 count, CairoProgramStore programs) private view {
        uint256 length = w[F.PROGRAM_LENGTH];
        uint256 begin = w[F.INITIAL_PC];
        uint256 n = nBuiltins(w);
        if (length < F.ENTRY_LENGTH || length >= F.ADDRESS_BOUND || count < F.CALLER_FRAME_CELLS + 2 * n) {
            revert StatementRejected(F.RULE_PROGRAM_LENGTH);
        }
        if (
            begin != F.PROGRAM_BEGIN || w[F.PROGRAM_HASH_HIGH] >> 128 != 0 || w[F.PROGRAM_HASH_LOW] >> 128 != 0
                || programs.length(codeHash(w)) != length
        ) revert StatementRejected(F.RULE_PROGRAM_SEGMENT);
        uint256[] memory code = programs.words(codeHash(w), 0, F.ENTRY_LENGTH);
        if (
            code[0] != F.AP_ADD_IMM || code[1] != n || code[2] != F.CALL_REL_IMM || code[4] != F.JMP_REL_IMM
                || code[5] != 0
        ) revert StatementRejected(F.RULE_ENTRY_CODE);
        if (w[F.FINAL_PC] != begin + F.END_OFFSET) revert StatementRejected(F.RULE_FINAL_PC);
        if (w[F.INITIAL_AP] != begin + length + F.CALLER_FRAME_CELLS) revert StatementRejected(F.RULE_INITIAL_AP);
    }

    /// @dev [initial_ap - 2] = initial_ap and [initial_ap - 1] = 0 (the first listed cells), main's
    /// arguments at initial_ap + k, its return values at final_ap - n + k, above its frame.
    function _checkStack(uint256[] calldata w) private pure {
        uint256 ap = w[F.INITIAL_AP];
        uint256 n = nBuiltins(w);
        if (addressAt(w, 0) != ap - 2 || valueAt(w, 0) != ap || addressAt(w, 1) != ap - 1 || valueAt(w, 1) != 0) {
            revert StatementRejected(F.RULE_CALLER_FRAME);
        }
        uint256 first = F.CALLER_FRAME_CELLS;
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
            // begin < 2^252 and the cells < 2^70: no overflow.
            cursor = F.builtinCells(k) != 0 ? begin + laneCells(traceLength, w, k) : (stop > begin ? stop : begin);
        }
        if (cursor > F.ADDRESS_BOUND) revert StatementRejected(F.RULE_SEGMENT_ORDER);
    }

    /// @dev Each builtin segment stops at or after its beginning, and a lane's within its cells.
    function _checkBuiltinSegments(uint256 traceLength, uint256[] calldata w) private pure {
        for (uint256 k = 0; k < F.N_LAYOUT_BUILTINS; k++) {
            (bool used, uint256 begin, uint256 stop) = builtinSegment(w, k);
            if (!used) continue;
            if (stop < begin || (F.builtinCells(k) != 0 && stop > begin + laneCells(traceLength, w, k))) {
                revert StatementRejected(F.RULE_BUILTIN_SEGMENT);
            }
        }
    }

    /// @dev The listed cells after main's return values are exactly the output segment (none without
    /// the output builtin).
    function _checkOutput(uint256[] calldata w, uint256 count) private pure {
        uint256 first = outputIndex(w);
        (, uint256 begin, uint256 stop) = builtinSegment(w, F.OUTPUT_BUILTIN);
        if (
            count - first != stop - begin
                || (stop > begin && (addressAt(w, first) != begin || addressAt(w, count - 1) != stop - 1))
        ) revert StatementRejected(F.RULE_OUTPUT_CELLS);
    }
}
