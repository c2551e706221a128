// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {PedersenConstants as C} from "./PedersenConstants.sol";
import {ModExp} from "../common/ModExp.sol";
import {StarkField} from "./StarkField.sol";
import {StarkCurve} from "./StarkCurve.sol";

/// @notice ECDSA on the Stark curve y^2 = x^3 + x + beta, verified the way cairo-lang's
/// starkware/crypto/signature/signature.py `verify` does: the public key is a stark key (an
/// x-coordinate only), so both points with that x are tried; r and the message are elements
/// below 2^251 (the signer's domain), s lies in [1, EC_ORDER) and w = s^-1 must be below 2^251.
/// The check is x(u1·G ± u2·Q) == r with u1 = msgHash·w, u2 = r·w, in Jacobian coordinates
/// with the complete mixed additions of StarkCurve, so no input reaches an unhandled exceptional case.
library StarkEcdsa {
    uint256 internal constant PRIME = C.FIELD_PRIME;
    uint256 internal constant EC_ORDER = 0x800000000000010ffffffffffffffffb781126dcae7b2321e66a241adc64d2f;
    /// Signed messages, r and w are bounded by 2^251 (the largest power of two below PRIME).
    uint256 internal constant SIGNED_BOUND = 1 << 251;
    uint256 internal constant GEN_X = 0x1ef15c18599971b7beced415a40f0c7deacfd9b0d1819e03d723d8bc943cfca;
    uint256 internal constant GEN_Y = 0x5668060aa49730b7be4801df46ec62de53ecd11abe43a32873000c36e8dc1f;
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
        uint256 rhs = addmod(mulmod(mulmod(x, x, PRIME), x, PRIME), addmod(x, C.BETA, PRIME), PRIME);
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
            let p := 0x800000000000011000000000000000000000000000000000000000000000001
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
        (uint256 ax, uint256 ay, uint256 az) = scalarMul(u1, GEN_X, GEN_Y);
        (uint256 bx, uint256 by) = affineScalarMul(u2, qx, qy);
        return sumMatches(ax, ay, az, bx, by, r) || sumMatches(ax, ay, az, bx, (PRIME - by) % PRIME, r);
    }

    /// k·(x, y) in affine coordinates. Here k = r·w is non-zero modulo the prime group order,
    /// so the product is finite and its z is invertible.
    function affineScalarMul(uint256 k, uint256 x, uint256 y) private view returns (uint256, uint256) {
        (uint256 jx, uint256 jy, uint256 jz) = scalarMul(k, x, y);
        uint256 zInv = StarkField.modExp(jz, PRIME - 2);
        uint256 zInv2 = mulmod(zInv, zInv, PRIME);
        return (mulmod(jx, zInv2, PRIME), mulmod(jy, mulmod(zInv2, zInv, PRIME), PRIME));
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

    /// k·(x, y) by double-and-add from bit 251 (k < EC_ORDER < 2^252); (·, ·, 0) is the point at infinity.
    function scalarMul(uint256 k, uint256 x, uint256 y)
        private
        pure
        returns (uint256 rx, uint256 ry, uint256 rz)
    {
        for (uint256 i = 252; i > 0;) {
            unchecked {
                --i;
            }
            (rx, ry, rz) = StarkCurve.double(rx, ry, rz);
            if ((k >> i) & 1 == 1) (rx, ry, rz) = StarkCurve.addAffine(rx, ry, rz, x, y);
        }
    }
}
