// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ForcedRequests} from "../../core/components/ForcedRequests.sol";
import {FreezeRequests} from "../../core/components/FreezeRequests.sol";
import {FreezeState} from "../../core/components/FreezeState.sol";
import {KeyGetters} from "../../core/components/KeyGetters.sol";
import {ForcedTrades} from "../components/ForcedTrades.sol";
import {ForcedWithdrawals} from "../components/ForcedWithdrawals.sol";

/// @notice Sub-contract of StarkPerpetual: forced withdrawals and forced trades requested on L1,
/// and the freeze an unserved one allows.
contract PerpetualForcedActions is FreezeState, KeyGetters, ForcedRequests, FreezeRequests, ForcedWithdrawals, ForcedTrades {}
