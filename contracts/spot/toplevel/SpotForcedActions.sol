// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ForcedRequests} from "../../core/components/ForcedRequests.sol";
import {FreezeRequests} from "../../core/components/FreezeRequests.sol";
import {FreezeState} from "../../core/components/FreezeState.sol";
import {KeyGetters} from "../../core/components/KeyGetters.sol";
import {FullWithdrawals} from "../components/FullWithdrawals.sol";

/// @notice Sub-contract of StarkExchange: full withdrawals requested on L1, and the freeze an
/// unserved one allows.
contract SpotForcedActions is FreezeState, KeyGetters, ForcedRequests, FreezeRequests, FullWithdrawals {}
