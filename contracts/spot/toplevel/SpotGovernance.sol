// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {DelegateOnly} from "../../core/DelegateOnly.sol";
import {MainConstants} from "../../core/MainConstants.sol";
import {Configuration} from "../../core/components/Configuration.sol";
import {FreezeState} from "../../core/components/FreezeState.sol";
import {Freezable} from "../../core/components/Freezable.sol";
import {Governance} from "../../core/components/Governance.sol";
import {Roles} from "../../core/components/Roles.sol";
import {SpotOutput} from "../SpotOutput.sol";
import {SpotStorage} from "../SpotStorage.sol";
import {SpotInitParams} from "../SpotTypes.sol";

/// @notice Sub-contract of StarkExchange: governors and operators, what a proof means (verifier
/// chains, program hash, timelocked as Perpetual's), leaving a freeze, and the one-time
/// initialization.
contract SpotGovernance is DelegateOnly, SpotStorage, Roles, Governance, FreezeState, Freezable, Configuration {
    event LogInitialized(address indexed governor, uint256 validiumVaultRoot, uint256 rollupVaultRoot, uint256 orderRoot);

    error AlreadyInitialized();
    error NotAContract(address account);
    error InvalidTreeHeight(uint256 height);
    error InvalidGlobalConfigCode(uint256 code);

    /// Called once, by the upgrade proxy's constructor in the transaction that deploys it.
    function initialize(SpotInitParams calldata p) external onlyDelegated {
        if (initialized) revert AlreadyInitialized();
        initialized = true;
        if (p.escapeVerifier.code.length == 0) revert NotAContract(p.escapeVerifier);
        _requireHeight(p.validiumVaultTreeHeight, SpotOutput.MAX_VAULT_TREE_HEIGHT);
        _requireHeight(p.rollupVaultTreeHeight, SpotOutput.MAX_VAULT_TREE_HEIGHT);
        _requireHeight(p.orderTreeHeight, 251);
        if (p.globalConfigCode > 1) revert InvalidGlobalConfigCode(p.globalConfigCode);
        _initGovernance(p.governor);
        _setDataAvailabilityMode(p.dataAvailabilityMode);
        _setVerifierChain(p.verifierChain);
        _setAvailabilityVerifiers(p.availabilityVerifiers);
        _setProgramHash(p.programHash);
        escapeVerifierContract = p.escapeVerifier;
        globalConfigCode = p.globalConfigCode;
        validiumVaultRoot = p.validiumVaultRoot;
        validiumVaultTreeHeight = p.validiumVaultTreeHeight;
        rollupVaultRoot = p.rollupVaultRoot;
        rollupVaultTreeHeight = p.rollupVaultTreeHeight;
        orderRoot = p.orderRoot;
        orderTreeHeight = p.orderTreeHeight;
        lastAcceptedBatchId = MainConstants.NO_BATCH;
        emit LogInitialized(p.governor, p.validiumVaultRoot, p.rollupVaultRoot, p.orderRoot);
    }

    function _requireHeight(uint256 height, uint256 max) private pure {
        if (height == 0 || height > max) revert InvalidTreeHeight(height);
    }
}
