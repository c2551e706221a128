// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {StarkEcdsa} from "../crypto/StarkEcdsa.sol";

/// @notice TEST ONLY: exposes Stark ECDSA verification for inputs the exchange never passes
/// (its message hash is reduced below EC_ORDER and its keys are checked on the curve first).
contract StarkEcdsaHarness {
    function verify(uint256 msgHash, uint256 r, uint256 s, uint256 publicKeyX) external view returns (bool) {
        StarkEcdsa.requireValidSignature(msgHash, r, s, publicKeyX);
        return true;
    }
}
