// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MGovernance} from "../../core/interfaces/MGovernance.sol";
import {MTokens} from "../../core/interfaces/MTokens.sol";
import {SpotStorage} from "../SpotStorage.sol";

/// @notice StarkEx Spot's asset registration: governance appoints token administrators, and a
/// token administrator registers an asset of any kind with its quantum (core Assets checks the
/// info and derives the asset type). A registration is permanent: the off-chain state may hold
/// the asset from then on.
abstract contract TokenRegistration is SpotStorage, MGovernance, MTokens {
    event LogTokenAdminAdded(address indexed tokenAdmin, address indexed by);
    event LogTokenAdminRemoved(address indexed tokenAdmin, address indexed by);

    error NotTokenAdmin(address caller);
    error ZeroTokenAdmin();

    function isTokenAdmin(address account) external view returns (bool) {
        return tokenAdmins[account];
    }

    function registerTokenAdmin(address account) external onlyGovernance {
        if (account == address(0)) revert ZeroTokenAdmin();
        tokenAdmins[account] = true;
        emit LogTokenAdminAdded(account, msg.sender);
    }

    function unregisterTokenAdmin(address account) external onlyGovernance {
        if (!tokenAdmins[account]) revert NotTokenAdmin(account);
        tokenAdmins[account] = false;
        emit LogTokenAdminRemoved(account, msg.sender);
    }

    /// @return assetType keccak256(assetInfo ‖ quantum) & (2^250 - 1)
    function registerToken(bytes calldata assetInfo, uint256 quantum) external returns (uint256) {
        if (!tokenAdmins[msg.sender]) revert NotTokenAdmin(msg.sender);
        return _registerAsset(assetInfo, quantum);
    }
}
