// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainConstants as K} from "../MainConstants.sol";
import {MainStorage} from "../MainStorage.sol";
import {MGovernance} from "../interfaces/MGovernance.sol";
import {MTimelocks} from "../interfaces/MTimelocks.sol";

/// @notice What a proof means to the exchange — the verifier chain that must hold a batch's fact,
/// the availability verifiers of a validium, the program whose runs are accepted — changes only
/// CONFIGURATION_DELAY after governance announced it (MainConstants says why that is longer than
/// the freeze grace period). Announce, anyone sees it, apply; cancel at any time before.
abstract contract Configuration is MainStorage, MGovernance, MTimelocks {
    bytes32 internal constant VERIFIER_CHAIN = "VERIFIER_CHAIN";
    bytes32 internal constant AVAILABILITY_VERIFIERS = "AVAILABILITY_VERIFIERS";
    bytes32 internal constant PROGRAM_HASH = "PROGRAM_HASH";

    event LogChangeAnnounced(bytes32 indexed changeId, bytes32 indexed kind, uint256 readyAt);
    event LogChangeCancelled(bytes32 indexed changeId);
    event LogVerifierChainSet(address[] verifiers);
    event LogAvailabilityVerifiersSet(address[] verifiers);
    event LogProgramHashSet(uint256 programHash);

    error ChangeNotAnnounced(bytes32 changeId);
    error ChangeAlreadyAnnounced(bytes32 changeId);
    error ChangeNotReady(bytes32 changeId, uint256 readyAt);
    error InvalidVerifierList(uint256 length);
    error DuplicateVerifier(address verifier);
    error ZeroVerifier();
    error InvalidDataAvailabilityMode(uint256 mode);

    function getVerifierChain() external view returns (address[] memory) {
        return verifierChain;
    }

    function getAvailabilityVerifiers() external view returns (address[] memory) {
        return availabilityVerifiers;
    }

    function programHash() external view returns (uint256) {
        return currentProgramHash;
    }

    function dataAvailabilityMode() external view returns (uint256) {
        return availabilityMode;
    }

    function changeReadyAt(bytes32 id) external view returns (uint256) {
        return announcedChanges[id];
    }

    function changeId(bytes32 kind, bytes memory value) public pure returns (bytes32) {
        return keccak256(abi.encode(kind, value));
    }

    function cancelChange(bytes32 id) external onlyGovernance {
        if (announcedChanges[id] == 0) revert ChangeNotAnnounced(id);
        delete announcedChanges[id];
        emit LogChangeCancelled(id);
    }

    function announceVerifierChain(address[] calldata verifiers) external onlyGovernance {
        _checkVerifierList(verifiers);
        _announceChange(VERIFIER_CHAIN, abi.encode(verifiers));
    }

    function applyVerifierChain(address[] calldata verifiers) external onlyGovernance {
        _consumeChange(VERIFIER_CHAIN, abi.encode(verifiers));
        _setVerifierChain(verifiers);
    }

    function announceAvailabilityVerifiers(address[] calldata verifiers) external onlyGovernance {
        _checkVerifierList(verifiers);
        _announceChange(AVAILABILITY_VERIFIERS, abi.encode(verifiers));
    }

    function applyAvailabilityVerifiers(address[] calldata verifiers) external onlyGovernance {
        _consumeChange(AVAILABILITY_VERIFIERS, abi.encode(verifiers));
        _setAvailabilityVerifiers(verifiers);
    }

    function announceProgramHash(uint256 newProgramHash) external onlyGovernance {
        _announceChange(PROGRAM_HASH, abi.encode(newProgramHash));
    }

    function applyProgramHash(uint256 newProgramHash) external onlyGovernance {
        _consumeChange(PROGRAM_HASH, abi.encode(newProgramHash));
        _setProgramHash(newProgramHash);
    }

    function _announceChange(bytes32 kind, bytes memory value) internal override {
        bytes32 id = changeId(kind, value);
        if (announcedChanges[id] != 0) revert ChangeAlreadyAnnounced(id);
        uint256 readyAt = block.timestamp + K.CONFIGURATION_DELAY;
        announcedChanges[id] = readyAt;
        emit LogChangeAnnounced(id, kind, readyAt);
    }

    function _consumeChange(bytes32 kind, bytes memory value) internal override {
        bytes32 id = changeId(kind, value);
        uint256 readyAt = announcedChanges[id];
        if (readyAt == 0) revert ChangeNotAnnounced(id);
        if (block.timestamp < readyAt) revert ChangeNotReady(id, readyAt);
        delete announcedChanges[id];
    }

    /// Bounded (MAX_VERIFIERS), so every loop over a list in updateState is bounded too.
    function _checkVerifierList(address[] memory verifiers) internal pure {
        if (verifiers.length == 0 || verifiers.length > K.MAX_VERIFIERS) {
            revert InvalidVerifierList(verifiers.length);
        }
        for (uint256 i = 0; i < verifiers.length; i++) {
            if (verifiers[i] == address(0)) revert ZeroVerifier();
            for (uint256 j = 0; j < i; j++) {
                if (verifiers[i] == verifiers[j]) revert DuplicateVerifier(verifiers[i]);
            }
        }
    }

    function _setDataAvailabilityMode(uint256 mode) internal {
        if (mode > K.DATA_AVAILABILITY_ROLLUP) revert InvalidDataAvailabilityMode(mode);
        availabilityMode = mode;
    }

    function _setVerifierChain(address[] memory verifiers) internal {
        _checkVerifierList(verifiers);
        verifierChain = verifiers;
        emit LogVerifierChainSet(verifiers);
    }

    function _setAvailabilityVerifiers(address[] memory verifiers) internal {
        // A rollup needs no committee; a validium must have one.
        if (verifiers.length != 0 || availabilityMode == K.DATA_AVAILABILITY_VALIDIUM) {
            _checkVerifierList(verifiers);
        }
        availabilityVerifiers = verifiers;
        emit LogAvailabilityVerifiersSet(verifiers);
    }

    function _setProgramHash(uint256 newProgramHash) internal {
        currentProgramHash = newProgramHash;
        emit LogProgramHashSet(newProgramHash);
    }
}
