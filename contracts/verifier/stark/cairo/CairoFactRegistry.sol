// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IFactRegistry} from "../../../interfaces/IFactRegistry.sol";
import {StarkVerifier} from "../StarkVerifier.sol";
import {CairoStatementChecks} from "./CairoStatementChecks.sol";
import {CairoStatementFormat as F} from "./CairoStatementFormat.sol";

/// @notice Registers fact = keccak256(abi.encode(programHash, keccak256(output words))) (see
/// offchain/facts.py) once a STARK proof of a Cairo run verifies, where programHash = keccak256 of
/// [number of builtins, their names, the bytecode words]: the builtins are the statement's (the
/// proof pins their number in the entry code, and hashing their names makes a relabelled builtin
/// another program), the bytecode is the statement's program segment, pinned by the proof.
contract CairoFactRegistry is IFactRegistry {
    StarkVerifier public immutable verifier;
    mapping(bytes32 => bool) private facts;

    event FactRegistered(bytes32 indexed fact, bytes32 indexed programHash, bytes32 outputHash);

    error ProgramMismatch(uint256 index);
    error ProgramLengthMismatch(uint256 given, uint256 proven);
    /// @param verifier_ a StarkVerifier over the Cairo AIR (CairoAir), which refuses to exist with a
    /// minimum security below MIN_SECURITY_BITS_FLOOR.
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
        bytes32 programHash = this.programHashOf(statement, programBytecode);
        bytes32 outputHash = keccak256(abi.encodePacked(this.outputOf(statement)));
        fact = keccak256(abi.encode(programHash, outputHash));
        facts[fact] = true;
        emit FactRegistered(fact, programHash, outputHash);
    }

    /// @notice Reverts unless `programBytecode` is exactly the statement's program segment: as many
    /// words as PROGRAM_LENGTH (so neither a prefix nor an extension passes) and word i equal to
    /// public memory cell i, which the statement's rules put at address PROGRAM_BEGIN + i.
    function checkProgram(uint256[] calldata statement, uint256[] calldata programBytecode) external pure {
        uint256 length = statement[F.PROGRAM_LENGTH];
        if (programBytecode.length != length) revert ProgramLengthMismatch(programBytecode.length, length);
        for (uint256 i = 0; i < length; i++) {
            if (CairoStatementChecks.valueAt(statement, i) != programBytecode[i]) revert ProgramMismatch(i);
        }
    }

    /// @notice offchain/facts.py's program_hash_of(the statement's builtins, programBytecode).
    function programHashOf(uint256[] calldata statement, uint256[] calldata programBytecode)
        external
        pure
        returns (bytes32)
    {
        uint256 n = CairoStatementChecks.nBuiltins(statement);
        uint256[] memory header = new uint256[](1 + n);
        header[0] = n;
        uint256 j = 1;
        for (uint256 k = 0; k < F.N_LAYOUT_BUILTINS; k++) {
            if ((statement[F.BUILTINS] >> k) & 1 == 1) header[j++] = F.builtinName(k);
        }
        return keccak256(abi.encodePacked(header, programBytecode));
    }

    /// @notice The output words: the public cells after main's return values, which the statement's
    /// rules make exactly the output segment.
    function outputOf(uint256[] calldata statement) external pure returns (uint256[] memory out) {
        uint256 first = CairoStatementChecks.outputIndex(statement);
        out = new uint256[](statement[F.N_PUBLIC_MEMORY] - first);
        for (uint256 i = 0; i < out.length; i++) {
            out[i] = CairoStatementChecks.valueAt(statement, first + i);
        }
    }

    function isValid(bytes32 fact) external view override returns (bool) {
        return facts[fact];
    }
}
