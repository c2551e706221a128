// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {PrimeField} from "./PrimeField.sol";
import {StarkChannel} from "./StarkChannel.sol";
import {MerkleVerifier} from "./MerkleVerifier.sol";
import {StarkProofReader} from "./StarkProofReader.sol";
import {Fri} from "./Fri.sol";
import {IStarkAir, AirShape} from "./IStarkAir.sol";
import {StarkStatements} from "./StarkStatements.sol";

/// @notice The generic STARK verifier of offchain/prover/verifier.py for one AIR: it accepts
/// exactly the proof bytes the Python verifier accepts (with the same minimum security, computed
/// the same way: n_queries * log2(blowup) + grinding_bits, offchain/prover/params.py).
/// Stateless: fact registries call verify() and record what it returns. A proof too large for one
/// transaction goes through verifyWithStatements(): its query decommitments were checked first by
/// statements registered on `statements` (offchain/prover/statements.py).
contract StarkVerifier {
    using PrimeField for uint256;

    uint256 internal constant COSET_SHIFT = 3;
    uint256 internal constant MAX_LOG_LDE_SIZE = 32;
    /// @notice No verifier accepts proofs of less conjectured security than this
    /// (params.MIN_SECURITY_BITS_FLOOR).
    uint256 public constant MIN_SECURITY_BITS_FLOOR = 96;

    IStarkAir public immutable air;
    uint256 public immutable minSecurityBits;
    StarkStatements public immutable statements;

    error MinSecurityBelowFloor(uint256 minSecurityBits, uint256 floor);
    error BadParams();
    error SecurityTooLow(uint256 bits, uint256 minimum);
    error BadTraceLength(uint256 traceLength);
    error AirDoesNotFit();
    error WrongShape();
    error OodPointInDomain();
    error CompositionMismatch();
    error PowFailed();
    error TracePathMismatch(uint256 query, uint256 segment);
    error CompositionPathMismatch(uint256 query);
    error NoStatements();
    error DeepStatementMissing(uint256 chunk);
    error FriStatementMissing(uint256 layer);

    /// @dev Values shared by the phases, kept in memory to stay clear of the stack limit.
    struct State {
        StarkProofReader.Proof proof;
        AirShape shape;
        uint256 ldeSize;
        uint256 logLdeSize;
        uint256 z;
        uint256 gamma;
        uint256[] positions;
        uint256[] offsetPoints; // z * g^o for each distinct mask offset, in mask order
        uint256[] maskPointIndex; // mask element -> index into offsetPoints
        Fri.Context fri;
    }

    /// @param statements_ where verifyWithStatements finds its statements (address 0: none).
    constructor(IStarkAir air_, uint256 minSecurityBits_, StarkStatements statements_) {
        if (minSecurityBits_ < MIN_SECURITY_BITS_FLOOR) {
            revert MinSecurityBelowFloor(minSecurityBits_, MIN_SECURITY_BITS_FLOOR);
        }
        air = air_;
        minSecurityBits = minSecurityBits_;
        statements = statements_;
    }

    /// @notice Reverts unless `proofBytes` is a valid proof; returns its statement.
    function verify(bytes calldata proofBytes)
        external
        view
        returns (uint256 traceLength, uint256[] memory publicInputs)
    {
        State memory s;
        s.proof = StarkProofReader.read(proofBytes);
        _checkParams(s.proof.params);
        traceLength = s.proof.traceLength;
        if (!traceLength.isPowerOfTwo() || traceLength >> MAX_LOG_LDE_SIZE != 0) revert BadTraceLength(traceLength);
        s.shape = air.shape(traceLength, s.proof.publicInputs);
        _checkFit(s);
        Fri.Layout memory friLayout = Fri.layout(
            s.ldeSize, traceLength, s.proof.params.foldingFactor, s.proof.params.lastLayerDegreeBound
        );
        _checkShape(s);
        StarkChannel.Channel memory ch = _replayUntilOod(s, _head(s.proof));
        s.gamma = StarkChannel.drawFelt(ch);
        uint256[] memory betas = Fri.readCommitments(ch, friLayout, s.proof.friRoots, s.proof.friRemainder);
        if (!StarkChannel.powOk(ch, s.proof.powNonce, s.proof.params.grindingBits)) revert PowFailed();
        StarkChannel.absorbWord(ch, s.proof.powNonce);
        s.positions = StarkChannel.drawQueries(ch, s.proof.params.nQueries, s.ldeSize);
        s.fri = Fri.context(friLayout, s.proof.friRoots, betas, s.proof.friRemainder, s.ldeSize, COSET_SHIFT);
        _checkQueries(s);
        publicInputs = s.proof.publicInputs;
    }

    /// @notice As verify(), for a proof whose queries' rows and paths were checked by statements
    /// registered first on `statements`: DEEP statements for the trace and composition rows (a fact
    /// per run of queries, binding their DEEP values), Merkle statements for the FRI layers' cosets
    /// (a fact per layer). Reverts unless every one is registered and the rest verifies.
    function verifyWithStatements(bytes calldata compactProof)
        external
        view
        returns (uint256 traceLength, uint256[] memory publicInputs)
    {
        if (address(statements) == address(0)) revert NoStatements();
        StarkProofReader.CompactProof memory p = StarkProofReader.readCompact(compactProof);
        State memory s;
        Head memory h = _compactHead(p);
        s.proof.params = p.params;
        s.proof.traceLength = p.traceLength;
        _checkParams(p.params);
        traceLength = p.traceLength;
        if (!traceLength.isPowerOfTwo() || traceLength >> MAX_LOG_LDE_SIZE != 0) revert BadTraceLength(traceLength);
        s.shape = air.shape(traceLength, p.publicInputs);
        _checkFit(s);
        Fri.Layout memory friLayout =
            Fri.layout(s.ldeSize, traceLength, p.params.foldingFactor, p.params.lastLayerDegreeBound);
        uint256 nSegments = s.shape.auxWidth == 0 ? 1 : 2;
        if (
            p.traceRoots.length != nSegments || p.oodTrace.length != s.shape.maskColumns.length
                || p.oodComposition.length != s.shape.nCompositionParts || p.deepValues.length != p.params.nQueries
        ) revert WrongShape();
        StarkChannel.Channel memory ch = _replayUntilOod(s, h);
        s.gamma = StarkChannel.drawFelt(ch);
        uint256[] memory betas = Fri.readCommitments(ch, friLayout, p.friRoots, p.friRemainder);
        if (!StarkChannel.powOk(ch, p.powNonce, p.params.grindingBits)) revert PowFailed();
        StarkChannel.absorbWord(ch, p.powNonce);
        s.positions = StarkChannel.drawQueries(ch, p.params.nQueries, s.ldeSize);
        _checkDeepStatements(s, p);
        s.fri = Fri.context(friLayout, p.friRoots, betas, p.friRemainder, s.ldeSize, COSET_SHIFT);
        _checkFriStatements(s, p);
        publicInputs = p.publicInputs;
    }

    /// @dev The proof fields the channel replay reads, from either format.
    struct Head {
        uint256[] publicInputs;
        uint256[] traceRoots;
        uint256 compositionRoot;
        uint256[] oodTrace;
        uint256[] oodComposition;
    }

    function _head(StarkProofReader.Proof memory p) private pure returns (Head memory) {
        return Head(p.publicInputs, p.traceRoots, p.compositionRoot, p.oodTrace, p.oodComposition);
    }

    function _compactHead(StarkProofReader.CompactProof memory p) private pure returns (Head memory) {
        return Head(p.publicInputs, p.traceRoots, p.compositionRoot, p.oodTrace, p.oodComposition);
    }

    /// @dev Each run of queries' DEEP values must be a registered DEEP statement of this proof's
    /// commitment (StarkStatements.deepCommitment).
    function _checkDeepStatements(State memory s, StarkProofReader.CompactProof memory p) private view {
        uint256[] memory widths = new uint256[](p.traceRoots.length);
        widths[0] = s.shape.mainWidth;
        if (widths.length == 2) widths[1] = s.shape.auxWidth;
        bytes32 commitment = keccak256(
            abi.encode(
                statements.DEEP_TAG(),
                p.traceLength,
                p.params.blowup,
                p.traceRoots,
                p.compositionRoot,
                widths,
                p.oodComposition.length,
                s.z,
                s.gamma,
                keccak256(_packMask(s.shape)),
                keccak256(abi.encodePacked(p.oodTrace, p.oodComposition))
            )
        );
        uint256 start = 0;
        for (uint256 k = 0; k < p.chunks.length; k++) {
            uint256 count = p.chunks[k];
            if (count == 0 || count > s.positions.length - start) revert WrongShape();
            uint256[] memory positions = new uint256[](count);
            uint256[] memory values = new uint256[](count);
            for (uint256 i = 0; i < count; i++) {
                positions[i] = s.positions[start + i];
                values[i] = p.deepValues[start + i];
            }
            if (!statements.isValid(keccak256(abi.encode(commitment, positions, values)))) {
                revert DeepStatementMissing(k);
            }
            start += count;
        }
        if (start != s.positions.length) revert WrongShape();
    }

    /// @dev FRI from each query's DEEP value through the layers' cosets to the remainder; each
    /// layer's cosets must be a registered Merkle statement under its root.
    function _checkFriStatements(State memory s, StarkProofReader.CompactProof memory p) private view {
        uint256 nQueries = s.positions.length;
        uint256 nLayers = p.friRoots.length;
        uint256[][] memory indices = new uint256[][](nLayers);
        bytes32[][] memory leaves = new bytes32[][](nLayers);
        for (uint256 i = 0; i < nLayers; i++) {
            indices[i] = new uint256[](nQueries);
            leaves[i] = new bytes32[](nQueries);
        }
        for (uint256 qi = 0; qi < nQueries; qi++) {
            uint256[] memory at = Fri.verifyQueryValues(s.fri, qi, s.positions[qi], p.deepValues[qi], p.friValues[qi]);
            for (uint256 i = 0; i < nLayers; i++) {
                indices[i][qi] = at[i];
                leaves[i][qi] = MerkleVerifier.hashRow(p.friValues[qi][i]);
            }
        }
        uint256 k = p.params.foldingFactor;
        for (uint256 i = 0; i < nLayers; i++) {
            uint256 depth = PrimeField.log2(s.fri.layout.layerSizes[i] / k);
            bytes32 fact = keccak256(abi.encode(statements.MERKLE_TAG(), bytes32(p.friRoots[i]), depth, indices[i], leaves[i]));
            if (!statements.isValid(fact)) revert FriStatementMissing(i);
        }
    }

    /// @dev The mask as statements.py pack_mask: (column, offset) as two 16-bit numbers each.
    function _packMask(AirShape memory shape) private pure returns (bytes memory out) {
        uint256 m = shape.maskColumns.length;
        out = new bytes(4 * m);
        for (uint256 i = 0; i < m; i++) {
            uint256 c = shape.maskColumns[i];
            uint256 o = shape.maskOffsets[i];
            if (c >> 16 != 0 || o >> 16 != 0) revert WrongShape();
            out[4 * i] = bytes1(uint8(c >> 8));
            out[4 * i + 1] = bytes1(uint8(c));
            out[4 * i + 2] = bytes1(uint8(o >> 8));
            out[4 * i + 3] = bytes1(uint8(o));
        }
    }

    function _checkParams(StarkProofReader.Params memory p) private view {
        bool ok = p.blowup.isPowerOfTwo() && p.blowup >= 2 && p.blowup <= 256 && p.nQueries >= 1
            && p.nQueries <= 256 && p.grindingBits <= 40
            && (p.foldingFactor == 2 || p.foldingFactor == 4 || p.foldingFactor == 8)
            && p.lastLayerDegreeBound.isPowerOfTwo() && p.lastLayerDegreeBound <= 1 << 16;
        if (!ok) revert BadParams();
        uint256 bits = p.nQueries * PrimeField.log2(p.blowup) + p.grindingBits;
        if (bits < minSecurityBits) revert SecurityTooLow(bits, minSecurityBits);
    }

    /// @dev protocol.py's air_problems.
    function _checkFit(State memory s) private pure {
        uint256 n = s.proof.traceLength;
        uint256 blowup = s.proof.params.blowup;
        s.logLdeSize = PrimeField.log2(n) + PrimeField.log2(blowup);
        if (s.logLdeSize > MAX_LOG_LDE_SIZE) revert AirDoesNotFit();
        s.ldeSize = n * blowup;
        if (s.shape.maxDegree > blowup || s.shape.nCompositionParts > blowup) revert AirDoesNotFit();
        if (s.proof.params.nQueries > s.ldeSize / 2) revert AirDoesNotFit();
    }

    function _checkShape(State memory s) private pure {
        StarkProofReader.Proof memory p = s.proof;
        uint256 nSegments = s.shape.auxWidth == 0 ? 1 : 2;
        if (
            p.traceRoots.length != nSegments || p.oodTrace.length != s.shape.maskColumns.length
                || p.oodComposition.length != s.shape.nCompositionParts || p.queries.length != p.params.nQueries
        ) revert WrongShape();
    }

    /// @dev Trace, interaction and composition commitments, z, and the out-of-domain check.
    function _replayUntilOod(State memory s, Head memory p) private view returns (StarkChannel.Channel memory ch) {
        ch = StarkChannel.init(_seedWords(s.proof.params, s.proof.traceLength, p.publicInputs));
        StarkChannel.absorbWord(ch, p.traceRoots[0]);
        uint256[] memory challenges = StarkChannel.drawFelts(ch, s.shape.nChallenges);
        if (s.shape.auxWidth != 0) StarkChannel.absorbWord(ch, p.traceRoots[1]);
        uint256 alpha = StarkChannel.drawFelt(ch);
        StarkChannel.absorbWord(ch, p.compositionRoot);
        uint256 z = StarkChannel.drawFelt(ch);
        s.z = z;
        uint256 n = s.proof.traceLength;
        if (z.pow(s.ldeSize) == COSET_SHIFT.pow(s.ldeSize) || z.pow(n) == 1) revert OodPointInDomain();
        StarkChannel.absorb(ch, _concat(p.oodTrace, p.oodComposition));

        uint256 expected = air.compositionAtOod(n, p.publicInputs, challenges, p.oodTrace, alpha, z);
        uint256 zn = z.pow(n);
        uint256 actual = 0;
        uint256 zni = 1;
        for (uint256 i = 0; i < p.oodComposition.length; i++) {
            actual = actual.add(p.oodComposition[i].mul(zni));
            zni = zni.mul(zn);
        }
        if (expected != actual) revert CompositionMismatch();
    }

    function _seedWords(StarkProofReader.Params memory params, uint256 traceLength, uint256[] memory publicInputs)
        private
        pure
        returns (uint256[] memory seed)
    {
        uint256 nPublic = publicInputs.length;
        seed = new uint256[](7 + nPublic);
        seed[0] = params.blowup;
        seed[1] = params.nQueries;
        seed[2] = params.grindingBits;
        seed[3] = params.foldingFactor;
        seed[4] = params.lastLayerDegreeBound;
        seed[5] = traceLength;
        seed[6] = nPublic;
        for (uint256 i = 0; i < nPublic; i++) {
            seed[7 + i] = publicInputs[i];
        }
    }

    function _concat(uint256[] memory a, uint256[] memory b) private pure returns (uint256[] memory out) {
        out = new uint256[](a.length + b.length);
        for (uint256 i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        for (uint256 i = 0; i < b.length; i++) {
            out[a.length + i] = b[i];
        }
    }

    function _checkQueries(State memory s) private view {
        _prepareMaskPoints(s);
        uint256 nMask = s.shape.maskColumns.length;
        uint256 nParts = s.shape.nCompositionParts;
        uint256[] memory deepCoeffs = new uint256[](nMask + nParts);
        uint256 acc = 1;
        for (uint256 i = 0; i < deepCoeffs.length; i++) {
            deepCoeffs[i] = acc;
            acc = acc.mul(s.gamma);
        }
        uint256 w = PrimeField.rootOfUnity(s.logLdeSize);
        for (uint256 qi = 0; qi < s.positions.length; qi++) {
            StarkProofReader.Query memory d = s.proof.queries[qi];
            uint256 q = s.positions[qi];
            _checkDecommitments(s, d, qi, q);
            uint256 deep = _deepValue(s, d, deepCoeffs, COSET_SHIFT.mul(w.pow(q)));
            Fri.verifyQuery(s.fri, qi, q, deep, d.friValues, d.friPaths);
        }
    }

    function _prepareMaskPoints(State memory s) private view {
        uint256[] memory offsets = s.shape.maskOffsets;
        uint256 nMask = offsets.length;
        s.maskPointIndex = new uint256[](nMask);
        uint256[] memory points = new uint256[](nMask);
        uint256 nDistinct = 0;
        uint256 g = PrimeField.rootOfUnity(PrimeField.log2(s.proof.traceLength));
        for (uint256 i = 0; i < nMask; i++) {
            if (i == 0 || offsets[i] != offsets[i - 1]) {
                points[nDistinct] = s.z.mul(g.pow(offsets[i]));
                nDistinct++;
            }
            s.maskPointIndex[i] = nDistinct - 1;
        }
        assembly ("memory-safe") {
            mstore(points, nDistinct)
        }
        s.offsetPoints = points;
    }

    function _checkDecommitments(State memory s, StarkProofReader.Query memory d, uint256 qi, uint256 q)
        private
        pure
    {
        uint256 nSegments = s.proof.traceRoots.length;
        if (d.traceRows.length != nSegments) revert WrongShape();
        for (uint256 seg = 0; seg < nSegments; seg++) {
            uint256 width = seg == 0 ? s.shape.mainWidth : s.shape.auxWidth;
            if (d.traceRows[seg].length != width) revert WrongShape();
            if (!MerkleVerifier.verifyRow(bytes32(s.proof.traceRoots[seg]), q, d.traceRows[seg], d.tracePaths[seg], s.logLdeSize)) {
                revert TracePathMismatch(qi, seg);
            }
        }
        if (d.compositionRow.length != s.shape.nCompositionParts) revert WrongShape();
        if (!MerkleVerifier.verifyRow(bytes32(s.proof.compositionRoot), q, d.compositionRow, d.compositionPath, s.logLdeSize)) {
            revert CompositionPathMismatch(qi);
        }
    }

    /// @dev The DEEP composition at x: sum_i c_i (T_i(x) - T_i(z g^o_i)) / (x - z g^o_i)
    /// + sum_j c_(m+j) (H_j(x) - H_j(z)) / (x - z), with one batched inversion.
    function _deepValue(State memory s, StarkProofReader.Query memory d, uint256[] memory coeffs, uint256 x)
        private
        view
        returns (uint256)
    {
        uint256 nPoints = s.offsetPoints.length;
        uint256[] memory dens = new uint256[](nPoints + 1);
        for (uint256 j = 0; j < nPoints; j++) {
            dens[j] = x.sub(s.offsetPoints[j]);
        }
        dens[nPoints] = x.sub(s.z);
        uint256[] memory invs = PrimeField.batchInverse(dens);
        uint256[] memory row = d.traceRows.length == 1 ? d.traceRows[0] : _concat(d.traceRows[0], d.traceRows[1]);
        return _traceTerms(s, row, coeffs, invs).add(_compositionTerms(s, d.compositionRow, coeffs, invs[nPoints]));
    }

    function _traceTerms(State memory s, uint256[] memory row, uint256[] memory coeffs, uint256[] memory invs)
        private
        pure
        returns (uint256 acc)
    {
        uint256 P = PrimeField.P;
        uint256[] memory ood = s.proof.oodTrace;
        uint256[] memory columns = s.shape.maskColumns;
        uint256[] memory pointIndex = s.maskPointIndex;
        for (uint256 i = 0; i < ood.length; i++) {
            uint256 diff = addmod(row[columns[i]], P - ood[i], P);
            acc = addmod(acc, mulmod(mulmod(coeffs[i], diff, P), invs[pointIndex[i]], P), P);
        }
    }

    function _compositionTerms(State memory s, uint256[] memory hRow, uint256[] memory coeffs, uint256 xMinusZInverse)
        private
        pure
        returns (uint256 acc)
    {
        uint256 P = PrimeField.P;
        uint256[] memory ood = s.proof.oodComposition;
        uint256 nMask = s.proof.oodTrace.length;
        for (uint256 j = 0; j < hRow.length; j++) {
            uint256 diff = addmod(hRow[j], P - ood[j], P);
            acc = addmod(acc, mulmod(coeffs[nMask + j], diff, P), P);
        }
        acc = mulmod(acc, xMinusZInverse, P);
    }
}
