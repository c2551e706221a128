// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ForcedRequests} from "../../core/components/ForcedRequests.sol";
import {FreezeState} from "../../core/components/FreezeState.sol";
import {PendingDeposits} from "../../core/components/PendingDeposits.sol";
import {PendingWithdrawals} from "../../core/components/PendingWithdrawals.sol";
import {Roles} from "../../core/components/Roles.sol";
import {SpotEscapes} from "../components/SpotEscapes.sol";
import {UpdateSpotState} from "../components/UpdateSpotState.sol";

/// @notice Sub-contract of StarkExchange: accepting batches (updateState) and, after a freeze,
/// vault escapes.
contract SpotState is Roles, FreezeState, PendingDeposits, PendingWithdrawals, ForcedRequests, UpdateSpotState, SpotEscapes {}
