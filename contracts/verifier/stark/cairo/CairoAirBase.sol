// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {PrimeField} from "../PrimeField.sol";
import {IStarkAir, AirShape} from "../IStarkAir.sol";
import {CairoStatementChecks} from "./CairoStatementChecks.sol";
import {CairoStatementFormat as F} from "./CairoStatementFormat.sol";

/// @notice The Cairo CPU AIR (offchain/prover/cairo/air.py) for one number of range-check fill
/// columns: the statement's rules (CairoStatementChecks) and the composition at the out-of-domain
/// point. The generated CairoAirE<k> contracts supply the constraints of their count.
abstract contract CairoAirBase is IStarkAir {
    using PrimeField for uint256;

    uint256 public constant MIN_TRACE_LENGTH = 16;
    uint256 internal constant N_CHALLENGES = 3;
    uint256 internal constant MEMORY_Z = 0;
    uint256 internal constant MEMORY_ALPHA = 1;

    uint256 public immutable nRcFill;

    error TraceTooShort(uint256 traceLength);
    error UnsupportedRangeCheckFill(uint256 nRcFill);

    constructor(uint256 nRcFill_) {
        nRcFill = nRcFill_;
    }

    function shape(uint256 traceLength, uint256[] calldata publicInputs)
        external
        view
        override
        returns (AirShape memory s)
    {
        if (traceLength < MIN_TRACE_LENGTH) revert TraceTooShort(traceLength);
        CairoStatementChecks.check(traceLength, publicInputs);
        if (publicInputs[F.N_RC_FILL] != nRcFill) revert UnsupportedRangeCheckFill(publicInputs[F.N_RC_FILL]);
        (s.mainWidth, s.auxWidth, s.nCompositionParts, s.maxDegree) = _shapeConstants();
        s.nChallenges = N_CHALLENGES;
        (s.maskColumns, s.maskOffsets) = _mask();
    }

    function compositionAtOod(
        uint256 traceLength,
        uint256[] calldata publicInputs,
        uint256[] calldata challenges,
        uint256[] calldata oodTrace,
        uint256 alpha,
        uint256 z
    ) external view override returns (uint256) {
        uint256[] memory nums = _numerators(
            oodTrace, CairoStatementChecks.airConstants(publicInputs), challenges, _memoryFinal(publicInputs, challenges)
        );
        uint256 g = PrimeField.rootOfUnity(PrimeField.log2(traceLength));
        uint256[] memory inv = _vanishingInverses(traceLength, g, z);
        uint256[] memory rowSet = _rowSetOf();
        for (uint256 k = 0; k < nums.length; k++) {
            nums[k] = nums[k].mul(inv[rowSet[k]]);
        }
        return PrimeField.evaluatePolynomial(nums, alpha);
    }

    /// @dev z^k / prod over public cells (z - (address + alpha * value)).
    function _memoryFinal(uint256[] calldata w, uint256[] calldata challenges) private view returns (uint256) {
        uint256 z = challenges[MEMORY_Z];
        uint256 alpha = challenges[MEMORY_ALPHA];
        uint256 n = w[F.N_PUBLIC_MEMORY];
        uint256 den = 1;
        for (uint256 i = 0; i < n; i++) {
            uint256 cell = CairoStatementChecks.addressAt(w, i).add(alpha.mul(CairoStatementChecks.valueAt(w, i)));
            den = den.mul(z.sub(cell));
        }
        return z.pow(n).mul(den.inverse());
    }

    function _shapeConstants()
        internal
        pure
        virtual
        returns (uint256 mainWidth, uint256 auxWidth, uint256 parts, uint256 maxDegree);

    function _mask() internal pure virtual returns (uint256[] memory columns, uint256[] memory offsets);

    function _numerators(uint256[] memory ood, uint256[] memory pub, uint256[] memory ch, uint256 memoryFinal)
        internal
        pure
        virtual
        returns (uint256[] memory);

    function _vanishingInverses(uint256 n, uint256 g, uint256 z) internal view virtual returns (uint256[] memory);

    function _rowSetOf() internal pure virtual returns (uint256[] memory);
}
