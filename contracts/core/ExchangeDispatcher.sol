// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainDispatcher} from "./MainDispatcher.sol";

/// @notice The dispatcher both applications use: four sub-contracts, numbered in their selector
/// table 1 governance, 2 tokens and ramping, 3 state, 4 forced actions. An application's main
/// contract supplies only its generated selector table.
abstract contract ExchangeDispatcher is MainDispatcher {
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
}
