// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {PerpetualConstants as K} from "./PerpetualConstants.sol";
import {ForcedTrade} from "./PerpetualTypes.sol";

/// @notice The key of a forced request is keccak256 of the words a batch lists to serve it
/// (docs/program-output.md, forced actions): the action type, then its fields in order, 32-byte
/// words. The request side builds those words from its arguments, the serving side hashes them
/// from the program output, so the two meet only on exactly the requested action.
library ForcedActionKeys {
    /// [0, starkKey, positionId, quantizedAmount]
    function withdrawal(uint256 starkKey, uint256 positionId, uint256 quantizedAmount) internal pure returns (bytes32) {
        return keccak256(abi.encode(K.FORCED_WITHDRAWAL_TYPE, starkKey, positionId, quantizedAmount));
    }

    /// [1, keyA, keyB, positionA, positionB, syntheticAssetId, amountCollateral, amountSynthetic,
    /// aIsBuyingSynthetic (0 or 1), nonce]. The collateral asset id is not listed by the output:
    /// there is one collateral.
    function trade(ForcedTrade calldata t) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                K.FORCED_TRADE_TYPE, t.starkKeyA, t.starkKeyB, t.positionIdA, t.positionIdB, t.syntheticAssetId,
                t.amountCollateral, t.amountSynthetic, t.aIsBuyingSynthetic, t.nonce
            )
        );
    }

    /// The action's width in words, by its type (reverts on an unknown type).
    function width(uint256 actionType) internal pure returns (uint256) {
        if (actionType == K.FORCED_WITHDRAWAL_TYPE) return K.FORCED_WITHDRAWAL_WORDS;
        if (actionType == K.FORCED_TRADE_TYPE) return K.FORCED_TRADE_WORDS;
        revert UnknownForcedActionType(actionType);
    }

    /// The key of the action listed at output[at:at + width]; the caller checked the width fits.
    function ofListed(uint256[] calldata output, uint256 at, uint256 actionWidth) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(output[at:at + actionWidth]));
    }

    error UnknownForcedActionType(uint256 actionType);
}
