// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainConstants} from "../MainConstants.sol";
import {MainStorage} from "../MainStorage.sol";
import {IFactRegistry} from "../../interfaces/IFactRegistry.sol";

/// @notice What every application's updateState checks outside its own output layout: the
/// batch's fact in every registry of the verifier chain, the committee's availability fact (a
/// validium), the batch ids of the application data, and each conditional transfer's condition
/// (a fact on an L1 registry). StarkEx's application data: [batch_id, previous_batch_id,
/// (registry, fact) per condition].
abstract contract BatchFacts is MainStorage {
    error FactNotValid(address registry, bytes32 fact);
    error AvailabilityFactNotValid(address registry, bytes32 fact);
    error BatchIdMismatch(uint256 previousBatchId, uint256 lastBatchId);
    error InvalidApplicationData(uint256 length);
    error ConditionMismatch(uint256 index);
    error ConditionNotMet(address registry, bytes32 fact);

    /// Batches accepted so far.
    function sequenceNumber() external view returns (uint256) {
        return batchSequenceNumber;
    }

    /// The id of the last accepted batch (MainConstants.NO_BATCH before the first).
    function lastBatchId() external view returns (uint256) {
        return lastAcceptedBatchId;
    }

    /// keccak256(abi.encode(programHash, keccak256(output))) must be valid in every registry of
    /// the verifier chain.
    function _checkFact(uint256[] calldata output) internal view {
        bytes32 fact = keccak256(abi.encode(currentProgramHash, keccak256(abi.encodePacked(output))));
        address[] memory chain = verifierChain;
        for (uint256 i = 0; i < chain.length; i++) {
            if (!IFactRegistry(chain[i]).isValid(fact)) revert FactNotValid(chain[i], fact);
        }
    }

    /// The committee's fact over the new roots and heights and the new batch's sequence number
    /// (the caller has advanced batchSequenceNumber already, so it is previous + 1).
    function _checkAvailability(uint256 mainRoot, uint256 mainHeight, uint256 ordersRoot, uint256 ordersHeight)
        internal
        view
    {
        bytes32 fact =
            keccak256(abi.encodePacked(mainRoot, mainHeight, ordersRoot, ordersHeight, batchSequenceNumber));
        address[] memory committee = availabilityVerifiers;
        for (uint256 i = 0; i < committee.length; i++) {
            if (!IFactRegistry(committee[i]).isValid(fact)) revert AvailabilityFactNotValid(committee[i], fact);
        }
    }

    function _checkBatchIds(uint256[] calldata appData, uint256 nConditions) internal {
        if (appData.length != 2 + 2 * nConditions) revert InvalidApplicationData(appData.length);
        if (appData[1] != lastAcceptedBatchId) revert BatchIdMismatch(appData[1], lastAcceptedBatchId);
        lastAcceptedBatchId = appData[0];
    }

    /// Condition i of the output is keccak256(registry ‖ fact) & (2^250 - 1) of the i-th
    /// (registry, fact) pair of the application data, and the registry holds the fact.
    function _checkConditions(
        uint256[] calldata output,
        uint256[] calldata appData,
        uint256 conditionsOffset,
        uint256 nConditions
    ) internal view {
        for (uint256 i = 0; i < nConditions; i++) {
            uint256 registryWord = appData[2 + 2 * i];
            if (registryWord >> 160 != 0) revert InvalidApplicationData(appData.length);
            address registry = address(uint160(registryWord));
            bytes32 fact = bytes32(appData[3 + 2 * i]);
            uint256 condition = uint256(keccak256(abi.encodePacked(registry, fact))) & MainConstants.MASK_250;
            if (condition != output[conditionsOffset + i]) revert ConditionMismatch(i);
            if (!IFactRegistry(registry).isValid(fact)) revert ConditionNotMet(registry, fact);
        }
    }
}
