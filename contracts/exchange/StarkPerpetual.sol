// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Escapes} from "./Escapes.sol";
import {InitParams} from "./PerpetualTypes.sol";
import {ProgramOutput} from "./ProgramOutput.sol";
import {PerpetualConstants as K} from "./PerpetualConstants.sol";

/// @notice The StarkEx-style Perpetual exchange on L1: the components composed, plus the
/// one-time initialization (a function, not a constructor, so it also runs behind the proxy).
contract StarkPerpetual is Escapes {
    event LogInitialized(address indexed governor, uint256 sharedStateHash);

    error AlreadyInitialized();
    error InvalidDataAvailabilityMode(uint256 mode);

    /// Called once; behind the proxy, atomically by the proxy constructor.
    function initialize(InitParams calldata p) external {
        if (initialized) revert AlreadyInitialized();
        initialized = true;
        if (p.dataAvailabilityMode > K.DATA_AVAILABILITY_ROLLUP) revert InvalidDataAvailabilityMode(p.dataAvailabilityMode);
        if (p.escapeVerifier == address(0)) revert ZeroAddress();
        _initGovernance(p.governor);
        dataAvailabilityMode = p.dataAvailabilityMode;
        _setVerifierChain(p.verifierChain);
        _setAvailabilityVerifiers(p.availabilityVerifiers);
        _setProgramHash(p.programHash);
        _setGlobalConfigHash(p.globalConfigHash);
        escapeVerifier = p.escapeVerifier;
        uint256 n = p.initialSharedState.length;
        if (n < ProgramOutput.SHARED_STATE_FIXED_SIZE) revert ProgramOutput.InvalidSharedStateSize(n);
        sharedStateHash = uint256(keccak256(abi.encodePacked(p.initialSharedState)));
        positionsRoot = p.initialSharedState[0];
        positionsHeight = p.initialSharedState[1];
        lastBatchId = NO_BATCH;
        emit LogInitialized(p.governor, sharedStateHash);
    }
}
