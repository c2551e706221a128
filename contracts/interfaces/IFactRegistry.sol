// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice A registry of facts: 32-byte hashes of statements that were proven.
/// The exchange accepts a state update only if every registry in its verifier chain holds
/// keccak256(abi.encode(programHash, keccak256(programOutput))).
interface IFactRegistry {
    function isValid(bytes32 fact) external view returns (bool);
}
