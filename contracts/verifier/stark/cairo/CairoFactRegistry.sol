// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IFactRegistry} from "../../../interfaces/IFactRegistry.sol";
import {StarkVerifier} from "../StarkVerifier.sol";
import {CairoStatementChecks} from "./CairoStatementChecks.sol";
import {CairoStatementFormat as F} from "./CairoStatementFormat.sol";
import {CairoProgramStore} from "./CairoProgramStore.sol";

/// @notice Registers fact = keccak256(abi.encode(programHash, keccak256(output words))) (see
/// offchain/facts.py) once a STARK proof of a Cairo run verifies, where programHash = keccak256 of
/// [number of builtins, their names, the bytecode words]: the builtins are the statement's (the
/// proof pins their number in the entry code, and hashing their names makes a relabelled builtin
/// another program), the bytecode is the store's of the statement's code hash, which the proof
/// pins (its public memory product is over exactly that bytecode).
contract CairoFactRegistry is IFactRegistry {
    StarkVerifier public immutable verifier;
    CairoProgramStore public immutable programs;
    mapping(bytes32 => bool) private facts;

    event FactRegistered(bytes32 indexed fact, bytes32 indexed programHash, bytes32 outputHash);

    error OnlySelf();

    /// @param verifier_ a StarkVerifier over the Cairo AIR (CairoAir), which refuses to exist with a
    /// minimum security below MIN_SECURITY_BITS_FLOOR; programs_ the store its AIR reads.
    constructor(StarkVerifier verifier_, CairoProgramStore programs_) {
        verifier = verifier_;
        programs = programs_;
    }

    /// @notice Verifies a proof small enough for one transaction (reverting if it is invalid) and
    /// registers the fact of its output.
    function verifyProofAndRegister(bytes calldata proof) external returns (bytes32 fact) {
        (, uint256[] memory statement) = verifier.verify(proof);
        return this.register(statement);
    }

    /// @notice As verifyProofAndRegister, for a proof whose queries were checked by statements
    /// registered first (offchain/prover/statements.py; StarkVerifier.verifyWithStatements).
    function verifySplitProofAndRegister(bytes calldata compactProof) external returns (bytes32 fact) {
        (, uint256[] memory statement) = verifier.verifyWithStatements(compactProof);
        return this.register(statement);
    }

    /// @notice Registers the fact of a statement the verifier accepted; only this contract may call.
    function register(uint256[] calldata statement) external returns (bytes32 fact) {
        if (msg.sender != address(this)) revert OnlySelf();
        bytes32 programHash = programHashOf(statement);
        bytes32 outputHash = keccak256(abi.encodePacked(outputOf(statement)));
        fact = keccak256(abi.encode(programHash, outputHash));
        facts[fact] = true;
        emit FactRegistered(fact, programHash, outputHash);
    }

    /// @notice offchain/facts.py's program_hash_of(the statement's builtins, its program's bytecode).
    function programHashOf(uint256[] calldata statement) public view returns (bytes32) {
        uint256 n = CairoStatementChecks.nBuiltins(statement);
        uint256[] memory header = new uint256[](1 + n);
        header[0] = n;
        uint256 j = 1;
        for (uint256 k = 0; k < F.N_LAYOUT_BUILTINS; k++) {
            if ((statement[F.BUILTINS] >> k) & 1 == 1) header[j++] = F.builtinName(k);
        }
        return programs.hashWithPrefix(CairoStatementChecks.codeHash(statement), header);
    }

    /// @notice The output words: the listed cells after main's return values, which the statement's
    /// rules make exactly the output segment.
    function outputOf(uint256[] calldata statement) public pure returns (uint256[] memory out) {
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
