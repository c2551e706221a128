// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IFactRegistry} from "../../../interfaces/IFactRegistry.sol";
import {StarkVerifier} from "../StarkVerifier.sol";
import {CairoStatementChecks} from "./CairoStatementChecks.sol";

/// @notice Registers fact = keccak256(abi.encode(programHash, keccak256(output words))) (see
/// offchain/facts.py) once a STARK proof of a Cairo run verifies, where programHash =
/// keccak256(program bytecode words) and the bytecode is the statement's program segment: the
/// public memory over [program_begin, program_begin + program_length), pinned by the proof.
contract CairoFactRegistry is IFactRegistry {
    StarkVerifier public immutable verifier;
    mapping(bytes32 => bool) private facts;

    event FactRegistered(bytes32 indexed fact, bytes32 indexed programHash, bytes32 outputHash);

    error ProgramMismatch(uint256 index);
    error ProgramLengthMismatch(uint256 given, uint256 proven);

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

    /// @notice Reverts unless `programBytecode` is exactly the statement's program segment: as many
    /// words as PROGRAM_LENGTH (so neither a prefix nor an extension passes) and word i equal to the
    /// public memory cell PROGRAM_BEGIN + i, which the statement checks put at public cell i.
    function checkProgram(uint256[] calldata statement, uint256[] calldata programBytecode) external pure {
        uint256 length = statement[CairoStatementChecks.PROGRAM_LENGTH];
        if (programBytecode.length != length) revert ProgramLengthMismatch(programBytecode.length, length);
        for (uint256 i = 0; i < length; i++) {
            if (statement[CairoStatementChecks.HEADER + 2 + 2 * i] != programBytecode[i]) revert ProgramMismatch(i);
        }
    }

    /// @notice The output words: the public memory over [output_begin, output_stop), which the
    /// statement checks make consecutive public cells (addresses increase and none is missing).
    function outputOf(uint256[] calldata statement) external pure returns (uint256[] memory out) {
        uint256 begin = statement[CairoStatementChecks.OUTPUT_BEGIN];
        out = new uint256[](statement[CairoStatementChecks.OUTPUT_STOP] - begin);
        if (out.length == 0) return out;
        uint256 first = CairoStatementChecks.indexOf(statement, begin);
        for (uint256 i = 0; i < out.length; i++) {
            out[i] = statement[CairoStatementChecks.HEADER + 2 + 2 * (first + i)];
        }
    }

    function isValid(bytes32 fact) external view override returns (bool) {
        return facts[fact];
    }
}
