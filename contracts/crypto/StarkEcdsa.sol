// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EcdsaConstants as C} from "./EcdsaConstants.sol";
import {ModExp} from "./ModExp.sol";
import {StarkCurve} from "./StarkCurve.sol";
import {STARK_PRIME} from "./StarkField.sol";

/// @notice ECDSA on the Stark curve, verified the way cairo-lang's
/// starkware/crypto/signature/signature.py `verify` does, for a public key given by both
/// coordinates (StarkEx's registration signature carries the key's y): r and the message are
/// below 2^251 (the signer's domain), s lies in [1, EC_ORDER) and w = s^-1 must be below 2^251;
/// the check is x(u1·G + u2·Q) == r with u1 = msgHash·w, u2 = r·w. (cairo-lang also refuses
/// the inputs where the Cairo ecdsa builtin's own arithmetic fails, such as msgHash = 0; those
/// are valid ECDSA signatures and are accepted here, as by fast-stark-crypto.)
/// u1·G runs over a fixed-base comb of G (EcdsaConstants: TOOTH_BITS doublings instead of 252),
/// u2·Q by double-and-add; Jacobian coordinates with the complete additions of StarkCurve, so no
/// input reaches an unhandled exceptional case. Taking y from the caller replaces a square root
/// (Tonelli-Shanks: the field's 2-adicity is 192) by one squaring.
library StarkEcdsa {
    uint256 internal constant PRIME = STARK_PRIME;
    uint256 internal constant EC_ORDER = StarkCurve.EC_ORDER;
    /// Signed messages, r and w are bounded by 2^251 (the largest power of two below PRIME).
    uint256 internal constant SIGNED_BOUND = 1 << 251;
    uint256 private constant POINT_BYTES = 0x40;

    error StarkMessageHashOutOfRange(uint256 msgHash);
    error StarkSignatureROutOfRange(uint256 r);
    error StarkSignatureSOutOfRange(uint256 s);
    error StarkSignatureWOutOfRange(uint256 w);
    error StarkPublicKeyNotOnCurve(uint256 publicKeyX, uint256 publicKeyY);
    error InvalidStarkSignature(uint256 msgHash, uint256 publicKeyX);

    /// Reverts unless (r, s) signs msgHash under the public key (publicKeyX, publicKeyY).
    function requireValidSignature(uint256 msgHash, uint256 r, uint256 s, uint256 publicKeyX, uint256 publicKeyY)
        internal
        view
    {
        if (msgHash >= SIGNED_BOUND) revert StarkMessageHashOutOfRange(msgHash);
        if (r == 0 || r >= SIGNED_BOUND) revert StarkSignatureROutOfRange(r);
        if (s == 0 || s >= EC_ORDER) revert StarkSignatureSOutOfRange(s);
        if (!StarkCurve.isOnCurve(publicKeyX, publicKeyY)) revert StarkPublicKeyNotOnCurve(publicKeyX, publicKeyY);
        uint256 w = ModExp.modExp(s, EC_ORDER - 2, EC_ORDER);
        if (w == 0 || w >= SIGNED_BOUND) revert StarkSignatureWOutOfRange(w);
        // u2 = r·w is non-zero modulo the prime order, so u2·Q is finite and has an affine form.
        (uint256 bx, uint256 by, uint256 bz) = StarkCurve.scalarMul(mulmod(r, w, EC_ORDER), publicKeyX, publicKeyY);
        (bx, by) = StarkCurve.toAffine(bx, by, bz);
        (uint256 ax, uint256 ay, uint256 az) = generatorMul(mulmod(msgHash, w, EC_ORDER));
        (uint256 x, , uint256 z) = StarkCurve.addAffine(ax, ay, az, bx, by);
        // x(R) == r, compared projectively (X == r·Z^2); the point at infinity has no x.
        if (z == 0 || x != mulmod(r, mulmod(z, z, PRIME), PRIME)) revert InvalidStarkSignature(msgHash, publicKeyX);
    }

    /// k·G for k < 2^252 over the comb: at step i the bits i, i + TOOTH_BITS, ... of k select one
    /// table entry, so the doublings are shared by all teeth.
    function generatorMul(uint256 k) internal pure returns (uint256 x, uint256 y, uint256 z) {
        bytes memory table = C.GENERATOR_COMB;
        uint256 px;
        uint256 py;
        bool hasEntry;
        uint256 teeth = C.TEETH;
        uint256 toothBits = C.TOOTH_BITS;
        for (uint256 i = toothBits; i > 0;) {
            unchecked {
                --i;
            }
            (x, y, z) = StarkCurve.double(x, y, z);
            assembly ("memory-safe") {
                let j := 0
                for { let t := 0 } lt(t, teeth) { t := add(t, 1) } {
                    j := or(j, shl(t, and(shr(add(i, mul(t, toothBits)), k), 1)))
                }
                hasEntry := iszero(iszero(j))
                if hasEntry {
                    let ptr := add(table, mul(sub(j, 1), POINT_BYTES)) // entry j - 1; 0x20 skips the length
                    px := mload(add(ptr, 0x20))
                    py := mload(add(ptr, 0x40))
                }
            }
            if (hasEntry) (x, y, z) = StarkCurve.addAffine(x, y, z, px, py);
        }
    }
}
