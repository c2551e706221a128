// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ModExp} from "./ModExp.sol";
import {STARK_PRIME, StarkField} from "./StarkField.sol";
import {StarkCurve} from "./StarkCurve.sol";

/// @notice ECDSA on the Stark curve y^2 = x^3 + x + beta, verified the way cairo-lang's
/// starkware/crypto/signature/signature.py `verify` does: the public key is a stark key (an
/// x-coordinate only), so both points with that x are tried; r and the message are elements
/// below 2^251 (the signer's domain), s lies in [1, EC_ORDER) and w = s^-1 must be below 2^251.
/// The check is x(u1·G ± u2·Q) == r with u1 = msgHash·w, u2 = r·w, in Jacobian coordinates
/// with the complete mixed additions of StarkCurve, so no input reaches an unhandled exceptional case.
library StarkEcdsa {
    uint256 internal constant PRIME = STARK_PRIME;
    uint256 internal constant EC_ORDER = StarkCurve.EC_ORDER;
    /// Signed messages, r and w are bounded by 2^251 (the largest power of two below PRIME).
    uint256 internal constant SIGNED_BOUND = 1 << 251;
    /// PRIME - 1 = 2^192 · ODD: the square root needs Tonelli-Shanks, not a single power.
    uint256 internal constant TWO_ADICITY = 192;
    uint256 internal constant ODD = 0x800000000000011;
    /// 3 generates the multiplicative group (cairo-lang's FIELD_GEN), so it is a non-residue.
    uint256 internal constant NON_RESIDUE = 3;

    error StarkMessageHashOutOfRange(uint256 msgHash);
    error StarkSignatureROutOfRange(uint256 r);
    error StarkSignatureSOutOfRange(uint256 s);
    error StarkSignatureWOutOfRange(uint256 w);
    error StarkPublicKeyNotOnCurve(uint256 publicKeyX);
    error InvalidStarkSignature(uint256 msgHash, uint256 publicKeyX);

    /// Reverts unless (r, s) signs msgHash under the stark key publicKeyX.
    function requireValidSignature(uint256 msgHash, uint256 r, uint256 s, uint256 publicKeyX) internal view {
        if (msgHash >= SIGNED_BOUND) revert StarkMessageHashOutOfRange(msgHash);
        if (r == 0 || r >= SIGNED_BOUND) revert StarkSignatureROutOfRange(r);
        if (s == 0 || s >= EC_ORDER) revert StarkSignatureSOutOfRange(s);
        uint256 w = ModExp.modExp(s, EC_ORDER - 2, EC_ORDER);
        if (w == 0 || w >= SIGNED_BOUND) revert StarkSignatureWOutOfRange(w);
        uint256 publicKeyY = curveY(publicKeyX);
        uint256 u1 = mulmod(msgHash, w, EC_ORDER);
        uint256 u2 = mulmod(r, w, EC_ORDER);
        if (!matchesEitherSign(u1, u2, publicKeyX, publicKeyY, r)) {
            revert InvalidStarkSignature(msgHash, publicKeyX);
        }
    }

    /// One of the two y-coordinates of the curve point with this x (reverts if there is none).
    function curveY(uint256 x) internal view returns (uint256 y) {
        if (x >= PRIME) revert StarkPublicKeyNotOnCurve(x);
        uint256 rhs = StarkCurve.rhs(x);
        y = sqrt(rhs);
        if (mulmod(y, y, PRIME) != rhs) revert StarkPublicKeyNotOnCurve(x);
    }

    /// Tonelli-Shanks with the fixed non-residue; returns garbage for a non-residue, which the
    /// caller detects by squaring.
    function sqrt(uint256 n) internal view returns (uint256 root) {
        if (n == 0) return 0;
        uint256 m = TWO_ADICITY;
        uint256 c = StarkField.modExp(NON_RESIDUE, ODD);
        uint256 t = StarkField.modExp(n, ODD);
        root = StarkField.modExp(n, (ODD + 1) / 2);
        assembly ("memory-safe") {
            let p := PRIME
            for {} iszero(eq(t, 1)) {} {
                // Least i with t^(2^i) == 1; i == m means n is not a square: stop.
                let i := 0
                let tt := t
                for {} and(iszero(eq(tt, 1)), lt(i, m)) {} {
                    tt := mulmod(tt, tt, p)
                    i := add(i, 1)
                }
                if eq(i, m) { break }
                let b := c
                for { let j := add(i, 1) } lt(j, m) { j := add(j, 1) } { b := mulmod(b, b, p) }
                root := mulmod(root, b, p)
                c := mulmod(b, b, p)
                t := mulmod(t, c, p)
                m := i
            }
        }
    }

    /// x(u1·G + u2·Q) == r or x(u1·G - u2·Q) == r, compared projectively (X == r·Z^2).
    function matchesEitherSign(uint256 u1, uint256 u2, uint256 qx, uint256 qy, uint256 r)
        private
        view
        returns (bool)
    {
        (uint256 ax, uint256 ay, uint256 az) = StarkCurve.scalarMul(u1, StarkCurve.GEN_X, StarkCurve.GEN_Y);
        (uint256 bx, uint256 by) = affineScalarMul(u2, qx, qy);
        return sumMatches(ax, ay, az, bx, by, r) || sumMatches(ax, ay, az, bx, (PRIME - by) % PRIME, r);
    }

    /// k·(x, y) in affine coordinates. Here k = r·w is non-zero modulo the prime group order,
    /// so the product is finite and its z is invertible.
    function affineScalarMul(uint256 k, uint256 x, uint256 y) private view returns (uint256, uint256) {
        (uint256 jx, uint256 jy, uint256 jz) = StarkCurve.scalarMul(k, x, y);
        return StarkCurve.toAffine(jx, jy, jz);
    }

    function sumMatches(uint256 ax, uint256 ay, uint256 az, uint256 bx, uint256 by, uint256 r)
        private
        pure
        returns (bool)
    {
        (uint256 px,, uint256 pz) = StarkCurve.addAffine(ax, ay, az, bx, by);
        return xEquals(px, pz, r);
    }

    function xEquals(uint256 x, uint256 z, uint256 r) private pure returns (bool) {
        if (z == 0) return false; // the point at infinity has no x
        return x == mulmod(r, mulmod(z, z, PRIME), PRIME);
    }
}
