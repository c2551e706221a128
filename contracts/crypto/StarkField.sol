// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ModExp} from "./ModExp.sol";

// The prime as a file-level literal as well, so inline assembly elsewhere can name it.
uint256 constant STARK_PRIME = 0x800000000000011000000000000000000000000000000000000000000000001;

/// @notice The Stark field: integers modulo PRIME = 2^251 + 17·2^192 + 1, StarkWare's prime. The
/// one Solidity definition of the prime (the STARK verifier's PrimeField aside): every curve,
/// hash and exchange rule that needs it reads it here.
library StarkField {
    uint256 internal constant PRIME = STARK_PRIME;

    function modExp(uint256 base, uint256 exponent) internal view returns (uint256) {
        return ModExp.modExp(base, exponent, PRIME);
    }

    /// value^-1 by Fermat (value^(P-2)); 0 maps to 0, so callers check value != 0 first.
    function inverse(uint256 value) internal view returns (uint256) {
        return modExp(value, PRIME - 2);
    }
}
