// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Assets} from "../../core/components/Assets.sol";
import {Deposits} from "../../core/components/Deposits.sol";
import {FreezeState} from "../../core/components/FreezeState.sol";
import {KeyGetters} from "../../core/components/KeyGetters.sol";
import {Roles} from "../../core/components/Roles.sol";
import {TokenIdRamping} from "../../core/components/TokenIdRamping.sol";
import {Users} from "../../core/components/Users.sol";
import {Withdrawals} from "../../core/components/Withdrawals.sol";
import {TokenRegistration} from "../components/TokenRegistration.sol";

/// @notice Sub-contract of StarkExchange: asset registration by the token administrators, user
/// registration, deposits of every kind (with cancel and reclaim) and withdrawals of every kind
/// (withdraw-and-mint for mintable assets) — every transfer of funds in or out.
contract SpotTokensAndRamping is
    Roles,
    FreezeState,
    KeyGetters,
    Assets,
    TokenRegistration,
    Users,
    Deposits,
    TokenIdRamping,
    Withdrawals
{}
