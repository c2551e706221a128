// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ExchangeDispatcher} from "../core/ExchangeDispatcher.sol";
import {StarkExchangeSelectors} from "./StarkExchangeSelectors.sol";

/// @notice The StarkEx-style Spot exchange on L1: the implementation behind the upgrade proxy,
/// dispatching every call to one of its sub-contracts (toplevel/), which share the proxy's
/// storage (MainStorage, then SpotStorage).
contract StarkExchange is ExchangeDispatcher {
    constructor(address governance, address tokensAndRamping, address state, address forcedActions)
        ExchangeDispatcher(governance, tokensAndRamping, state, forcedActions)
    {}

    function _selectorTable() internal pure override returns (bytes memory) {
        return StarkExchangeSelectors.TABLE;
    }
}
