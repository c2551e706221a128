// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainStorage} from "../MainStorage.sol";
import {MGovernance} from "../interfaces/MGovernance.sol";

/// @notice A set of governors (nominate, then the nominee accepts) and the operators they appoint.
abstract contract Governance is MainStorage, MGovernance {
    event LogGovernorNominated(address indexed candidate, address indexed by);
    event LogGovernorNominationCancelled(address indexed candidate, address indexed by);
    event LogGovernorAccepted(address indexed governor);
    event LogGovernorRemoved(address indexed governor, address indexed by);
    event LogOperatorAdded(address indexed operator, address indexed by);
    event LogOperatorRemoved(address indexed operator, address indexed by);

    error AlreadyGovernor(address account);
    error NotGovernorCandidate(address account);
    error GovernorCannotRemoveItself();
    error NotAnOperator(address account);
    error ZeroAddress();

    function isGovernor(address account) external view returns (bool) {
        return governors[account];
    }

    function isOperator(address account) external view returns (bool) {
        return operators[account];
    }

    function nominateGovernor(address candidate) external onlyGovernance {
        if (candidate == address(0)) revert ZeroAddress();
        if (governors[candidate]) revert AlreadyGovernor(candidate);
        governorCandidates[candidate] = true;
        emit LogGovernorNominated(candidate, msg.sender);
    }

    function cancelGovernorNomination(address candidate) external onlyGovernance {
        if (!governorCandidates[candidate]) revert NotGovernorCandidate(candidate);
        governorCandidates[candidate] = false;
        emit LogGovernorNominationCancelled(candidate, msg.sender);
    }

    /// Two steps, so a mistyped address never becomes a governor.
    function acceptGovernance() external {
        if (!governorCandidates[msg.sender]) revert NotGovernorCandidate(msg.sender);
        governorCandidates[msg.sender] = false;
        governors[msg.sender] = true;
        emit LogGovernorAccepted(msg.sender);
    }

    /// A governor cannot remove itself, so the set never becomes empty.
    function removeGovernor(address governor) external onlyGovernance {
        if (governor == msg.sender) revert GovernorCannotRemoveItself();
        if (!governors[governor]) revert NotGovernor(governor);
        governors[governor] = false;
        emit LogGovernorRemoved(governor, msg.sender);
    }

    function registerOperator(address operator) external onlyGovernance {
        if (operator == address(0)) revert ZeroAddress();
        operators[operator] = true;
        emit LogOperatorAdded(operator, msg.sender);
    }

    function unregisterOperator(address operator) external onlyGovernance {
        if (!operators[operator]) revert NotAnOperator(operator);
        operators[operator] = false;
        emit LogOperatorRemoved(operator, msg.sender);
    }

    function _initGovernance(address governor) internal {
        if (governor == address(0)) revert ZeroAddress();
        governors[governor] = true;
        emit LogGovernorAccepted(governor);
    }
}
