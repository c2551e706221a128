// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainDispatcher} from "../core/MainDispatcher.sol";
import {StarkPerpetualSelectors} from "./StarkPerpetualSelectors.sol";

/// @notice The StarkEx-style Perpetual exchange on L1: the implementation behind the upgrade
/// proxy, dispatching every call to one of its sub-contracts (toplevel/), which share the
/// proxy's storage (MainStorage, then PerpetualStorage).
contract StarkPerpetual is MainDispatcher {
    address private immutable GOVERNANCE;
    address private immutable TOKENS_AND_RAMPING;
    address private immutable STATE;
    address private immutable FORCED_ACTIONS;

    error NotAContract(address account);

    /// The sub-contracts in the selector table's order (1-based there).
    constructor(address governance, address tokensAndRamping, address state, address forcedActions) {
        address[4] memory subContracts = [governance, tokensAndRamping, state, forcedActions];
        for (uint256 i = 0; i < subContracts.length; i++) {
            if (subContracts[i].code.length == 0) revert NotAContract(subContracts[i]);
        }
        GOVERNANCE = governance;
        TOKENS_AND_RAMPING = tokensAndRamping;
        STATE = state;
        FORCED_ACTIONS = forcedActions;
    }

    function _subContract(uint256 index) internal view override returns (address) {
        if (index == 1) return GOVERNANCE;
        if (index == 2) return TOKENS_AND_RAMPING;
        if (index == 3) return STATE;
        return FORCED_ACTIONS;
    }

    function _selectorTable() internal pure override returns (bytes memory) {
        return StarkPerpetualSelectors.TABLE;
    }
}
