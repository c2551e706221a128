// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IStarkAir, AirShape} from "../IStarkAir.sol";
import {CairoStatementChecks} from "./CairoStatementChecks.sol";
import {CairoStatementFormat as F} from "./CairoStatementFormat.sol";

/// @notice The Cairo AIR for every supported number of range-check fill columns: forwards each
/// statement to the generated CairoAirE<k> of its count k (the statement's N_RC_FILL word, which
/// the proof binds through the channel seed). One StarkVerifier and one registry serve all counts.
contract CairoAir is IStarkAir {
    mapping(uint256 => IStarkAir) public airOf;

    event AirAdded(uint256 indexed nRcFill, IStarkAir air);

    error UnsupportedRangeCheckFill(uint256 nRcFill);
    error LengthMismatch();
    error DuplicateCount(uint256 nRcFill);

    /// @param counts the range-check fill counts; airs[i] is the AIR for counts[i].
    constructor(uint256[] memory counts, IStarkAir[] memory airs) {
        if (counts.length != airs.length) revert LengthMismatch();
        for (uint256 i = 0; i < counts.length; i++) {
            if (address(airOf[counts[i]]) != address(0)) revert DuplicateCount(counts[i]);
            airOf[counts[i]] = airs[i];
            emit AirAdded(counts[i], airs[i]);
        }
    }

    function shape(uint256 traceLength, uint256[] calldata publicInputs)
        external
        view
        override
        returns (AirShape memory)
    {
        return _air(publicInputs).shape(traceLength, publicInputs);
    }

    function compositionAtOod(
        uint256 traceLength,
        uint256[] calldata publicInputs,
        uint256[] calldata challenges,
        uint256[] calldata oodTrace,
        uint256 alpha,
        uint256 z
    ) external view override returns (uint256) {
        return _air(publicInputs).compositionAtOod(traceLength, publicInputs, challenges, oodTrace, alpha, z);
    }

    function _air(uint256[] calldata publicInputs) private view returns (IStarkAir air) {
        // The first two rules, in their order (the target AIR checks them all): the encoding, then a
        // supported count.
        CairoStatementChecks.nPublicCells(publicInputs);
        uint256 count = publicInputs[F.N_RC_FILL];
        if (!CairoStatementChecks.supportsRcFill(count)) {
            revert CairoStatementChecks.StatementRejected(F.RULE_N_RC_FILL);
        }
        air = airOf[count];
        if (address(air) == address(0)) revert UnsupportedRangeCheckFill(count);
    }
}
