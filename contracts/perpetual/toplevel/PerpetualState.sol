// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ForcedRequests} from "../../core/components/ForcedRequests.sol";
import {FreezeState} from "../../core/components/FreezeState.sol";
import {KeyGetters} from "../../core/components/KeyGetters.sol";
import {PendingDeposits} from "../../core/components/PendingDeposits.sol";
import {PendingWithdrawals} from "../../core/components/PendingWithdrawals.sol";
import {Roles} from "../../core/components/Roles.sol";
import {PerpetualEscapes} from "../components/PerpetualEscapes.sol";
import {UpdatePerpetualState} from "../components/UpdatePerpetualState.sol";

/// @notice Sub-contract of StarkPerpetual: accepting batches (updateState) and, after a freeze,
/// escapes.
contract PerpetualState is
    Roles,
    FreezeState,
    KeyGetters,
    PendingDeposits,
    PendingWithdrawals,
    ForcedRequests,
    UpdatePerpetualState,
    PerpetualEscapes
{}
