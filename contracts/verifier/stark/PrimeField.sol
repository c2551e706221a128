// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ModExp} from "../../common/ModExp.sol";

/// @notice Arithmetic in the Stark field F_P, P = 2^251 + 17·2^192 + 1 (offchain/prover/field.py).
/// Elements are canonical uint256 values in [0, P).
library PrimeField {
    uint256 internal constant P = 0x800000000000011000000000000000000000000000000000000000000000001;
    uint256 internal constant GENERATOR = 3;
    uint256 internal constant TWO_ADICITY = 192;

    error InverseOfZero();
    error NoSuchSubgroup(uint256 logN);

    function add(uint256 a, uint256 b) internal pure returns (uint256) {
        return addmod(a, b, P);
    }

    function sub(uint256 a, uint256 b) internal pure returns (uint256) {
        return addmod(a, P - b, P);
    }

    function mul(uint256 a, uint256 b) internal pure returns (uint256) {
        return mulmod(a, b, P);
    }

    /// @dev Through the modexp precompile (0x05): cheaper than square-and-multiply in the EVM.
    function pow(uint256 base, uint256 exponent) internal view returns (uint256) {
        return ModExp.modExp(base, exponent, P);
    }

    function inverse(uint256 a) internal view returns (uint256) {
        if (a % P == 0) revert InverseOfZero();
        return pow(a, P - 2);
    }

    /// @notice The primitive 2^logN-th root of unity 3^((P-1)/2^logN), as field.py defines it.
    function rootOfUnity(uint256 logN) internal view returns (uint256) {
        if (logN > TWO_ADICITY) revert NoSuchSubgroup(logN);
        return pow(GENERATOR, (P - 1) >> logN);
    }

    /// @notice Inverts every element with one modexp (Montgomery's trick); reverts on a zero.
    function batchInverse(uint256[] memory values) internal view returns (uint256[] memory out) {
        uint256 n = values.length;
        out = new uint256[](n);
        uint256 acc = 1;
        for (uint256 i = 0; i < n; i++) {
            out[i] = acc;
            acc = mulmod(acc, values[i], P);
        }
        acc = inverse(acc);
        for (uint256 i = n; i > 0; i--) {
            uint256 v = values[i - 1];
            out[i - 1] = mulmod(out[i - 1], acc, P);
            acc = mulmod(acc, v, P);
        }
    }

    /// @notice Horner's rule: sum coeffs[i] x^i.
    function evaluatePolynomial(uint256[] memory coeffs, uint256 x) internal pure returns (uint256 acc) {
        for (uint256 i = coeffs.length; i > 0; i--) {
            acc = addmod(mulmod(acc, x, P), coeffs[i - 1], P);
        }
    }

    function isPowerOfTwo(uint256 n) internal pure returns (bool) {
        return n != 0 && n & (n - 1) == 0;
    }

    /// @dev n must be a power of two.
    function log2(uint256 n) internal pure returns (uint256 r) {
        while (n > 1) {
            n >>= 1;
            r++;
        }
    }
}
