// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {PrimeField} from "./PrimeField.sol";

/// @notice Parses the proof bytes of offchain/prover/proof.py from calldata, with the same checks
/// as its reader: 32-byte words, array lengths within the proof, canonical field elements,
/// small integers in range, no trailing bytes.
library StarkProofReader {
    struct Params {
        uint256 blowup;
        uint256 nQueries;
        uint256 grindingBits;
        uint256 foldingFactor;
        uint256 lastLayerDegreeBound;
    }

    struct Query {
        uint256[][] traceRows;
        uint256[][] tracePaths;
        uint256[] compositionRow;
        uint256[] compositionPath;
        uint256[][] friValues;
        uint256[][] friPaths;
    }

    struct Proof {
        Params params;
        uint256 traceLength;
        uint256[] publicInputs;
        uint256[] traceRoots;
        uint256 compositionRoot;
        uint256[] oodTrace;
        uint256[] oodComposition;
        uint256[] friRoots;
        uint256[] friRemainder;
        uint256 powNonce;
        Query[] queries;
    }

    /// @notice The main verification's proof when the queries were checked by statements
    /// (offchain/prover/statements.py compact_proof): no rows, no paths.
    struct CompactProof {
        Params params;
        uint256 traceLength;
        uint256[] publicInputs;
        uint256[] traceRoots;
        uint256 compositionRoot;
        uint256[] oodTrace;
        uint256[] oodComposition;
        uint256[] friRoots;
        uint256[] friRemainder;
        uint256 powNonce;
        uint256[] chunks; // queries per DEEP statement, in query order
        uint256[] deepValues; // per query
        uint256[][][] friValues; // per query, per FRI layer: the coset's values
    }

    error MalformedProof(uint256 wordIndex);

    function readCompact(bytes calldata data) internal pure returns (CompactProof memory p) {
        if (data.length % 32 != 0) revert MalformedProof(0);
        Cursor memory c = Cursor(0, data.length / 32);
        p.params = params(data, c);
        p.traceLength = small(data, c, 1 << 64);
        p.publicInputs = felts(data, c);
        p.traceRoots = words(data, c);
        p.compositionRoot = word(data, c);
        p.oodTrace = felts(data, c);
        p.oodComposition = felts(data, c);
        p.friRoots = words(data, c);
        p.friRemainder = felts(data, c);
        p.powNonce = small(data, c, 1 << 64);
        p.chunks = words(data, c);
        p.deepValues = felts(data, c);
        uint256 nQueries = p.deepValues.length;
        uint256 nLayers = p.friRoots.length;
        p.friValues = new uint256[][][](nQueries);
        for (uint256 q = 0; q < nQueries; q++) {
            p.friValues[q] = new uint256[][](nLayers);
            for (uint256 i = 0; i < nLayers; i++) {
                p.friValues[q][i] = felts(data, c);
            }
        }
        if (c.pos != c.nWords) revert MalformedProof(c.pos);
    }

    /// @dev The five parameter words, each below 2^32 (the same header in both encodings).
    function params(bytes calldata data, Cursor memory c) private pure returns (Params memory) {
        return Params(
            small(data, c, 1 << 32),
            small(data, c, 1 << 32),
            small(data, c, 1 << 32),
            small(data, c, 1 << 32),
            small(data, c, 1 << 32)
        );
    }

    /// @dev Position in words; nWords the total.
    struct Cursor {
        uint256 pos;
        uint256 nWords;
    }

    function read(bytes calldata data) internal pure returns (Proof memory p) {
        if (data.length % 32 != 0) revert MalformedProof(0);
        Cursor memory c = Cursor(0, data.length / 32);
        p.params = params(data, c);
        p.traceLength = small(data, c, 1 << 64);
        p.publicInputs = felts(data, c);
        p.traceRoots = words(data, c);
        p.compositionRoot = word(data, c);
        p.oodTrace = felts(data, c);
        p.oodComposition = felts(data, c);
        p.friRoots = words(data, c);
        p.friRemainder = felts(data, c);
        p.powNonce = small(data, c, 1 << 64);
        uint256 nQueries = length(data, c);
        p.queries = new Query[](nQueries);
        for (uint256 q = 0; q < nQueries; q++) {
            p.queries[q] = query(data, c, p.traceRoots.length, p.friRoots.length);
        }
        if (c.pos != c.nWords) revert MalformedProof(c.pos);
    }

    function query(bytes calldata data, Cursor memory c, uint256 nSegments, uint256 nLayers)
        private
        pure
        returns (Query memory d)
    {
        d.traceRows = new uint256[][](nSegments);
        d.tracePaths = new uint256[][](nSegments);
        for (uint256 s = 0; s < nSegments; s++) {
            d.traceRows[s] = felts(data, c);
            d.tracePaths[s] = words(data, c);
        }
        d.compositionRow = felts(data, c);
        d.compositionPath = words(data, c);
        d.friValues = new uint256[][](nLayers);
        d.friPaths = new uint256[][](nLayers);
        for (uint256 i = 0; i < nLayers; i++) {
            d.friValues[i] = felts(data, c);
            d.friPaths[i] = words(data, c);
        }
    }

    function word(bytes calldata data, Cursor memory c) private pure returns (uint256 w) {
        if (c.pos >= c.nWords) revert MalformedProof(c.pos);
        uint256 offset = c.pos * 32;
        assembly {
            w := calldataload(add(data.offset, offset))
        }
        c.pos += 1;
    }

    function small(bytes calldata data, Cursor memory c, uint256 bound) private pure returns (uint256 w) {
        w = word(data, c);
        if (w >= bound) revert MalformedProof(c.pos - 1);
    }

    function length(bytes calldata data, Cursor memory c) private pure returns (uint256 n) {
        n = word(data, c);
        if (n > c.nWords - c.pos) revert MalformedProof(c.pos - 1);
    }

    function words(bytes calldata data, Cursor memory c) private pure returns (uint256[] memory out) {
        uint256 n = length(data, c);
        out = new uint256[](n);
        uint256 offset = c.pos * 32;
        assembly {
            calldatacopy(add(out, 0x20), add(data.offset, offset), mul(n, 0x20))
        }
        c.pos += n;
    }

    function felts(bytes calldata data, Cursor memory c) private pure returns (uint256[] memory out) {
        uint256 start = c.pos;
        out = words(data, c);
        for (uint256 i = 0; i < out.length; i++) {
            if (out[i] >= PrimeField.P) revert MalformedProof(start + i);
        }
    }
}
