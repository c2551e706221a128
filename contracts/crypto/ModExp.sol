// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice base^exponent mod modulus through the modexp precompile (0x05): the one place every
/// field and curve library of the project exponentiates (inverses, square roots, Euler checks).
library ModExp {
    error ModExpFailed();

    function modExp(uint256 base, uint256 exponent, uint256 modulus) internal view returns (uint256 result) {
        bool ok;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, 0x20)
            mstore(add(ptr, 0x20), 0x20)
            mstore(add(ptr, 0x40), 0x20)
            mstore(add(ptr, 0x60), base)
            mstore(add(ptr, 0x80), exponent)
            mstore(add(ptr, 0xa0), modulus)
            ok := staticcall(gas(), 0x05, ptr, 0xc0, ptr, 0x20)
            result := mload(ptr)
        }
        if (!ok) revert ModExpFailed();
    }
}
