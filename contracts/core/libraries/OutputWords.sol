// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {StarkField} from "../../crypto/StarkField.sol";

/// @notice What every application checks of a batch program's output before parsing its own
/// layout (Perpetual: docs/program-output.md; Spot: docs/spot/program-output.md).
library OutputWords {
    error ProgramOutputWordOutOfField(uint256 index, uint256 word);

    /// A proven output is a list of field elements: a word >= P was not written by any program,
    /// whatever section it sits in (keys, roots, amounts, counts).
    function requireFieldElements(uint256[] calldata output) internal pure {
        uint256 prime = StarkField.PRIME;
        for (uint256 i = 0; i < output.length; i++) {
            uint256 word = output[i];
            if (word >= prime) revert ProgramOutputWordOutOfField(i, word);
        }
    }

    /// keccak256 of output[offset : offset + size], packed.
    function hashWords(uint256[] calldata output, uint256 offset, uint256 size) internal pure returns (uint256 h) {
        uint256[] calldata words = output[offset:offset + size];
        h = uint256(keccak256(abi.encodePacked(words)));
    }
}
