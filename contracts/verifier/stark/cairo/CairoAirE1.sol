// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {PrimeField} from "../PrimeField.sol";
import {IStarkAir, AirShape} from "../IStarkAir.sol";
import {CairoStatementChecks} from "./CairoStatementChecks.sol";
import {CairoConstraintsE1 as Constraints} from "./CairoConstraintsE1.sol";

/// @notice The Cairo CPU AIR (offchain/prover/cairo/air.py) for statements with one range-check
/// fill column; its constraints are generated from the Python ones.
contract CairoAirE1 is IStarkAir {
    using PrimeField for uint256;

    uint256 public constant MIN_TRACE_LENGTH = 16;
    uint256 internal constant MEMORY_Z = 0;
    uint256 internal constant MEMORY_ALPHA = 1;

    error TraceTooShort(uint256 traceLength);
    error UnsupportedRangeCheckFill(uint256 nRcFill);

    function shape(uint256 traceLength, uint256[] calldata publicInputs)
        external
        pure
        override
        returns (AirShape memory s)
    {
        if (traceLength < MIN_TRACE_LENGTH) revert TraceTooShort(traceLength);
        CairoStatementChecks.check(traceLength, publicInputs);
        if (publicInputs[CairoStatementChecks.N_RC_FILL] != Constraints.N_RC_FILL) {
            revert UnsupportedRangeCheckFill(publicInputs[CairoStatementChecks.N_RC_FILL]);
        }
        s.mainWidth = Constraints.MAIN_WIDTH;
        s.auxWidth = Constraints.AUX_WIDTH;
        s.nChallenges = 3;
        s.nCompositionParts = Constraints.N_COMPOSITION_PARTS;
        s.maxDegree = Constraints.MAX_DEGREE;
        s.maskColumns = Constraints.maskColumns();
        s.maskOffsets = Constraints.maskOffsets();
    }

    function compositionAtOod(
        uint256 traceLength,
        uint256[] calldata publicInputs,
        uint256[] calldata challenges,
        uint256[] calldata oodTrace,
        uint256 alpha,
        uint256 z
    ) external view override returns (uint256) {
        uint256[] memory nums = Constraints.numerators(
            oodTrace, publicInputs[:CairoStatementChecks.HEADER], challenges, _memoryFinal(publicInputs, challenges)
        );
        uint256 g = PrimeField.rootOfUnity(PrimeField.log2(traceLength));
        uint256[] memory inv = Constraints.vanishingInverses(traceLength, g, z);
        uint256[] memory rowSet = Constraints.rowSetOf();
        for (uint256 k = 0; k < nums.length; k++) {
            nums[k] = nums[k].mul(inv[rowSet[k]]);
        }
        return PrimeField.evaluatePolynomial(nums, alpha);
    }

    /// @dev z^k / prod over public cells (z - (address + alpha * value)).
    function _memoryFinal(uint256[] calldata w, uint256[] calldata challenges) private view returns (uint256) {
        uint256 z = challenges[MEMORY_Z];
        uint256 alpha = challenges[MEMORY_ALPHA];
        uint256 n = w[CairoStatementChecks.HEADER];
        uint256 den = 1;
        for (uint256 i = 0; i < n; i++) {
            uint256 cell = w[CairoStatementChecks.HEADER + 1 + 2 * i].add(alpha.mul(w[CairoStatementChecks.HEADER + 2 + 2 * i]));
            den = den.mul(z.sub(cell));
        }
        return z.pow(n).mul(den.inverse());
    }
}
