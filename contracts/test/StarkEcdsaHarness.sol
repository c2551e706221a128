// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ModExp} from "../crypto/ModExp.sol";
import {StarkCurve} from "../crypto/StarkCurve.sol";
import {StarkEcdsa} from "../crypto/StarkEcdsa.sol";
import {STARK_PRIME, StarkField} from "../crypto/StarkField.sol";

/// @notice TEST ONLY: Stark ECDSA verification for inputs the exchange never passes, and the
/// alternatives the registration benchmark (bench/registration.py) measures it against: the
/// generator multiplied by double-and-add instead of its comb, and the former verification that
/// took the key's x alone (a Tonelli-Shanks square root for y, then both signs tried).
contract StarkEcdsaHarness {
    uint256 private constant PRIME = STARK_PRIME;
    uint256 private constant EC_ORDER = StarkCurve.EC_ORDER;
    /// PRIME - 1 = 2^192 · ODD; 3 generates the multiplicative group.
    uint256 private constant TWO_ADICITY = 192;
    uint256 private constant ODD = 0x800000000000011;
    uint256 private constant NON_RESIDUE = 3;

    error NotASquare(uint256 x);
    error Mismatch();

    /// The exchange's verification: y given, u1·G over the comb.
    function verify(uint256 msgHash, uint256 r, uint256 s, uint256 x, uint256 y) external view returns (bool) {
        StarkEcdsa.requireValidSignature(msgHash, r, s, x, y);
        return true;
    }

    /// y given, u1·G by double-and-add over 252 bits (no table).
    function verifyWithoutComb(uint256 msgHash, uint256 r, uint256 s, uint256 x, uint256 y)
        external
        view
        returns (bool)
    {
        uint256 w = ModExp.modExp(s, EC_ORDER - 2, EC_ORDER);
        (uint256 ax, uint256 ay, uint256 az) =
            StarkCurve.scalarMul(mulmod(msgHash, w, EC_ORDER), StarkCurve.GEN_X, StarkCurve.GEN_Y);
        return _matches(ax, ay, az, _affineMul(mulmod(r, w, EC_ORDER), x, y), r);
    }

    /// The former verification: x alone, y by a square root, both signs of y tried.
    function verifyXOnly(uint256 msgHash, uint256 r, uint256 s, uint256 x) external view returns (bool) {
        uint256 y = squareRootY(x);
        uint256 w = ModExp.modExp(s, EC_ORDER - 2, EC_ORDER);
        (uint256 ax, uint256 ay, uint256 az) =
            StarkCurve.scalarMul(mulmod(msgHash, w, EC_ORDER), StarkCurve.GEN_X, StarkCurve.GEN_Y);
        uint256[2] memory b = _affineMul(mulmod(r, w, EC_ORDER), x, y);
        if (_matches(ax, ay, az, b, r)) return true;
        b[1] = (PRIME - b[1]) % PRIME;
        if (!_matches(ax, ay, az, b, r)) revert Mismatch();
        return true;
    }

    /// A y of the curve point with this x, by Tonelli-Shanks with the fixed non-residue.
    function squareRootY(uint256 x) public view returns (uint256 root) {
        uint256 n = StarkCurve.rhs(x);
        if (n == 0) return 0;
        uint256 m = TWO_ADICITY;
        uint256 c = StarkField.modExp(NON_RESIDUE, ODD);
        uint256 t = StarkField.modExp(n, ODD);
        root = StarkField.modExp(n, (ODD + 1) / 2);
        assembly ("memory-safe") {
            let p := PRIME
            for {} iszero(eq(t, 1)) {} {
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
        if (mulmod(root, root, PRIME) != n) revert NotASquare(x);
    }

    function _affineMul(uint256 k, uint256 x, uint256 y) private view returns (uint256[2] memory point) {
        (uint256 jx, uint256 jy, uint256 jz) = StarkCurve.scalarMul(k, x, y);
        (point[0], point[1]) = StarkCurve.toAffine(jx, jy, jz);
    }

    function _matches(uint256 ax, uint256 ay, uint256 az, uint256[2] memory b, uint256 r) private pure returns (bool) {
        (uint256 x, , uint256 z) = StarkCurve.addAffine(ax, ay, az, b[0], b[1]);
        return z != 0 && x == mulmod(r, mulmod(z, z, PRIME), PRIME);
    }
}
