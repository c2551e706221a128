// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IFactRegistry} from "../../../interfaces/IFactRegistry.sol";
import {StarkVerifier} from "../StarkVerifier.sol";
import {CairoStatementChecks} from "./CairoStatementChecks.sol";

/// @notice Registers fact = keccak256(abi.encode(programHash, keccak256(output words))) (see
/// offchain/facts.py) once a STARK proof of a Cairo run verifies, where programHash =
/// keccak256(program bytecode words) and the bytecode is the public memory from the initial pc.
contract CairoFactRegistry is IFactRegistry {
    StarkVerifier public immutable verifier;
    mapping(bytes32 => bool) private facts;

    event FactRegistered(bytes32 indexed fact, bytes32 indexed programHash, bytes32 outputHash);

    error ProgramMismatch(uint256 index);

    constructor(StarkVerifier verifier_) {
        verifier = verifier_;
    }

    /// @notice Verifies the proof (reverting if it is invalid), checks that `programBytecode` is
    /// the program the proof ran, and registers the fact of its output.
    function verifyProofAndRegister(bytes calldata proof, uint256[] calldata programBytecode)
        external
        returns (bytes32 fact)
    {
        (, uint256[] memory statement) = verifier.verify(proof);
        this.checkProgram(statement, programBytecode);
        bytes32 programHash = keccak256(abi.encodePacked(programBytecode));
        bytes32 outputHash = keccak256(abi.encodePacked(this.outputOf(statement)));
        fact = keccak256(abi.encode(programHash, outputHash));
        facts[fact] = true;
        emit FactRegistered(fact, programHash, outputHash);
    }

    /// @notice Reverts unless bytecode word i is the public memory cell initial_pc + i, for all i.
    function checkProgram(uint256[] calldata statement, uint256[] calldata programBytecode) external pure {
        uint256 initialPc = statement[CairoStatementChecks.INITIAL_PC];
        if (programBytecode.length == 0) revert ProgramMismatch(0);
        for (uint256 i = 0; i < programBytecode.length; i++) {
            (bool found, uint256 value) = CairoStatementChecks.lookup(statement, initialPc + i);
            if (!found || value != programBytecode[i]) revert ProgramMismatch(i);
        }
    }

    /// @notice The output words: the public memory over [output_begin, output_stop).
    function outputOf(uint256[] calldata statement) external pure returns (uint256[] memory out) {
        uint256 begin = statement[CairoStatementChecks.OUTPUT_BEGIN];
        out = new uint256[](statement[CairoStatementChecks.OUTPUT_STOP] - begin);
        for (uint256 i = 0; i < out.length; i++) {
            (, out[i]) = CairoStatementChecks.lookup(statement, begin + i);
        }
    }

    function isValid(bytes32 fact) external view override returns (bool) {
        return facts[fact];
    }
}
