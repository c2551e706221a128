// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Freezable} from "./Freezable.sol";
import {PerpetualConstants as K} from "./PerpetualConstants.sol";

/// @notice Changes that could hurt users (what the exchange trusts, what it accepts) take
/// effect only after a public delay: governance announces a change, anyone can see it, and
/// governance applies it after CONFIGURATION_DELAY. A change is identified by
/// keccak256(abi.encode(kind, value)), so the applied value is exactly the announced one.
abstract contract Configuration is Freezable {
    bytes32 internal constant VERIFIER_CHAIN = "VERIFIER_CHAIN";
    bytes32 internal constant AVAILABILITY_VERIFIERS = "AVAILABILITY_VERIFIERS";
    bytes32 internal constant PROGRAM_HASH = "PROGRAM_HASH";
    bytes32 internal constant GLOBAL_CONFIG_HASH = "GLOBAL_CONFIG_HASH";

    event LogChangeAnnounced(bytes32 indexed changeId, bytes32 indexed kind, uint256 readyAt);
    event LogChangeCancelled(bytes32 indexed changeId);
    event LogVerifierChainSet(address[] verifiers);
    event LogAvailabilityVerifiersSet(address[] verifiers);
    event LogProgramHashSet(uint256 programHash);
    event LogGlobalConfigHashSet(uint256 globalConfigHash);

    error ChangeNotAnnounced(bytes32 changeId);
    error ChangeAlreadyAnnounced(bytes32 changeId);
    error ChangeNotReady(bytes32 changeId, uint256 readyAt);
    error InvalidVerifierList(uint256 length);
    error DuplicateVerifier(address verifier);

    function getVerifierChain() external view returns (address[] memory) {
        return verifierChain;
    }

    function getAvailabilityVerifiers() external view returns (address[] memory) {
        return availabilityVerifiers;
    }

    function changeReadyAt(bytes32 changeId) external view returns (uint256) {
        return announcedChanges[changeId];
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
        _announce(VERIFIER_CHAIN, abi.encode(verifiers));
    }

    function applyVerifierChain(address[] calldata verifiers) external onlyGovernance {
        _consume(VERIFIER_CHAIN, abi.encode(verifiers));
        _setVerifierChain(verifiers);
    }

    function announceAvailabilityVerifiers(address[] calldata verifiers) external onlyGovernance {
        _checkVerifierList(verifiers);
        _announce(AVAILABILITY_VERIFIERS, abi.encode(verifiers));
    }

    function applyAvailabilityVerifiers(address[] calldata verifiers) external onlyGovernance {
        _consume(AVAILABILITY_VERIFIERS, abi.encode(verifiers));
        _setAvailabilityVerifiers(verifiers);
    }

    function announceProgramHash(uint256 newProgramHash) external onlyGovernance {
        _announce(PROGRAM_HASH, abi.encode(newProgramHash));
    }

    function applyProgramHash(uint256 newProgramHash) external onlyGovernance {
        _consume(PROGRAM_HASH, abi.encode(newProgramHash));
        _setProgramHash(newProgramHash);
    }

    function announceGlobalConfigHash(uint256 newHash) external onlyGovernance {
        _announce(GLOBAL_CONFIG_HASH, abi.encode(newHash));
    }

    function applyGlobalConfigHash(uint256 newHash) external onlyGovernance {
        _consume(GLOBAL_CONFIG_HASH, abi.encode(newHash));
        _setGlobalConfigHash(newHash);
    }

    function _announce(bytes32 kind, bytes memory value) private {
        bytes32 id = changeId(kind, value);
        if (announcedChanges[id] != 0) revert ChangeAlreadyAnnounced(id);
        uint256 readyAt = block.timestamp + K.CONFIGURATION_DELAY;
        announcedChanges[id] = readyAt;
        emit LogChangeAnnounced(id, kind, readyAt);
    }

    function _consume(bytes32 kind, bytes memory value) private {
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
            if (verifiers[i] == address(0)) revert ZeroAddress();
            for (uint256 j = 0; j < i; j++) {
                if (verifiers[i] == verifiers[j]) revert DuplicateVerifier(verifiers[i]);
            }
        }
    }

    function _setVerifierChain(address[] memory verifiers) internal {
        _checkVerifierList(verifiers);
        verifierChain = verifiers;
        emit LogVerifierChainSet(verifiers);
    }

    function _setAvailabilityVerifiers(address[] memory verifiers) internal {
        // A rollup needs no committee; a validium must have one.
        if (verifiers.length != 0 || dataAvailabilityMode == K.DATA_AVAILABILITY_VALIDIUM) {
            _checkVerifierList(verifiers);
        }
        availabilityVerifiers = verifiers;
        emit LogAvailabilityVerifiersSet(verifiers);
    }

    function _setProgramHash(uint256 newProgramHash) internal {
        programHash = newProgramHash;
        emit LogProgramHashSet(newProgramHash);
    }

    function _setGlobalConfigHash(uint256 newHash) internal {
        globalConfigHash = newHash;
        emit LogGlobalConfigHashSet(newHash);
    }
}
