// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {DelegateOnly} from "../../core/DelegateOnly.sol";
import {MainConstants} from "../../core/MainConstants.sol";
import {Configuration} from "../../core/components/Configuration.sol";
import {FreezeState} from "../../core/components/FreezeState.sol";
import {Freezable} from "../../core/components/Freezable.sol";
import {Governance} from "../../core/components/Governance.sol";
import {Roles} from "../../core/components/Roles.sol";
import {PerpetualConfiguration} from "../components/PerpetualConfiguration.sol";
import {InitParams} from "../PerpetualTypes.sol";
import {ProgramOutput} from "../ProgramOutput.sol";

/// @notice Sub-contract of StarkPerpetual: governors and operators, what a proof means (verifier
/// chains, program hash, general configuration, all timelocked), leaving a freeze, and the
/// one-time initialization.
contract PerpetualGovernance is
    DelegateOnly,
    Roles,
    Governance,
    FreezeState,
    Freezable,
    Configuration,
    PerpetualConfiguration
{
    event LogInitialized(address indexed governor, uint256 sharedStateHash);

    error AlreadyInitialized();
    error NotAContract(address account);

    /// Called once, by the upgrade proxy's constructor in the transaction that deploys it.
    function initialize(InitParams calldata p) external onlyDelegated {
        if (initialized) revert AlreadyInitialized();
        initialized = true;
        if (p.escapeVerifier.code.length == 0) revert NotAContract(p.escapeVerifier);
        _initGovernance(p.governor);
        _setDataAvailabilityMode(p.dataAvailabilityMode);
        _setVerifierChain(p.verifierChain);
        _setAvailabilityVerifiers(p.availabilityVerifiers);
        _setProgramHash(p.programHash);
        _setGlobalConfig(p.globalConfigHash, p.assetConfigs);
        escapeVerifierContract = p.escapeVerifier;
        uint256 n = p.initialSharedState.length;
        if (n < ProgramOutput.SHARED_STATE_FIXED_SIZE) revert ProgramOutput.InvalidSharedStateSize(n);
        sharedStateHashValue = uint256(keccak256(abi.encodePacked(p.initialSharedState)));
        positionTreeRoot = p.initialSharedState[0];
        positionTreeHeight = p.initialSharedState[1];
        lastAcceptedBatchId = MainConstants.NO_BATCH;
        emit LogInitialized(p.governor, sharedStateHashValue);
    }
}
