// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Assets} from "../../core/components/Assets.sol";
import {Deposits} from "../../core/components/Deposits.sol";
import {FreezeState} from "../../core/components/FreezeState.sol";
import {KeyGetters} from "../../core/components/KeyGetters.sol";
import {Roles} from "../../core/components/Roles.sol";
import {Users} from "../../core/components/Users.sol";
import {Withdrawals} from "../../core/components/Withdrawals.sol";
import {PerpetualAssets} from "../components/PerpetualAssets.sol";

/// @notice Sub-contract of StarkPerpetual: the collateral asset, user registration, deposits
/// (with cancel and reclaim) and withdrawals — every transfer of funds in or out.
contract PerpetualTokensAndRamping is Roles, FreezeState, KeyGetters, Assets, PerpetualAssets, Users, Deposits, Withdrawals {}
