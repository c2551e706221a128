// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Jacobian arithmetic on the Stark curve y^2 = x^3 + x + beta (alpha = 1), shared by
/// the Pedersen hash and Stark ECDSA. A Jacobian point (X, Y, Z) is the affine (X/Z^2, Y/Z^3);
/// Z == 0 is the point at infinity. Both operations are complete: doubling the point at
/// infinity or a point with y = 0 gives infinity, and a mixed addition whose operands share
/// an x-coordinate becomes a doubling (P + P) or the point at infinity (P + (-P)).
library StarkCurve {
    uint256 internal constant PRIME = 0x800000000000011000000000000000000000000000000000000000000000001;

    /// Jacobian doubling, dbl-2009-l adapted to alpha = 1: M = 3X^2 + Z^4.
    function double(uint256 x1, uint256 y1, uint256 z1) internal pure returns (uint256 x3, uint256 y3, uint256 z3) {
        assembly ("memory-safe") {
            // z1 == 0 (infinity) or y1 == 0 (a point of order 2): the result is infinity, (0, 0, 0).
            if and(iszero(iszero(z1)), iszero(iszero(y1))) {
                let p := PRIME
                let yy := mulmod(y1, y1, p)
                let s := mulmod(4, mulmod(x1, yy, p), p)
                let zz := mulmod(z1, z1, p)
                let m := addmod(mulmod(3, mulmod(x1, x1, p), p), mulmod(zz, zz, p), p)
                x3 := addmod(mulmod(m, m, p), sub(p, addmod(s, s, p)), p)
                y3 := addmod(mulmod(m, addmod(s, sub(p, x3), p), p), sub(p, mulmod(8, mulmod(yy, yy, p), p)), p)
                z3 := mulmod(addmod(y1, y1, p), z1, p)
            }
        }
    }

    /// Jacobian (x1, y1, z1) + affine finite (x2, y2).
    function addAffine(uint256 x1, uint256 y1, uint256 z1, uint256 x2, uint256 y2)
        internal
        pure
        returns (uint256 x3, uint256 y3, uint256 z3)
    {
        if (z1 == 0) return (x2, y2, 1);
        uint256 h;
        uint256 r;
        assembly ("memory-safe") {
            let p := PRIME
            let z1z1 := mulmod(z1, z1, p)
            h := addmod(mulmod(x2, z1z1, p), sub(p, x1), p)
            r := addmod(mulmod(y2, mulmod(z1, z1z1, p), p), sub(p, y1), p)
        }
        if (h == 0) {
            // Same x: the same point (double it) or its negation (the sum is infinity).
            if (r == 0) return double(x1, y1, z1);
            return (0, 0, 0);
        }
        assembly ("memory-safe") {
            let p := PRIME
            let hh := mulmod(h, h, p)
            let hhh := mulmod(h, hh, p)
            let v := mulmod(x1, hh, p)
            x3 := addmod(addmod(mulmod(r, r, p), sub(p, hhh), p), sub(p, addmod(v, v, p)), p)
            y3 := addmod(mulmod(r, addmod(v, sub(p, x3), p), p), sub(p, mulmod(y1, hhh, p)), p)
            z3 := mulmod(z1, h, p)
        }
    }
}
