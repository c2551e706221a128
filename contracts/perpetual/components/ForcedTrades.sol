// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {InvalidQuantizedAmount, VaultIdOutOfRange} from "../../core/Errors.sol";
import {MainConstants} from "../../core/MainConstants.sol";
import {MForcedRequests} from "../../core/interfaces/MForcedRequests.sol";
import {MFreezable} from "../../core/interfaces/MFreezable.sol";
import {MKeyGetters} from "../../core/interfaces/MKeyGetters.sol";
import {ForcedActionKeys} from "../ForcedActionKeys.sol";
import {PerpetualConstants as K} from "../PerpetualConstants.sol";
import {PerpetualStorage} from "../PerpetualStorage.sol";
import {ForcedTrade} from "../PerpetualTypes.sol";

/// @notice A forced trade between two positions, requested on L1 by the owner of position A with
/// the signature of the owner of position B. A batch must list it (valid or not) within the
/// freeze grace period, so every field must be one a batch can list, or a user could freeze the
/// exchange at will: distinct registered keys (so on the curve), distinct position ids below
/// 2^64, the collateral, a synthetic asset of the current configuration (so not the collateral
/// and a field element), amounts below 2^64, a nonce below 2^32. B signed one trade: once
/// served, the same trade is never accepted again (StarkEx's FORCED_TRADE_REPLAYED).
///
/// Signature (by the eth address of starkKeyB): EIP-712 over the domain EIP712Domain(name
/// "StarkPerpetual", version "1", chainId, verifyingContract = the exchange's proxy) and the
/// struct FORCED_TRADE_TYPEHASH below; 65 bytes r ‖ s ‖ v, low s only.
abstract contract ForcedTrades is PerpetualStorage, MFreezable, MKeyGetters, MForcedRequests {
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant FORCED_TRADE_TYPEHASH = keccak256(
        "ForcedTrade(uint256 starkKeyA,uint256 starkKeyB,uint256 positionIdA,uint256 positionIdB,"
        "uint256 collateralAssetId,uint256 syntheticAssetId,uint256 amountCollateral,uint256 amountSynthetic,"
        "bool aIsBuyingSynthetic,uint256 nonce,uint256 submissionExpirationTime)"
    );
    uint256 internal constant SECP256K1_HALF_ORDER =
        0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    event LogForcedTradeRequest(bytes32 indexed requestKey, ForcedTrade trade);

    error ForcedTradeSameParty(uint256 starkKey);
    error ForcedTradeSamePosition(uint256 positionId);
    error NotCollateralAsset(uint256 assetId);
    error UnknownSyntheticAsset(uint256 assetId);
    error NonceOutOfRange(uint256 nonce);
    error ForcedTradeSubmissionExpired(uint256 submissionExpirationTime);
    error InvalidSignature();

    /// The collateral asset id is not part of the key: the program output does not list it.
    function forcedTradeKey(ForcedTrade calldata t) external pure returns (bytes32) {
        return ForcedActionKeys.trade(t);
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

    function forcedTradeRequest(
        ForcedTrade calldata trade,
        uint256 submissionExpirationTime,
        bytes calldata signature,
        bool premiumCost
    ) external notFrozen onlyStarkKeyOwner(trade.starkKeyA) {
        _requireServable(trade);
        if (block.timestamp > submissionExpirationTime) revert ForcedTradeSubmissionExpired(submissionExpirationTime);
        address signer = _recover(forcedTradeDigest(trade, submissionExpirationTime), signature);
        if (signer != _ethKeyOf(trade.starkKeyB)) revert InvalidSignature();
        bytes32 key = ForcedActionKeys.trade(trade);
        _recordForcedRequest(key, premiumCost);
        emit LogForcedTradeRequest(key, trade);
    }

    /// Every field is one a batch can list. The keys: A is its sender's (onlyStarkKeyOwner), B
    /// its signer's (checked after), so both are registered, which checked them on the curve.
    function _requireServable(ForcedTrade calldata t) private view {
        if (t.starkKeyA == t.starkKeyB) revert ForcedTradeSameParty(t.starkKeyA);
        if (t.positionIdA >= MainConstants.VAULT_ID_UPPER_BOUND) revert VaultIdOutOfRange(t.positionIdA);
        if (t.positionIdB >= MainConstants.VAULT_ID_UPPER_BOUND) revert VaultIdOutOfRange(t.positionIdB);
        if (t.positionIdA == t.positionIdB) revert ForcedTradeSamePosition(t.positionIdA);
        if (t.collateralAssetId != systemAssetType || t.collateralAssetId == 0) {
            revert NotCollateralAsset(t.collateralAssetId);
        }
        // The configuration lists only field elements other than the collateral.
        if (syntheticAssetConfigHash[t.syntheticAssetId] == 0) revert UnknownSyntheticAsset(t.syntheticAssetId);
        if (t.amountCollateral >= MainConstants.QUANTIZED_AMOUNT_UPPER_BOUND) {
            revert InvalidQuantizedAmount(t.amountCollateral);
        }
        if (t.amountSynthetic >= MainConstants.QUANTIZED_AMOUNT_UPPER_BOUND) {
            revert InvalidQuantizedAmount(t.amountSynthetic);
        }
        if (t.nonce >= K.NONCE_UPPER_BOUND) revert NonceOutOfRange(t.nonce);
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
