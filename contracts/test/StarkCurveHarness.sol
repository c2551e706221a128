// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {StarkCurve} from "../crypto/StarkCurve.sol";
import {StarkField} from "../crypto/StarkField.sol";

/// @notice TEST ONLY: exposes StarkCurve's Jacobian operations, returning affine points
/// ((0, 0, true) for the point at infinity), so tests can compare them with cairo-lang's.
contract StarkCurveHarness {
    /// (x1, y1) given in Jacobian form with scale z1 (X = x·z^2, Y = y·z^3), plus affine (x2, y2).
    function addAffine(uint256 x1, uint256 y1, uint256 z1, uint256 x2, uint256 y2, bool firstAtInfinity)
        external
        view
        returns (uint256, uint256, bool)
    {
        (uint256 jx, uint256 jy, uint256 jz) = _jacobian(x1, y1, z1, firstAtInfinity);
        (jx, jy, jz) = StarkCurve.addAffine(jx, jy, jz, x2, y2);
        return _affine(jx, jy, jz);
    }

    function double(uint256 x, uint256 y, uint256 z, bool atInfinity) external view returns (uint256, uint256, bool) {
        (uint256 jx, uint256 jy, uint256 jz) = _jacobian(x, y, z, atInfinity);
        (jx, jy, jz) = StarkCurve.double(jx, jy, jz);
        return _affine(jx, jy, jz);
    }

    function _jacobian(uint256 x, uint256 y, uint256 z, bool atInfinity)
        private
        pure
        returns (uint256, uint256, uint256)
    {
        if (atInfinity) return (x, y, 0);
        uint256 p = StarkCurve.PRIME;
        uint256 zz = mulmod(z, z, p);
        return (mulmod(x, zz, p), mulmod(y, mulmod(zz, z, p), p), z);
    }

    function _affine(uint256 x, uint256 y, uint256 z) private view returns (uint256, uint256, bool) {
        if (z == 0) return (0, 0, true);
        uint256 p = StarkCurve.PRIME;
        uint256 zInv = StarkField.inverse(z);
        uint256 zInv2 = mulmod(zInv, zInv, p);
        return (mulmod(x, zInv2, p), mulmod(y, mulmod(zInv2, zInv, p), p), false);
    }
}
