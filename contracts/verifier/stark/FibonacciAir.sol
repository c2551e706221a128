// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {PrimeField} from "./PrimeField.sol";
import {IStarkAir, AirShape} from "./IStarkAir.sol";

/// @notice offchain/prover/airs/fibonacci.py: columns (a, b), a' = a + b, b' = a + 2b on all rows
/// but the last; a = a_0, b = b_0 on row 0; b = result on the last row.
/// Public inputs: [a_0, b_0, result].
contract FibonacciAir is IStarkAir {
    using PrimeField for uint256;

    uint256 public constant MIN_TRACE_LENGTH = 8;

    error BadPublicInputs();
    error TraceTooShort(uint256 traceLength);

    function shape(uint256 traceLength, uint256[] calldata publicInputs)
        external
        pure
        override
        returns (AirShape memory s)
    {
        if (traceLength < MIN_TRACE_LENGTH) revert TraceTooShort(traceLength);
        if (publicInputs.length != 3) revert BadPublicInputs();
        s.mainWidth = 2;
        s.nCompositionParts = 1;
        s.maxDegree = 1;
        s.maskColumns = new uint256[](4);
        s.maskOffsets = new uint256[](4);
        (s.maskColumns[1], s.maskColumns[3]) = (1, 1);
        (s.maskOffsets[2], s.maskOffsets[3]) = (1, 1);
    }

    function compositionAtOod(
        uint256 traceLength,
        uint256[] calldata publicInputs,
        uint256[] calldata,
        uint256[] calldata ood,
        uint256 alpha,
        uint256 z
    ) external view override returns (uint256) {
        uint256[] memory inv = _vanishingInverses(traceLength, z);
        uint256[] memory quotients = _numerators(publicInputs, ood);
        quotients[0] = quotients[0].mul(inv[0]);
        quotients[1] = quotients[1].mul(inv[0]);
        quotients[2] = quotients[2].mul(inv[1]);
        quotients[3] = quotients[3].mul(inv[1]);
        quotients[4] = quotients[4].mul(inv[2]);
        return PrimeField.evaluatePolynomial(quotients, alpha);
    }

    function _numerators(uint256[] calldata pub, uint256[] calldata ood) private pure returns (uint256[] memory num) {
        (uint256 a, uint256 b) = (ood[0], ood[1]);
        num = new uint256[](5);
        num[0] = ood[2].sub(a.add(b));
        num[1] = ood[3].sub(a.add(b.add(b)));
        num[2] = a.sub(pub[0]);
        num[3] = b.sub(pub[1]);
        num[4] = b.sub(pub[2]);
    }

    /// @dev 1/Z at z for: all rows but the last, row 0, the last row.
    function _vanishingInverses(uint256 n, uint256 z) private view returns (uint256[] memory inv) {
        uint256 gLast = PrimeField.rootOfUnity(PrimeField.log2(n)).pow(n - 1);
        uint256[] memory dens = new uint256[](3);
        dens[0] = z.pow(n).sub(1);
        dens[1] = z.sub(1);
        dens[2] = z.sub(gLast);
        inv = PrimeField.batchInverse(dens);
        inv[0] = inv[0].mul(dens[2]);
    }
}
