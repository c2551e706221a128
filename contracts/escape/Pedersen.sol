// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {PedersenConstants as C} from "./PedersenConstants.sol";
import {StarkField} from "./StarkField.sol";

/// @notice StarkWare's Pedersen hash on the Stark curve, computed on-chain:
/// H(a, b) = x(shift + low248(a)·P0 + high4(a)·P1 + low248(b)·P2 + high4(b)·P3).
/// Joint fixed-base comb (table from gen_pedersen_constants.py): 62 doublings shared by both
/// inputs, at most one addition per step, two for the high nibbles and one for the shift;
/// Jacobian coordinates, a single field inversion at the end.
library Pedersen {
    error PedersenInputOutOfField(uint256 value);
    /// An addition met equal x-coordinates (a doubling or a point plus its negation). The
    /// incomplete formulas do not handle it; honest inputs reach it with negligible probability.
    error PedersenExceptionalCase();

    function hash(uint256 a, uint256 b) internal view returns (uint256) {
        if (a >= C.FIELD_PRIME) revert PedersenInputOutOfField(a);
        if (b >= C.FIELD_PRIME) revert PedersenInputOutOfField(b);
        uint256 freeMemory;
        assembly ("memory-safe") {
            freeMemory := mload(0x40)
        }
        bytes memory table = C.TABLE;
        uint256 shiftX = C.SHIFT_X;
        uint256 shiftY = C.SHIFT_Y;
        bytes4 exceptional = PedersenExceptionalCase.selector;
        uint256 x;
        uint256 z;
        assembly ("memory-safe") {
            // Doubling on y^2 = x^3 + x + beta (alpha = 1); z == 0 is the point at infinity.
            function dbl(x1, y1, z1) -> x3, y3, z3 {
                if iszero(z1) { leave }
                let q := 0x800000000000011000000000000000000000000000000000000000000000001
                let yy := mulmod(y1, y1, q)
                let s := mulmod(4, mulmod(x1, yy, q), q)
                let zz := mulmod(z1, z1, q)
                let m := addmod(mulmod(3, mulmod(x1, x1, q), q), mulmod(zz, zz, q), q)
                x3 := addmod(mulmod(m, m, q), sub(q, addmod(s, s, q)), q)
                y3 := addmod(mulmod(m, addmod(s, sub(q, x3), q), q), sub(q, mulmod(8, mulmod(yy, yy, q), q)), q)
                z3 := mulmod(addmod(y1, y1, q), z1, q)
            }
            // Jacobian + affine (the table entry at ptr). Returns z3 == 0 from a finite z1
            // exactly when the x-coordinates are equal: the caller reverts on that.
            function addAt(x1, y1, z1, ptr) -> x3, y3, z3 {
                let x2 := mload(ptr)
                let y2 := mload(add(ptr, 0x20))
                if iszero(z1) {
                    x3 := x2
                    y3 := y2
                    z3 := 1
                    leave
                }
                let q := 0x800000000000011000000000000000000000000000000000000000000000001
                let z1z1 := mulmod(z1, z1, q)
                let h := addmod(mulmod(x2, z1z1, q), sub(q, x1), q)
                let r := addmod(mulmod(y2, mulmod(z1, z1z1, q), q), sub(q, y1), q)
                let hh := mulmod(h, h, q)
                let hhh := mulmod(h, hh, q)
                let v := mulmod(x1, hh, q)
                x3 := addmod(addmod(mulmod(r, r, q), sub(q, hhh), q), sub(q, addmod(v, v, q)), q)
                y3 := addmod(mulmod(r, addmod(v, sub(q, x3), q), q), sub(q, mulmod(y1, hhh, q)), q)
                z3 := mulmod(z1, h, q)
            }
            // The 4 comb bits of scalar s at step i: bits i, i+62, i+124, i+186.
            function teeth(s, i) -> j {
                j := or(
                    or(and(shr(i, s), 1), shl(1, and(shr(add(i, 62), s), 1))),
                    or(shl(2, and(shr(add(i, 124), s), 1)), shl(3, and(shr(add(i, 186), s), 1)))
                )
            }
            let base := add(table, 0x20)
            let y := 0
            for { let i := 62 } i {} {
                i := sub(i, 1)
                x, y, z := dbl(x, y, z)
                let j := or(teeth(a, i), shl(4, teeth(b, i)))
                if j {
                    x, y, z := addAt(x, y, z, add(base, mul(sub(j, 1), 0x40)))
                    if iszero(z) {
                        mstore(0, exceptional)
                        revert(0, 4)
                    }
                }
            }
            let ha := shr(248, a)
            if ha {
                x, y, z := addAt(x, y, z, add(base, mul(add(254, ha), 0x40)))
                if iszero(z) {
                    mstore(0, exceptional)
                    revert(0, 4)
                }
            }
            let hb := shr(248, b)
            if hb {
                x, y, z := addAt(x, y, z, add(base, mul(add(269, hb), 0x40)))
                if iszero(z) {
                    mstore(0, exceptional)
                    revert(0, 4)
                }
            }
            // The shift point, written after the table so addAt can read it.
            let shiftPtr := mload(0x40)
            mstore(shiftPtr, shiftX)
            mstore(add(shiftPtr, 0x20), shiftY)
            x, y, z := addAt(x, y, z, shiftPtr)
            if iszero(z) {
                mstore(0, exceptional)
                revert(0, 4)
            }
            // Release the table copy: a Merkle path hashes dozens of times in one call.
            mstore(0x40, freeMemory)
        }
        uint256 zInv = StarkField.inverse(z);
        return mulmod(x, mulmod(zInv, zInv, C.FIELD_PRIME), C.FIELD_PRIME);
    }
}
