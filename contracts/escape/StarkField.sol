// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ModExp} from "../common/ModExp.sol";
import {PedersenConstants} from "./PedersenConstants.sol";

/// @notice Exponentiation in the Stark field, shared by the stark-key curve check and the Pedersen hash's final inversion.
library StarkField {
    uint256 internal constant PRIME = PedersenConstants.FIELD_PRIME;

    function modExp(uint256 base, uint256 exponent) internal view returns (uint256) {
        return ModExp.modExp(base, exponent, PRIME);
    }

    function inverse(uint256 value) internal view returns (uint256) {
        return modExp(value, PRIME - 2);
    }

    /// A stark key is the x-coordinate of a public key, so it is valid only if some y satisfies
    /// y^2 = x^3 + x + beta: by Euler's criterion, rhs^((P-1)/2) is 1 for a non-zero square.
    function isOnCurve(uint256 x) internal view returns (bool) {
        if (x >= PRIME) return false;
        uint256 rhs = addmod(mulmod(mulmod(x, x, PRIME), x, PRIME), addmod(x, PedersenConstants.BETA, PRIME), PRIME);
        if (rhs == 0) return true;
        return modExp(rhs, (PRIME - 1) / 2) == 1;
    }
}
