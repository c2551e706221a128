// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {PrimeField} from "./PrimeField.sol";
import {MerkleVerifier} from "./MerkleVerifier.sol";
import {StarkChannel} from "./StarkChannel.sol";

/// @notice The verifier side of FRI (offchain/prover/fri.py): layer i of size M folds by k into
/// size M/k; leaf j of layer i commits to the values at j, j + M/k, ..., j + (k-1)M/k.
library Fri {
    using PrimeField for uint256;

    struct Layout {
        uint256 foldingFactor;
        uint256[] layerSizes;
        uint256 remainderLength;
    }

    /// @dev Everything the per-query walk needs, computed once per proof.
    struct Context {
        Layout layout;
        uint256[] roots;
        uint256[] betas;
        uint256[] remainder;
        uint256[] layerRootInverses; // w_M^-1 of each committed layer's domain
        uint256[] layerShiftInverses; // (3^(k^i))^-1
        uint256[] zetaInversePowers; // zeta^-t, zeta of order k
        uint256 kInverse;
        uint256 lastRoot; // domain of the remainder: lastShift * <lastRoot>
        uint256 lastShift;
    }

    error FriCommitmentCount(uint256 expected, uint256 actual);
    error FriRemainderLength(uint256 expected, uint256 actual);
    error FriDecommitmentShape(uint256 query, uint256 layer);
    error FriPathMismatch(uint256 query, uint256 layer);
    error FriValueMismatch(uint256 query, uint256 layer);
    error FriRemainderMismatch(uint256 query);

    function layout(uint256 ldeSize, uint256 degreeBound, uint256 k, uint256 lastLayerDegreeBound)
        internal
        pure
        returns (Layout memory out)
    {
        uint256 n = 0;
        uint256 bound = degreeBound;
        while (bound > lastLayerDegreeBound && bound % k == 0) {
            bound /= k;
            n++;
        }
        out.foldingFactor = k;
        out.layerSizes = new uint256[](n);
        uint256 size = ldeSize;
        for (uint256 i = 0; i < n; i++) {
            out.layerSizes[i] = size;
            size /= k;
        }
        out.remainderLength = bound;
    }

    /// @notice Absorbs the layer roots (drawing a beta after each) and the remainder.
    function readCommitments(
        StarkChannel.Channel memory ch,
        Layout memory lay,
        uint256[] memory roots,
        uint256[] memory remainder
    ) internal pure returns (uint256[] memory betas) {
        if (roots.length != lay.layerSizes.length) revert FriCommitmentCount(lay.layerSizes.length, roots.length);
        if (remainder.length != lay.remainderLength) {
            revert FriRemainderLength(lay.remainderLength, remainder.length);
        }
        betas = new uint256[](roots.length);
        for (uint256 i = 0; i < roots.length; i++) {
            StarkChannel.absorbWord(ch, roots[i]);
            betas[i] = StarkChannel.drawFelt(ch);
        }
        StarkChannel.absorb(ch, remainder);
    }

    function context(
        Layout memory lay,
        uint256[] memory roots,
        uint256[] memory betas,
        uint256[] memory remainder,
        uint256 ldeSize,
        uint256 shift
    ) internal view returns (Context memory ctx) {
        uint256 k = lay.foldingFactor;
        uint256 n = lay.layerSizes.length;
        ctx.layout = lay;
        ctx.roots = roots;
        ctx.betas = betas;
        ctx.remainder = remainder;
        ctx.layerRootInverses = new uint256[](n);
        ctx.layerShiftInverses = new uint256[](n);
        uint256 size = ldeSize;
        for (uint256 i = 0; i < n; i++) {
            ctx.layerRootInverses[i] = PrimeField.rootOfUnity(PrimeField.log2(size)).inverse();
            ctx.layerShiftInverses[i] = shift.inverse();
            size /= k;
            shift = shift.pow(k);
        }
        ctx.lastRoot = PrimeField.rootOfUnity(PrimeField.log2(size));
        ctx.lastShift = shift;
        uint256 zetaInverse = PrimeField.rootOfUnity(PrimeField.log2(k)).inverse();
        ctx.zetaInversePowers = new uint256[](k);
        uint256 acc = 1;
        for (uint256 t = 0; t < k; t++) {
            ctx.zetaInversePowers[t] = acc;
            acc = acc.mul(zetaInverse);
        }
        ctx.kInverse = k.inverse();
    }

    /// @notice One query's walk from f(x_position) = value through every layer to the remainder.
    function verifyQuery(
        Context memory ctx,
        uint256 queryIndex,
        uint256 position,
        uint256 value,
        uint256[][] memory values,
        uint256[][] memory paths
    ) internal view {
        uint256 nLayers = ctx.layout.layerSizes.length;
        if (values.length != nLayers || paths.length != nLayers) revert FriDecommitmentShape(queryIndex, nLayers);
        for (uint256 i = 0; i < nLayers; i++) {
            (position, value) = _foldLayer(ctx, queryIndex, i, position, value, values[i], paths[i]);
        }
        uint256 x = ctx.lastShift.mul(ctx.lastRoot.pow(position));
        if (PrimeField.evaluatePolynomial(ctx.remainder, x) != value) revert FriRemainderMismatch(queryIndex);
    }

    /// @notice One query's walk when the layers' cosets were checked against their roots by Merkle
    /// statements (StarkStatements): the values only. Returns each layer's leaf index.
    function verifyQueryValues(
        Context memory ctx,
        uint256 queryIndex,
        uint256 position,
        uint256 value,
        uint256[][] memory values
    ) internal view returns (uint256[] memory indices) {
        uint256 nLayers = ctx.layout.layerSizes.length;
        if (values.length != nLayers) revert FriDecommitmentShape(queryIndex, nLayers);
        indices = new uint256[](nLayers);
        uint256 k = ctx.layout.foldingFactor;
        for (uint256 i = 0; i < nLayers; i++) {
            uint256 m = ctx.layout.layerSizes[i] / k;
            uint256 j = position % m;
            uint256[] memory coset = values[i];
            if (coset.length != k) revert FriDecommitmentShape(queryIndex, i);
            if (coset[position / m] != value) revert FriValueMismatch(queryIndex, i);
            indices[i] = j;
            (position, value) = (j, foldCoset(ctx, coset, i, j));
        }
        uint256 x = ctx.lastShift.mul(ctx.lastRoot.pow(position));
        if (PrimeField.evaluatePolynomial(ctx.remainder, x) != value) revert FriRemainderMismatch(queryIndex);
    }

    /// @dev Checks layer i's coset at `position` against its root and `value`; returns the
    /// position and value in layer i + 1.
    function _foldLayer(
        Context memory ctx,
        uint256 queryIndex,
        uint256 i,
        uint256 position,
        uint256 value,
        uint256[] memory coset,
        uint256[] memory path
    ) private view returns (uint256, uint256) {
        uint256 k = ctx.layout.foldingFactor;
        uint256 m = ctx.layout.layerSizes[i] / k;
        uint256 j = position % m;
        if (coset.length != k) revert FriDecommitmentShape(queryIndex, i);
        if (!MerkleVerifier.verifyRow(bytes32(ctx.roots[i]), j, coset, path, PrimeField.log2(m))) {
            revert FriPathMismatch(queryIndex, i);
        }
        if (coset[position / m] != value) revert FriValueMismatch(queryIndex, i);
        return (j, foldCoset(ctx, coset, i, j));
    }

    /// @dev f'(x^k) = (1/k) sum_r (beta/x)^r sum_t f(x zeta^t) zeta^(-rt).
    function foldCoset(Context memory ctx, uint256[] memory coset, uint256 layer, uint256 j)
        private
        view
        returns (uint256)
    {
        uint256 P = PrimeField.P;
        uint256 k = ctx.layout.foldingFactor;
        // x^-1 = shift^-1 * w^-j
        uint256 betaOverX = ctx.betas[layer].mul(ctx.layerShiftInverses[layer].mul(ctx.layerRootInverses[layer].pow(j)));
        uint256 out = 0;
        uint256 factor = 1;
        for (uint256 r = 0; r < k; r++) {
            uint256 inner = 0;
            for (uint256 t = 0; t < k; t++) {
                inner = addmod(inner, mulmod(coset[t], ctx.zetaInversePowers[(r * t) % k], P), P);
            }
            out = addmod(out, mulmod(inner, factor, P), P);
            factor = mulmod(factor, betaOverX, P);
        }
        return mulmod(out, ctx.kInverse, P);
    }
}
