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
    event LogInitialized(address indexed governor, uint256 vaultRoot, uint256 orderRoot);

    error AlreadyInitialized();
    error NotAContract(address account);
    error InvalidTreeHeight(uint256 height);

    /// Called once, by the upgrade proxy's constructor in the transaction that deploys it.
    function initialize(SpotInitParams calldata p) external onlyDelegated {
        if (initialized) revert AlreadyInitialized();
        initialized = true;
        if (p.escapeVerifier.code.length == 0) revert NotAContract(p.escapeVerifier);
        // A modification names a vault id in 31 bits (SpotOutput), so a taller tree has leaves no
        // batch reaches.
        if (p.vaultTreeHeight == 0 || p.vaultTreeHeight > SpotOutput.VAULT_ID_BITS) revert InvalidTreeHeight(p.vaultTreeHeight);
        if (p.orderTreeHeight == 0 || p.orderTreeHeight > 251) revert InvalidTreeHeight(p.orderTreeHeight);
        _initGovernance(p.governor);
        _setDataAvailabilityMode(p.dataAvailabilityMode);
        _setVerifierChain(p.verifierChain);
        _setAvailabilityVerifiers(p.availabilityVerifiers);
        _setProgramHash(p.programHash);
        escapeVerifierContract = p.escapeVerifier;
        vaultRoot = p.vaultRoot;
        vaultTreeHeight = p.vaultTreeHeight;
        orderRoot = p.orderRoot;
        orderTreeHeight = p.orderTreeHeight;
        lastAcceptedBatchId = MainConstants.NO_BATCH;
        emit LogInitialized(p.governor, p.vaultRoot, p.orderRoot);
    }
}
