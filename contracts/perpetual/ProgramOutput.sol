// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ForcedActionKeys} from "./ForcedActionKeys.sol";
import {StarkField} from "../crypto/StarkField.sol";

/// @notice Offsets of the sections of a Perpetual program output (docs/program-output.md).
/// parse() walks the output once, checks every count against the words that remain, and
/// requires the output to end exactly where its last section ends.
library ProgramOutput {
    uint256 internal constant SHARED_STATE_FIXED_SIZE = 8; // the field list of docs/program-output.md

    struct Layout {
        uint256 generalConfigHash;
        uint256 dataAvailabilityMode;
        uint256 assetConfigsOffset; // first word of the first (asset_id, config_hash) pair
        uint256 nAssetConfigs;
        uint256 previousStateOffset; // first word after the size
        uint256 previousStateSize;
        uint256 newStateOffset;
        uint256 newStateSize;
        uint256 minimumExpirationTimestamp;
        uint256 modificationsOffset; // first word of the first triple
        uint256 nModifications;
        uint256 forcedActionsOffset; // first word of the first action
        uint256 nForcedActions;
        uint256 conditionsOffset;
        uint256 nConditions;
    }

    /// Fields of one shared state that L1 reads.
    struct SharedState {
        uint256 positionsRoot;
        uint256 positionsHeight;
        uint256 ordersRoot;
        uint256 ordersHeight;
        uint256 systemTime;
    }

    error ProgramOutputTooShort(uint256 needed, uint256 length);
    error ProgramOutputTooLong(uint256 expected, uint256 length);
    error ProgramOutputWordOutOfField(uint256 index, uint256 word);
    error InvalidSharedStateSize(uint256 size);
    error InvalidForcedActionsSize(uint256 declared, uint256 parsed);

    /// A proven output is a list of field elements: a word >= P was not written by any program,
    /// whatever section it sits in (keys, roots, amounts, counts).
    function requireFieldElements(uint256[] calldata output) internal pure {
        uint256 prime = StarkField.PRIME;
        for (uint256 i = 0; i < output.length; i++) {
            uint256 word = output[i];
            if (word >= prime) revert ProgramOutputWordOutOfField(i, word);
        }
    }

    function parse(uint256[] calldata output, bool isRollup) internal pure returns (Layout memory l) {
        uint256 i = 0;
        l.generalConfigHash = _at(output, i++);
        l.dataAvailabilityMode = _at(output, i++);
        l.nAssetConfigs = _at(output, i);
        l.assetConfigsOffset = i + 1;
        i = _skipCounted(output, i, 2);
        (l.previousStateOffset, l.previousStateSize, i) = _sharedState(output, i);
        (l.newStateOffset, l.newStateSize, i) = _sharedState(output, i);
        l.minimumExpirationTimestamp = _at(output, i++);
        l.nModifications = _at(output, i);
        l.modificationsOffset = i + 1;
        i = _skipCounted(output, i, 3);
        (l.forcedActionsOffset, l.nForcedActions, i) = _forcedActions(output, i);
        l.nConditions = _at(output, i);
        l.conditionsOffset = i + 1;
        i = _skipCounted(output, i, 1);
        if (isRollup) i = _skipCounted(output, i, 1);
        if (i != output.length) revert ProgramOutputTooLong(i, output.length);
    }

    function readSharedState(uint256[] calldata output, uint256 offset, uint256 size)
        internal
        pure
        returns (SharedState memory s)
    {
        s.positionsRoot = output[offset];
        s.positionsHeight = output[offset + 1];
        s.ordersRoot = output[offset + 2];
        s.ordersHeight = output[offset + 3];
        s.systemTime = output[offset + size - 1];
    }

    /// keccak256 of words [offset, offset + size) of the output, packed as 32-byte words.
    function hashWords(uint256[] calldata output, uint256 offset, uint256 size) internal pure returns (uint256 h) {
        uint256[] calldata words = output[offset:offset + size];
        h = uint256(keccak256(abi.encodePacked(words)));
    }

    function _at(uint256[] calldata output, uint256 i) private pure returns (uint256) {
        if (i >= output.length) revert ProgramOutputTooShort(i + 1, output.length);
        return output[i];
    }

    /// A count at i followed by count·width words; returns the index after them.
    function _skipCounted(uint256[] calldata output, uint256 i, uint256 width) private pure returns (uint256) {
        uint256 count = _at(output, i);
        // Bounding the count by the length first keeps count·width from overflowing.
        if (count > output.length) revert ProgramOutputTooShort(count, output.length);
        uint256 end = i + 1 + count * width;
        if (end > output.length) revert ProgramOutputTooShort(end, output.length);
        return end;
    }

    function _sharedState(uint256[] calldata output, uint256 i)
        private
        pure
        returns (uint256 offset, uint256 size, uint256 next)
    {
        size = _at(output, i);
        offset = i + 1;
        next = _skipCounted(output, i, 1);
        if (size < SHARED_STATE_FIXED_SIZE) revert InvalidSharedStateSize(size);
        uint256 nFunding = output[offset + 4];
        if (nFunding > size) revert InvalidSharedStateSize(size);
        uint256 pricesAt = offset + 6 + 2 * nFunding;
        if (pricesAt >= next) revert InvalidSharedStateSize(size);
        uint256 nPrices = output[pricesAt];
        if (nPrices > size || size != SHARED_STATE_FIXED_SIZE + 2 * nFunding + 2 * nPrices) {
            revert InvalidSharedStateSize(size);
        }
    }

    function _forcedActions(uint256[] calldata output, uint256 i)
        private
        pure
        returns (uint256 offset, uint256 count, uint256 next)
    {
        uint256 declared = _at(output, i);
        next = _skipCounted(output, i, 1);
        if (declared == 0) revert InvalidForcedActionsSize(0, 1);
        count = output[i + 1];
        offset = i + 2;
        uint256 j = offset;
        for (uint256 n = 0; n < count; n++) {
            if (j >= next) revert InvalidForcedActionsSize(declared, j - i - 1);
            j += ForcedActionKeys.width(output[j]);
        }
        if (j != next) revert InvalidForcedActionsSize(declared, j - i - 1);
    }
}
