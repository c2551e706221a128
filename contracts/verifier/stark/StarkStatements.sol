// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {PrimeField} from "./PrimeField.sol";
import {MerkleVerifier} from "./MerkleVerifier.sol";

/// @notice The statements a large proof's verification is split into (offchain/prover/statements.py),
/// each checked in a transaction of its own before the main verification, which then only checks
/// that their facts are registered (StarkVerifier.verifyWithStatements), as StarkWare's Merkle and
/// FRI statement contracts:
/// - registerDeep: for a run of queries, the trace and composition rows with their Merkle paths;
///   checks the paths and computes DEEP(x_q) for each query; registers
///   keccak256(abi.encode(commitment, positions, values)).
/// - registerMerkle: rows of one Merkle tree at indices, with paths (the FRI layers' cosets);
///   registers keccak256(abi.encode(MERKLE_TAG, root, depth, indices, leaf hashes)).
/// Anyone may register a statement: a fact is only ever true. Every row word must be a field element
/// (below P), as the proof reader of both verifiers requires of every value in a whole proof: a
/// leaf committed with v + P is not a leaf of v, so a proof that commits one is refused on every path.
contract StarkStatements {
    using PrimeField for uint256;

    bytes32 public constant DEEP_TAG = keccak256("stark.deep-statement.v1");
    bytes32 public constant MERKLE_TAG = keccak256("stark.merkle-statement.v1");
    uint256 internal constant COSET_SHIFT = 3;
    uint256 internal constant MAX_LOG_LDE_SIZE = 32;

    mapping(bytes32 => bool) private facts;

    event StatementRegistered(bytes32 indexed fact);

    error BadDeepInput();
    error DeepPathMismatch(uint256 query, uint256 segment);
    error BadMerkleInput();
    error MerklePathMismatch(uint256 row);
    /// @dev Word `index` of row `row` (a DEEP statement's query: its trace row, then its
    /// composition row) is not a field element.
    error NonCanonicalValue(uint256 row, uint256 index);

    /// @dev What every DEEP value of a proof depends on besides its query's rows; the mask is
    /// (column, offset) as two 16-bit numbers each; points and pointOf are the distinct
    /// offsets and each mask entry's index among them (checked here, not trusted).
    struct DeepCommitment {
        uint256 traceLength;
        uint256 blowup;
        bytes32[] traceRoots;
        bytes32 compositionRoot;
        uint256[] widths;
        uint256 z;
        uint256 gamma;
        bytes mask;
        uint256[] oodTrace;
        uint256[] oodComposition;
    }

    /// @dev One query: its position, the segments' rows concatenated, the composition row, and
    /// each segment's Merkle path then the composition's.
    struct DeepQuery {
        uint256 position;
        uint256[] row;
        uint256[] compositionRow;
        uint256[] path;
    }

    function isValid(bytes32 fact) external view returns (bool) {
        return facts[fact];
    }

    /// @notice keccak256 of everything the DEEP values of a proof depend on (the commitment of
    /// statements.py `deep_commitment`).
    function deepCommitment(DeepCommitment calldata c) public pure returns (bytes32) {
        return keccak256(
            abi.encode(
                DEEP_TAG,
                c.traceLength,
                c.blowup,
                c.traceRoots,
                c.compositionRoot,
                c.widths,
                c.oodComposition.length,
                c.z,
                c.gamma,
                keccak256(c.mask),
                keccak256(abi.encodePacked(c.oodTrace, c.oodComposition))
            )
        );
    }

    /// @notice Checks the queries' rows against the commitment's roots and registers their DEEP
    /// values at their positions.
    function registerDeep(DeepCommitment calldata c, DeepQuery[] calldata queries) external returns (bytes32 fact) {
        uint256 logN = PrimeField.log2(c.traceLength);
        uint256 logLde = logN + PrimeField.log2(c.blowup);
        uint256 nMask = c.mask.length / 4;
        if (
            !c.traceLength.isPowerOfTwo() || !c.blowup.isPowerOfTwo() || logLde > MAX_LOG_LDE_SIZE
                || c.widths.length != c.traceRoots.length || c.mask.length % 4 != 0 || c.oodTrace.length != nMask
        ) revert BadDeepInput();
        Deep memory d = _prepare(c, logN, logLde);
        uint256[] memory positions = new uint256[](queries.length);
        uint256[] memory values = new uint256[](queries.length);
        for (uint256 qi = 0; qi < queries.length; qi++) {
            _checkRows(c, d, qi, queries[qi]);
            positions[qi] = queries[qi].position;
            values[qi] = _deepValue(c, d, queries[qi]);
        }
        fact = keccak256(abi.encode(deepCommitment(c), positions, values));
        facts[fact] = true;
        emit StatementRegistered(fact);
    }

    /// @notice Checks rows[i] is leaf indices[i] of the tree of `depth` levels under `root`, and
    /// registers the statement.
    function registerMerkle(
        bytes32 root,
        uint256 depth,
        uint256[] calldata indices,
        uint256[][] calldata rows,
        uint256[][] calldata paths
    ) external returns (bytes32 fact) {
        if (rows.length != indices.length || paths.length != indices.length || depth > MAX_LOG_LDE_SIZE) {
            revert BadMerkleInput();
        }
        bytes32[] memory leaves = new bytes32[](indices.length);
        for (uint256 i = 0; i < indices.length; i++) {
            _requireCanonical(rows[i], i, 0);
            uint256[] memory row = rows[i];
            leaves[i] = MerkleVerifier.hashRow(row);
            if (!MerkleVerifier.verifyRow(root, indices[i], row, paths[i], depth)) revert MerklePathMismatch(i);
        }
        fact = keccak256(abi.encode(MERKLE_TAG, root, depth, indices, leaves));
        facts[fact] = true;
        emit StatementRegistered(fact);
    }

    /// @dev Per transaction: the mask's distinct points z·g^o and each entry's point, the DEEP
    /// coefficients gamma^i.
    struct Deep {
        uint256 logLde;
        uint256 w;
        uint256[] points;
        uint256[] pointOf;
        uint256[] columns;
        uint256[] coeffs;
    }

    function _prepare(DeepCommitment calldata c, uint256 logN, uint256 logLde) private view returns (Deep memory d) {
        d.logLde = logLde;
        d.w = PrimeField.rootOfUnity(logLde);
        uint256[] memory offsets = _readMask(c, d);
        uint256 g = PrimeField.rootOfUnity(logN);
        d.points = new uint256[](offsets.length);
        for (uint256 k = 0; k < offsets.length; k++) {
            d.points[k] = c.z.mul(g.pow(offsets[k]));
        }
        d.coeffs = new uint256[](d.columns.length + c.oodComposition.length);
        uint256 acc = 1;
        for (uint256 i = 0; i < d.coeffs.length; i++) {
            d.coeffs[i] = acc;
            acc = acc.mul(c.gamma);
        }
    }

    /// @dev Each mask entry's column and point (the index of its offset among the distinct ones,
    /// found through an open-addressing table: slot = offset + 1, 0 when empty); returns the
    /// distinct offsets. In assembly: the loop runs once per mask entry (hundreds).
    function _readMask(DeepCommitment calldata c, Deep memory d) private pure returns (uint256[] memory offsets) {
        uint256 nMask = c.mask.length / 4;
        d.columns = new uint256[](nMask);
        d.pointOf = new uint256[](nMask);
        offsets = new uint256[](nMask);
        uint256 total = 0;
        for (uint256 s = 0; s < c.widths.length; s++) total += c.widths[s];
        if (!_scanMask(c.mask, total, d.columns, d.pointOf, offsets)) revert BadDeepInput();
    }

    function _scanMask(
        bytes calldata mask,
        uint256 total,
        uint256[] memory columns,
        uint256[] memory pointOf,
        uint256[] memory offsets
    ) private pure returns (bool ok) {
        uint256 slots = 1;
        while (slots < 2 * columns.length) slots <<= 1;
        uint256[] memory table = new uint256[](2 * slots); // (offset + 1, distinct index) per slot
        ok = true;
        assembly ("memory-safe") {
            let nDistinct := 0
            let m := sub(slots, 1)
            for { let i := 0 } lt(i, mload(columns)) { i := add(i, 1) } {
                let entry := shr(224, calldataload(add(mask.offset, shl(2, i))))
                let offset := and(entry, 0xffff)
                if iszero(lt(shr(16, entry), total)) { ok := 0 }
                mstore(add(columns, shl(5, add(i, 1))), shr(16, entry))
                let h := and(mul(offset, 0x9E3779B1), m)
                // Slot h: the table's words 2h and 2h + 1.
                for {} 1 {} {
                    let v := mload(add(add(table, 0x20), shl(6, h)))
                    if or(iszero(v), eq(v, add(offset, 1))) { break }
                    h := and(add(h, 1), m)
                }
                let slot := add(add(table, 0x20), shl(6, h))
                if iszero(mload(slot)) {
                    mstore(slot, add(offset, 1))
                    mstore(add(slot, 0x20), nDistinct)
                    mstore(add(offsets, shl(5, add(nDistinct, 1))), offset)
                    nDistinct := add(nDistinct, 1)
                }
                mstore(add(pointOf, shl(5, add(i, 1))), mload(add(slot, 0x20)))
            }
            mstore(offsets, nDistinct)
        }
    }

    function _checkRows(DeepCommitment calldata c, Deep memory d, uint256 qi, DeepQuery calldata query) private pure {
        uint256 depth = d.logLde;
        uint256 nSegments = c.traceRoots.length;
        uint256 q = query.position;
        if (q >> depth != 0 || query.path.length != (nSegments + 1) * depth
                || query.compositionRow.length != c.oodComposition.length) revert BadDeepInput();
        _requireCanonical(query.row, qi, 0);
        _requireCanonical(query.compositionRow, qi, query.row.length);
        uint256 at = 0;
        for (uint256 s = 0; s < nSegments; s++) {
            uint256 width = c.widths[s];
            if (query.row.length < at + width) revert BadDeepInput();
            uint256[] memory segmentRow = query.row[at:at + width];
            uint256[] memory path = query.path[s * depth:(s + 1) * depth];
            if (!MerkleVerifier.verifyRow(c.traceRoots[s], q, segmentRow, path, depth)) revert DeepPathMismatch(qi, s);
            at += width;
        }
        if (query.row.length != at) revert BadDeepInput();
        uint256[] memory compositionPath = query.path[nSegments * depth:];
        if (!MerkleVerifier.verifyRow(c.compositionRoot, q, query.compositionRow, compositionPath, depth)) {
            revert DeepPathMismatch(qi, nSegments);
        }
    }

    /// @dev Reverts NonCanonicalValue(row, first + i) at the first word i of `values` that is
    /// not a field element (>= P). In assembly: a DEEP statement has thousands of row words.
    function _requireCanonical(uint256[] calldata values, uint256 row, uint256 first) private pure {
        uint256 p = PrimeField.P;
        uint256 i;
        assembly ("memory-safe") {
            for {} lt(i, values.length) { i := add(i, 1) } {
                if iszero(lt(calldataload(add(values.offset, shl(5, i))), p)) { break }
            }
        }
        if (i != values.length) revert NonCanonicalValue(row, first + i);
    }

    /// @dev The DEEP composition at x = 3·w^q: sum_i c_i (T_i(x) - ood_i) / (x - z g^o_i)
    /// + sum_j c_(m+j) (H_j(x) - H_j(z)) / (x - z), with one batched inversion.
    function _deepValue(DeepCommitment calldata c, Deep memory d, DeepQuery calldata query)
        private
        view
        returns (uint256)
    {
        uint256[] memory invs = _inverses(c.z, d, query.position);
        uint256 h = _compositionTerms(c.oodComposition, d, query.compositionRow).mul(invs[d.points.length]);
        uint256[] calldata ood = c.oodTrace;
        uint256[] calldata row = query.row;
        uint256 oodAt;
        uint256 rowAt;
        assembly {
            oodAt := ood.offset
            rowAt := row.offset
        }
        return _traceTerms(oodAt, rowAt, d, invs).add(h);
    }

    /// @dev 1/(x - point) for each distinct mask point, then 1/(x - z), at x = 3·w^q.
    function _inverses(uint256 z, Deep memory d, uint256 q) private view returns (uint256[] memory) {
        uint256 x = COSET_SHIFT.mul(d.w.pow(q));
        uint256 nPoints = d.points.length;
        uint256[] memory dens = new uint256[](nPoints + 1);
        for (uint256 k = 0; k < nPoints; k++) {
            dens[k] = x.sub(d.points[k]);
        }
        dens[nPoints] = x.sub(z);
        return PrimeField.batchInverse(dens);
    }

    /// @dev sum_i coeffs_i (row[column_i] - ood_i) / (x - point_i), in assembly (hundreds of terms
    /// per query); `ood` and `row` are calldata offsets. Every index is in range: the columns are
    /// below the row's width (_scanMask, _checkRows), ood has one value per entry (registerDeep),
    /// pointOf indexes the points.
    function _traceTerms(uint256 ood, uint256 row, Deep memory d, uint256[] memory invs)
        private
        pure
        returns (uint256 acc)
    {
        uint256[] memory coeffs = d.coeffs;
        uint256[] memory columns = d.columns;
        uint256[] memory pointOf = d.pointOf;
        assembly ("memory-safe") {
            let p := 0x800000000000011000000000000000000000000000000000000000000000001
            for { let i := 0 } lt(i, mload(columns)) { i := add(i, 1) } {
                let o := shl(5, add(i, 1))
                let diff := addmod(
                    calldataload(add(row, shl(5, mload(add(columns, o))))), sub(p, calldataload(add(ood, shl(5, i)))), p
                )
                acc := addmod(
                    acc,
                    mulmod(mulmod(mload(add(coeffs, o)), diff, p), mload(add(invs, shl(5, add(mload(add(pointOf, o)), 1)))), p),
                    p
                )
            }
        }
    }

    function _compositionTerms(uint256[] calldata ood, Deep memory d, uint256[] calldata compositionRow)
        private
        pure
        returns (uint256 h)
    {
        uint256 P = PrimeField.P;
        uint256 nMask = d.columns.length;
        for (uint256 j = 0; j < compositionRow.length; j++) {
            uint256 diff = addmod(compositionRow[j], P - ood[j], P);
            h = addmod(h, mulmod(d.coeffs[nMask + j], diff, P), P);
        }
    }
}
