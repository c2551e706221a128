// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice What the generic verifier needs of an AIR (offchain/prover/air.py), for one trace
/// length and public input. The mask lists the (column, row offset) pairs that have an
/// out-of-domain value in the proof, in proof order; offsets are non-negative.
struct AirShape {
    uint256 mainWidth;
    uint256 auxWidth;
    uint256 nChallenges;
    uint256 nCompositionParts;
    uint256 maxDegree;
    uint256[] maskColumns;
    uint256[] maskOffsets;
}

interface IStarkAir {
    /// @notice Reverts if the public inputs (or the trace length) are not a valid statement.
    function shape(uint256 traceLength, uint256[] calldata publicInputs) external view returns (AirShape memory);

    /// @notice sum_k alpha^k N_k(z) / Z_k(z): the constraint numerators evaluated on the
    /// out-of-domain values, each divided by the vanishing polynomial of its rows at z.
    function compositionAtOod(
        uint256 traceLength,
        uint256[] calldata publicInputs,
        uint256[] calldata challenges,
        uint256[] calldata oodTrace,
        uint256 alpha,
        uint256 z
    ) external view returns (uint256);
}
