// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {PrimeField} from "./PrimeField.sol";

/// @notice The keccak256 Fiat-Shamir channel of offchain/prover/channel.py, word for word.
/// The channel lives in memory, so library calls mutate the caller's copy.
library StarkChannel {
    struct Channel {
        bytes32 state;
        uint256 counter;
    }

    function init(uint256[] memory seedWords) internal pure returns (Channel memory ch) {
        ch.state = keccak256(abi.encodePacked(seedWords));
    }

    function absorb(Channel memory ch, uint256[] memory words) internal pure {
        ch.state = keccak256(abi.encodePacked(ch.state, words));
        ch.counter = 0;
    }

    function absorbWord(Channel memory ch, uint256 word) internal pure {
        ch.state = keccak256(abi.encodePacked(ch.state, word));
        ch.counter = 0;
    }

    function drawWord(Channel memory ch) internal pure returns (uint256 out) {
        out = uint256(keccak256(abi.encodePacked(ch.state, ch.counter)));
        ch.counter += 1;
    }

    function drawFelt(Channel memory ch) internal pure returns (uint256) {
        return drawWord(ch) % PrimeField.P;
    }

    function drawFelts(Channel memory ch, uint256 count) internal pure returns (uint256[] memory out) {
        out = new uint256[](count);
        for (uint256 i = 0; i < count; i++) {
            out[i] = drawFelt(ch);
        }
    }

    /// @notice `count` distinct positions in [0, domainSize) in draw order; domainSize is a power
    /// of two and count <= domainSize / 2 (the caller checks), so the loop ends quickly.
    function drawQueries(Channel memory ch, uint256 count, uint256 domainSize)
        internal
        pure
        returns (uint256[] memory out)
    {
        out = new uint256[](count);
        uint256 found = 0;
        while (found < count) {
            uint256 q = drawWord(ch) & (domainSize - 1);
            bool seen = false;
            for (uint256 i = 0; i < found; i++) {
                if (out[i] == q) {
                    seen = true;
                    break;
                }
            }
            if (!seen) {
                out[found] = q;
                found++;
            }
        }
    }

    /// @notice keccak256(state || nonce as 8 big-endian bytes) has `bits` leading zero bits.
    function powOk(Channel memory ch, uint256 nonce, uint256 bits) internal pure returns (bool) {
        if (bits == 0) return true;
        uint256 digest = uint256(keccak256(abi.encodePacked(ch.state, uint64(nonce))));
        return digest >> (256 - bits) == 0;
    }
}
