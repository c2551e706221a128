// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Withdrawals} from "./Withdrawals.sol";
import {PerpetualConstants as K} from "./PerpetualConstants.sol";
import {ForcedTrade} from "./PerpetualTypes.sol";

/// @notice Forced withdrawals and forced trades requested on L1 against censorship. A batch
/// serves a request by listing it; a request left unserved past FREEZE_GRACE_PERIOD (counted
/// from the request, or from the last unfreeze if later) lets anyone freeze the exchange.
///
/// Forced-trade signature (by the eth address of starkKeyB): EIP-712 over the domain
/// EIP712Domain(name "StarkPerpetual", version "1", chainId, verifyingContract = the exchange
/// (the proxy when behind one)) and the struct FORCED_TRADE_TYPE below; 65 bytes r ‖ s ‖ v,
/// low s only.
abstract contract ForcedActions is Withdrawals {
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant FORCED_TRADE_TYPEHASH = keccak256(
        "ForcedTrade(uint256 starkKeyA,uint256 starkKeyB,uint256 positionIdA,uint256 positionIdB,"
        "uint256 collateralAssetId,uint256 syntheticAssetId,uint256 amountCollateral,uint256 amountSynthetic,"
        "bool aIsBuyingSynthetic,uint256 nonce,uint256 submissionExpirationTime)"
    );
    uint256 internal constant SECP256K1_HALF_ORDER =
        0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    event LogForcedWithdrawalRequest(
        bytes32 indexed requestKey, uint256 starkKey, uint256 positionId, uint256 quantizedAmount
    );
    event LogForcedTradeRequest(bytes32 indexed requestKey, ForcedTrade trade);
    event LogForcedRequestServed(bytes32 indexed requestKey);

    error ForcedRequestAlreadyPending(bytes32 requestKey);
    error ForcedRequestNotFound(bytes32 requestKey);
    error TooManyForcedRequestsInBlock();
    error FreezeGracePeriodNotOver(uint256 freezableAt);
    error InvalidForcedTrade();
    error ForcedTradeSubmissionExpired(uint256 submissionExpirationTime);
    error InvalidSignature();

    function forcedRequestTime(bytes32 requestKey) external view returns (uint256) {
        return forcedRequests[requestKey];
    }

    function forcedWithdrawalKey(uint256 starkKey, uint256 positionId, uint256 quantizedAmount)
        public
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(K.FORCED_WITHDRAWAL_TYPE, starkKey, positionId, quantizedAmount));
    }

    /// The collateral asset id is not part of the key: the program output does not list it.
    function forcedTradeKey(ForcedTrade calldata t) public pure returns (bytes32) {
        return keccak256(
            abi.encode(
                K.FORCED_TRADE_TYPE, t.starkKeyA, t.starkKeyB, t.positionIdA, t.positionIdB, t.syntheticAssetId,
                t.amountCollateral, t.amountSynthetic, t.aIsBuyingSynthetic, t.nonce
            )
        );
    }

    function domainSeparator() public view returns (bytes32) {
        return keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("StarkPerpetual"), keccak256("1"), block.chainid, address(this))
        );
    }

    function forcedTradeDigest(ForcedTrade calldata t, uint256 submissionExpirationTime) public view returns (bytes32) {
        bytes32 structHash = keccak256(abi.encode(FORCED_TRADE_TYPEHASH, t, submissionExpirationTime));
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator(), structHash));
    }

    function forcedWithdrawalRequest(uint256 starkKey, uint256 positionId, uint256 quantizedAmount, bool premiumCost)
        external
        notFrozen
        onlyStarkKeyOwner(starkKey)
    {
        if (positionId >= K.POSITION_ID_UPPER_BOUND) revert PositionIdOutOfRange(positionId);
        if (quantizedAmount >= K.QUANTIZED_AMOUNT_UPPER_BOUND) revert InvalidQuantizedAmount(quantizedAmount);
        bytes32 key = forcedWithdrawalKey(starkKey, positionId, quantizedAmount);
        _recordRequest(key, premiumCost);
        emit LogForcedWithdrawalRequest(key, starkKey, positionId, quantizedAmount);
    }

    /// Sent by the owner of position A with the signature of the owner of position B.
    function forcedTradeRequest(
        ForcedTrade calldata trade,
        uint256 submissionExpirationTime,
        bytes calldata signature,
        bool premiumCost
    ) external notFrozen onlyStarkKeyOwner(trade.starkKeyA) {
        if (
            trade.starkKeyA == trade.starkKeyB || trade.positionIdA >= K.POSITION_ID_UPPER_BOUND
                || trade.positionIdB >= K.POSITION_ID_UPPER_BOUND || trade.positionIdA == trade.positionIdB
                || trade.amountCollateral >= K.QUANTIZED_AMOUNT_UPPER_BOUND
                || trade.amountSynthetic >= K.QUANTIZED_AMOUNT_UPPER_BOUND || trade.nonce >= K.NONCE_UPPER_BOUND
        ) revert InvalidForcedTrade();
        _requireCollateral(trade.collateralAssetId);
        if (block.timestamp > submissionExpirationTime) revert ForcedTradeSubmissionExpired(submissionExpirationTime);
        address signer = _recover(forcedTradeDigest(trade, submissionExpirationTime), signature);
        if (signer != getEthKey(trade.starkKeyB)) revert InvalidSignature();
        bytes32 key = forcedTradeKey(trade);
        _recordRequest(key, premiumCost);
        emit LogForcedTradeRequest(key, trade);
    }

    function freezeRequest(bytes32 requestKey) external {
        uint256 requestedAt = forcedRequests[requestKey];
        if (requestedAt == 0) revert ForcedRequestNotFound(requestKey);
        // After an unfreeze the operator gets a fresh grace period for requests made before it.
        uint256 graceStart = requestedAt > lastUnfreezeTime ? requestedAt : lastUnfreezeTime;
        uint256 freezableAt = graceStart + K.FREEZE_GRACE_PERIOD;
        if (block.timestamp <= freezableAt) revert FreezeGracePeriodNotOver(freezableAt);
        _freeze();
    }

    function _serveForcedRequest(bytes32 requestKey) internal {
        if (forcedRequests[requestKey] == 0) revert ForcedRequestNotFound(requestKey);
        forcedRequests[requestKey] = 0;
        emit LogForcedRequestServed(requestKey);
    }

    /// At most MAX_FORCED_REQUESTS_PER_BLOCK per block, so a flood cannot outgrow what a batch
    /// can serve; a premium request bypasses the cap by paying ~1M gas instead.
    function _recordRequest(bytes32 requestKey, bool premiumCost) private {
        if (forcedRequests[requestKey] != 0) revert ForcedRequestAlreadyPending(requestKey);
        if (premiumCost) {
            // Memory expansion: the gas is paid in one instruction, not a loop of many.
            uint256 lastWordOffset = (K.PREMIUM_MEMORY_WORDS - 1) * 32;
            assembly {
                mstore(lastWordOffset, 0)
            }
        } else {
            uint256 inBlock = forcedRequestsInBlock[block.number];
            if (inBlock >= K.MAX_FORCED_REQUESTS_PER_BLOCK) revert TooManyForcedRequestsInBlock();
            forcedRequestsInBlock[block.number] = inBlock + 1;
        }
        forcedRequests[requestKey] = block.timestamp;
    }

    function _recover(bytes32 digest, bytes calldata signature) private pure returns (address signer) {
        if (signature.length != 65) revert InvalidSignature();
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (uint256(s) > SECP256K1_HALF_ORDER || (v != 27 && v != 28)) revert InvalidSignature();
        signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert InvalidSignature();
    }
}
