// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {PedersenConstants as C} from "./PedersenConstants.sol";
import {StarkCurve} from "./StarkCurve.sol";
import {StarkField} from "./StarkField.sol";

/// @notice StarkWare's Pedersen hash on the Stark curve, computed on-chain:
/// H(a, b) = x(shift + low248(a)·P0 + high4(a)·P1 + low248(b)·P2 + high4(b)·P3).
/// Joint fixed-base comb (table from gen_pedersen_constants.py): 62 doublings shared by both
/// inputs, at most one addition per step, two for the high nibbles and one for the shift;
/// Jacobian coordinates (StarkCurve, complete formulas), a single field inversion at the end.
library Pedersen {
    uint256 private constant TOOTH_BITS = 62;
    uint256 private constant POINT_BYTES = 0x40;
    uint256 private constant P1_MULTIPLES_AT = 254; // table index of 1·P1, minus one
    uint256 private constant P3_MULTIPLES_AT = 269; // table index of 1·P3, minus one

    error PedersenInputOutOfField(uint256 value);
    /// The sum reached the point at infinity, which has no x-coordinate. cairo-lang's affine
    /// reference refuses every input whose additions meet equal x-coordinates; the complete
    /// formulas here still hash those, except when the final point is infinity. Either way such
    /// inputs need a discrete-log relation between the constant points: honest inputs never meet them.
    error PedersenExceptionalCase();

    function hash(uint256 a, uint256 b) internal view returns (uint256) {
        if (a >= StarkField.PRIME) revert PedersenInputOutOfField(a);
        if (b >= StarkField.PRIME) revert PedersenInputOutOfField(b);
        uint256 freeMemory;
        assembly ("memory-safe") {
            freeMemory := mload(0x40)
        }
        bytes memory table = C.TABLE;
        uint256 x;
        uint256 y;
        uint256 z;
        uint256 px;
        uint256 py;
        bool hasEntry;
        for (uint256 i = TOOTH_BITS; i > 0;) {
            unchecked {
                --i;
            }
            (x, y, z) = StarkCurve.double(x, y, z);
            // The table entry of this step's 8 comb bits (4 of a, 4 of b), if any is set.
            assembly ("memory-safe") {
                function teeth(s, k) -> j {
                    j := or(
                        or(and(shr(k, s), 1), shl(1, and(shr(add(k, 62), s), 1))),
                        or(shl(2, and(shr(add(k, 124), s), 1)), shl(3, and(shr(add(k, 186), s), 1)))
                    )
                }
                let j := or(teeth(a, i), shl(4, teeth(b, i)))
                hasEntry := iszero(iszero(j))
                if hasEntry {
                    let ptr := add(table, mul(sub(j, 1), POINT_BYTES)) // entry j - 1; 0x20 skips the length
                    px := mload(add(ptr, 0x20))
                    py := mload(add(ptr, 0x40))
                }
            }
            if (hasEntry) (x, y, z) = StarkCurve.addAffine(x, y, z, px, py);
        }
        uint256 highA = a >> 248;
        if (highA != 0) (x, y, z) = _addEntry(x, y, z, table, P1_MULTIPLES_AT + highA);
        uint256 highB = b >> 248;
        if (highB != 0) (x, y, z) = _addEntry(x, y, z, table, P3_MULTIPLES_AT + highB);
        (x, y, z) = StarkCurve.addAffine(x, y, z, C.SHIFT_X, C.SHIFT_Y);
        if (z == 0) revert PedersenExceptionalCase();
        // Release the table copy: a Merkle path hashes dozens of times in one call.
        assembly ("memory-safe") {
            mstore(0x40, freeMemory)
        }
        uint256 zInv = StarkField.inverse(z);
        return mulmod(x, mulmod(zInv, zInv, StarkField.PRIME), StarkField.PRIME);
    }

    /// (x, y, z) + table entry `index` (an affine point).
    function _addEntry(uint256 x, uint256 y, uint256 z, bytes memory table, uint256 index)
        private
        pure
        returns (uint256, uint256, uint256)
    {
        uint256 px;
        uint256 py;
        assembly ("memory-safe") {
            let ptr := add(add(table, 0x20), mul(index, POINT_BYTES))
            px := mload(ptr)
            py := mload(add(ptr, 0x20))
        }
        return StarkCurve.addAffine(x, y, z, px, py);
    }
}
