// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IFactRegistry} from "../../interfaces/IFactRegistry.sol";
import {StarkVerifier} from "./StarkVerifier.sol";

/// @notice Registers "the Fibonacci-like sequence from (a_0, b_0) reaches `result` after
/// 2·traceLength - 1 steps" once a STARK proof of it verifies.
/// fact = keccak256(abi.encode(FIBONACCI_STATEMENT, traceLength, a_0, b_0, result)).
contract FibonacciFactRegistry is IFactRegistry {
    bytes32 public constant FIBONACCI_STATEMENT = keccak256("stark.fibonacci.v1");

    StarkVerifier public immutable verifier;
    mapping(bytes32 => bool) private facts;

    event FactRegistered(bytes32 indexed fact);

    constructor(StarkVerifier verifier_) {
        verifier = verifier_;
    }

    function factOf(uint256 traceLength, uint256[] memory publicInputs) public pure returns (bytes32) {
        return keccak256(abi.encode(FIBONACCI_STATEMENT, traceLength, publicInputs[0], publicInputs[1], publicInputs[2]));
    }

    /// @notice Verifies the proof (reverting if it is invalid), then registers its fact.
    function verifyProofAndRegister(bytes calldata proof) external returns (bytes32 fact) {
        (uint256 traceLength, uint256[] memory publicInputs) = verifier.verify(proof);
        fact = factOf(traceLength, publicInputs);
        facts[fact] = true;
        emit FactRegistered(fact);
    }

    function isValid(bytes32 fact) external view override returns (bool) {
        return facts[fact];
    }
}
