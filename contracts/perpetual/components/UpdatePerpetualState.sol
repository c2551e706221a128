// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainConstants} from "../../core/MainConstants.sol";
import {MDeposits} from "../../core/interfaces/MDeposits.sol";
import {MForcedRequests} from "../../core/interfaces/MForcedRequests.sol";
import {MFreezable} from "../../core/interfaces/MFreezable.sol";
import {MOperator} from "../../core/interfaces/MOperator.sol";
import {MWithdrawals} from "../../core/interfaces/MWithdrawals.sol";
import {IFactRegistry} from "../../interfaces/IFactRegistry.sol";
import {ForcedActionKeys} from "../ForcedActionKeys.sol";
import {PerpetualConstants as K} from "../PerpetualConstants.sol";
import {PerpetualStorage} from "../PerpetualStorage.sol";
import {ProgramOutput} from "../ProgramOutput.sol";

/// @notice Accepts a batch: checks its program output against the stored state and
/// configuration, checks the proof facts, then applies its modifications and forced actions.
/// What L1 can check it checks rather than trusting the proof system to have refused it: every
/// word a field element, the configuration and asset-config section the configured ones, tree
/// heights unchanged, the earliest expiration a future hour below 2^32, position ids below 2^64.
/// Every loop runs over a list of the output or application data, and each iteration does
/// constant work, so gas grows linearly with the batch.
abstract contract UpdatePerpetualState is
    PerpetualStorage,
    MOperator,
    MFreezable,
    MDeposits,
    MWithdrawals,
    MForcedRequests
{
    event LogStateUpdate(uint256 sequenceNumber, uint256 batchId, uint256 sharedStateHash, uint256 positionsRoot);

    error GeneralConfigHashMismatch(uint256 inOutput, uint256 configured);
    error DataAvailabilityModeMismatch(uint256 inOutput, uint256 configured);
    error SharedStateMismatch(uint256 inOutput, uint256 stored);
    error SystemTimeOutOfRange(uint256 systemTime);
    error ExpirationTimestampInPast(uint256 minimumExpirationHours);
    error ExpirationTimestampOutOfRange(uint256 minimumExpirationHours);
    error AssetConfigsMismatch(bytes32 inOutput, bytes32 configured);
    error TreeHeightChanged(uint256 previousHeight, uint256 newHeight);
    error BatchIdMismatch(uint256 previousBatchId, uint256 lastBatchId);
    error InvalidApplicationData(uint256 length);
    error FactNotValid(address registry, bytes32 fact);
    error AvailabilityFactNotValid(address registry, bytes32 fact);
    error ConditionMismatch(uint256 index);
    error ConditionNotMet(address registry, bytes32 fact);
    error InvalidModification(uint256 index);

    function sharedStateHash() external view returns (uint256) {
        return sharedStateHashValue;
    }

    function positionsRoot() external view returns (uint256) {
        return positionTreeRoot;
    }

    function positionsHeight() external view returns (uint256) {
        return positionTreeHeight;
    }

    function sequenceNumber() external view returns (uint256) {
        return batchSequenceNumber;
    }

    function lastBatchId() external view returns (uint256) {
        return lastAcceptedBatchId;
    }

    function updateState(uint256[] calldata programOutput, uint256[] calldata applicationData)
        external
        onlyOperator
        notFrozen
    {
        uint256 mode = availabilityMode;
        // The mode decides the layout's tail, so it is checked before parsing.
        if (programOutput.length < 2) revert ProgramOutput.ProgramOutputTooShort(2, programOutput.length);
        if (programOutput[1] != mode) revert DataAvailabilityModeMismatch(programOutput[1], mode);
        ProgramOutput.requireFieldElements(programOutput);
        ProgramOutput.Layout memory l = ProgramOutput.parse(programOutput, mode == MainConstants.DATA_AVAILABILITY_ROLLUP);
        _checkConfiguration(programOutput, l);
        ProgramOutput.SharedState memory next = _checkAndStoreSharedState(programOutput, l);
        _checkBatchIds(applicationData, l.nConditions);
        _checkFact(programOutput);
        if (mode == MainConstants.DATA_AVAILABILITY_VALIDIUM) _checkAvailability(next);
        _checkConditions(programOutput, applicationData, l);
        _applyModifications(programOutput, l);
        _serveForcedActions(programOutput, l);
        emit LogStateUpdate(batchSequenceNumber, lastAcceptedBatchId, sharedStateHashValue, next.positionsRoot);
    }

    function _checkConfiguration(uint256[] calldata output, ProgramOutput.Layout memory l) private view {
        if (l.generalConfigHash != globalConfigurationHash) {
            revert GeneralConfigHashMismatch(l.generalConfigHash, globalConfigurationHash);
        }
        bytes32 assetConfigs = bytes32(ProgramOutput.hashWords(output, l.assetConfigsOffset, 2 * l.nAssetConfigs));
        if (assetConfigs != assetConfigsHash) revert AssetConfigsMismatch(assetConfigs, assetConfigsHash);
        // Expiration is in hours: a transaction whose hour is the current one has expired.
        if (l.minimumExpirationTimestamp <= block.timestamp / 1 hours) {
            revert ExpirationTimestampInPast(l.minimumExpirationTimestamp);
        }
        if (l.minimumExpirationTimestamp >= K.EXPIRATION_TIMESTAMP_UPPER_BOUND) {
            revert ExpirationTimestampOutOfRange(l.minimumExpirationTimestamp);
        }
    }

    function _checkAndStoreSharedState(uint256[] calldata output, ProgramOutput.Layout memory l)
        private
        returns (ProgramOutput.SharedState memory next)
    {
        uint256 previousHash = ProgramOutput.hashWords(output, l.previousStateOffset, l.previousStateSize);
        if (previousHash != sharedStateHashValue) revert SharedStateMismatch(previousHash, sharedStateHashValue);
        ProgramOutput.SharedState memory previous = ProgramOutput.readSharedState(output, l.previousStateOffset, l.previousStateSize);
        next = ProgramOutput.readSharedState(output, l.newStateOffset, l.newStateSize);
        if (next.positionsHeight != previous.positionsHeight) {
            revert TreeHeightChanged(previous.positionsHeight, next.positionsHeight);
        }
        if (next.ordersHeight != previous.ordersHeight) revert TreeHeightChanged(previous.ordersHeight, next.ordersHeight);
        if (
            next.systemTime + K.MAX_SYSTEM_TIME_LAG <= block.timestamp
                || next.systemTime >= block.timestamp + K.MAX_SYSTEM_TIME_LEAD
        ) revert SystemTimeOutOfRange(next.systemTime);
        sharedStateHashValue = ProgramOutput.hashWords(output, l.newStateOffset, l.newStateSize);
        positionTreeRoot = next.positionsRoot;
        positionTreeHeight = next.positionsHeight;
        batchSequenceNumber += 1;
    }

    function _checkBatchIds(uint256[] calldata appData, uint256 nConditions) private {
        if (appData.length != 2 + 2 * nConditions) revert InvalidApplicationData(appData.length);
        if (appData[1] != lastAcceptedBatchId) revert BatchIdMismatch(appData[1], lastAcceptedBatchId);
        lastAcceptedBatchId = appData[0];
    }

    function _checkFact(uint256[] calldata output) private view {
        bytes32 fact = keccak256(abi.encode(currentProgramHash, keccak256(abi.encodePacked(output))));
        address[] memory chain = verifierChain;
        for (uint256 i = 0; i < chain.length; i++) {
            if (!IFactRegistry(chain[i]).isValid(fact)) revert FactNotValid(chain[i], fact);
        }
    }

    /// The sequence number was already advanced, so it is the new batch's number (previous + 1).
    function _checkAvailability(ProgramOutput.SharedState memory s) private view {
        bytes32 fact = keccak256(
            abi.encodePacked(s.positionsRoot, s.positionsHeight, s.ordersRoot, s.ordersHeight, batchSequenceNumber)
        );
        address[] memory committee = availabilityVerifiers;
        for (uint256 i = 0; i < committee.length; i++) {
            if (!IFactRegistry(committee[i]).isValid(fact)) revert AvailabilityFactNotValid(committee[i], fact);
        }
    }

    function _checkConditions(uint256[] calldata output, uint256[] calldata appData, ProgramOutput.Layout memory l)
        private
        view
    {
        for (uint256 i = 0; i < l.nConditions; i++) {
            uint256 registryWord = appData[2 + 2 * i];
            if (registryWord >> 160 != 0) revert InvalidApplicationData(appData.length);
            address registry = address(uint160(registryWord));
            bytes32 fact = bytes32(appData[3 + 2 * i]);
            uint256 condition = uint256(keccak256(abi.encodePacked(registry, fact))) & MainConstants.MASK_250;
            if (condition != output[l.conditionsOffset + i]) revert ConditionMismatch(i);
            if (!IFactRegistry(registry).isValid(fact)) revert ConditionNotMet(registry, fact);
        }
    }

    function _applyModifications(uint256[] calldata output, ProgramOutput.Layout memory l) private {
        uint256 assetType = systemAssetType;
        for (uint256 i = 0; i < l.nModifications; i++) {
            uint256 at = l.modificationsOffset + 3 * i;
            uint256 starkKey = output[at];
            uint256 positionId = output[at + 1];
            uint256 biasedDelta = output[at + 2];
            if (positionId >= MainConstants.VAULT_ID_UPPER_BOUND || biasedDelta >= 2 * K.MODIFICATION_DELTA_BIAS) {
                revert InvalidModification(i);
            }
            if (biasedDelta > K.MODIFICATION_DELTA_BIAS) {
                _consumeDeposit(starkKey, assetType, positionId, biasedDelta - K.MODIFICATION_DELTA_BIAS);
            } else if (biasedDelta < K.MODIFICATION_DELTA_BIAS) {
                _allowWithdrawal(starkKey, assetType, K.MODIFICATION_DELTA_BIAS - biasedDelta);
            }
        }
    }

    /// Each listed action must match a pending request (ForcedActionKeys: the same words). A
    /// forced trade is one-shot: it stays marked served, so its signature cannot be replayed.
    function _serveForcedActions(uint256[] calldata output, ProgramOutput.Layout memory l) private {
        uint256 at = l.forcedActionsOffset;
        for (uint256 n = 0; n < l.nForcedActions; n++) {
            uint256 actionType = output[at];
            uint256 width = ForcedActionKeys.width(actionType);
            _serveForcedRequest(ForcedActionKeys.ofListed(output, at, width), actionType == K.FORCED_TRADE_TYPE);
            at += width;
        }
    }
}
