// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {PrimeField} from "../PrimeField.sol";
import {StarkChannel} from "../StarkChannel.sol";
import {MerkleVerifier} from "../MerkleVerifier.sol";
import {CairoStatementChecks} from "../cairo/CairoStatementChecks.sol";
import {CairoProgramStore} from "../cairo/CairoProgramStore.sol";

/// @notice TESTS ONLY: exposes the verifier's internal libraries so that tests compare them with
/// the Python prover's field, channel and Merkle modules and the Cairo statement on the same inputs.
contract StarkLibrariesHarness {
    function fieldOps(uint256 a, uint256 b)
        external
        view
        returns (uint256 sum, uint256 difference, uint256 product, uint256 inverseOfA, uint256 aToTheB)
    {
        return (PrimeField.add(a, b), PrimeField.sub(a, b), PrimeField.mul(a, b), PrimeField.inverse(a), PrimeField.pow(a, b));
    }

    function rootOfUnity(uint256 logN) external view returns (uint256) {
        return PrimeField.rootOfUnity(logN);
    }

    function batchInverse(uint256[] memory values) external view returns (uint256[] memory) {
        return PrimeField.batchInverse(values);
    }

    /// @notice init(seed), absorb(words), draw felts, draw queries, check a PoW nonce.
    function channelScript(
        uint256[] memory seed,
        uint256[] memory words,
        uint256 nFelts,
        uint256 nQueries,
        uint256 domainSize,
        uint256 nonce,
        uint256 bits
    ) external pure returns (bytes32 stateAfterAbsorb, uint256[] memory felts, uint256[] memory queries, bool powOk) {
        StarkChannel.Channel memory ch = StarkChannel.init(seed);
        StarkChannel.absorb(ch, words);
        stateAfterAbsorb = ch.state;
        felts = StarkChannel.drawFelts(ch, nFelts);
        queries = StarkChannel.drawQueries(ch, nQueries, domainSize);
        powOk = StarkChannel.powOk(ch, nonce, bits);
    }

    function verifyRow(bytes32 root, uint256 index, uint256[] memory row, uint256[] memory path, uint256 depth)
        external
        pure
        returns (bool)
    {
        return MerkleVerifier.verifyRow(root, index, row, path, depth);
    }

    /// @notice Reverts StatementRejected(rule) as CairoStatement.check raises (the programs those of
    /// the store); else returns the AIR constants and the index of the first output cell.
    function cairoStatement(uint256 traceLength, uint256[] calldata words, CairoProgramStore programs)
        external
        view
        returns (uint256[] memory airConstants, uint256 outputIndex)
    {
        CairoStatementChecks.check(traceLength, words, programs);
        return (CairoStatementChecks.airConstants(words), CairoStatementChecks.outputIndex(words));
    }
}
