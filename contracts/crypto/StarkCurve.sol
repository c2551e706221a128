// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {STARK_PRIME, StarkField} from "./StarkField.sol";

/// @notice The Stark curve y^2 = x^3 + x + BETA over the Stark field (alpha = 1), with its
/// generator and group order (cairo-lang's starkware.crypto.signature constants), and Jacobian
/// arithmetic shared by the Pedersen hash and Stark ECDSA. A Jacobian point (X, Y, Z) is the
/// affine (X/Z^2, Y/Z^3); Z == 0 is the point at infinity. Both operations are complete: doubling
/// the point at infinity or a point with y = 0 gives infinity, and a mixed addition whose
/// operands share an x-coordinate becomes a doubling (P + P) or the point at infinity (P + (-P)).
library StarkCurve {
    uint256 internal constant PRIME = STARK_PRIME;
    uint256 internal constant BETA = 0x6f21413efbe40de150e596d72f7a8c5609ad26c15c915c1f4cdfcb99cee9e89;
    uint256 internal constant GEN_X = 0x1ef15c18599971b7beced415a40f0c7deacfd9b0d1819e03d723d8bc943cfca;
    uint256 internal constant GEN_Y = 0x5668060aa49730b7be4801df46ec62de53ecd11abe43a32873000c36e8dc1f;
    uint256 internal constant EC_ORDER = 0x800000000000010ffffffffffffffffb781126dcae7b2321e66a241adc64d2f;

    /// x^3 + x + BETA: y^2 of the curve points with this x.
    function rhs(uint256 x) internal pure returns (uint256) {
        return addmod(mulmod(mulmod(x, x, PRIME), x, PRIME), addmod(x, BETA, PRIME), PRIME);
    }

    /// Some y satisfies y^2 = x^3 + x + beta (a stark key is such an x): by Euler's criterion,
    /// rhs^((P-1)/2) is 1 for a non-zero square.
    function hasPointWithX(uint256 x) internal view returns (bool) {
        if (x >= PRIME) return false;
        uint256 r = rhs(x);
        return r == 0 || StarkField.modExp(r, (PRIME - 1) / 2) == 1;
    }

    /// (x, y) is an affine point of the curve, both coordinates field elements.
    function isOnCurve(uint256 x, uint256 y) internal pure returns (bool) {
        return x < PRIME && y < PRIME && mulmod(y, y, PRIME) == rhs(x);
    }

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

    /// k·(x, y) by double-and-add from bit 251 (k < 2^252); (·, ·, 0) is the point at infinity.
    function scalarMul(uint256 k, uint256 x, uint256 y) internal pure returns (uint256 rx, uint256 ry, uint256 rz) {
        for (uint256 i = 252; i > 0;) {
            unchecked {
                --i;
            }
            (rx, ry, rz) = double(rx, ry, rz);
            if ((k >> i) & 1 == 1) (rx, ry, rz) = addAffine(rx, ry, rz, x, y);
        }
    }

    /// The affine form of a finite Jacobian point (z != 0).
    function toAffine(uint256 x, uint256 y, uint256 z) internal view returns (uint256, uint256) {
        uint256 zInv = StarkField.inverse(z);
        uint256 zInv2 = mulmod(zInv, zInv, PRIME);
        return (mulmod(x, zInv2, PRIME), mulmod(y, mulmod(zInv2, zInv, PRIME), PRIME));
    }
}
