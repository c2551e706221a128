// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainStorage} from "../MainStorage.sol";
import {MKeyGetters} from "../interfaces/MKeyGetters.sol";
import {StarkCurve} from "../../crypto/StarkCurve.sol";

/// @notice Reads the stark key registry (written by Users.registerEthAddress).
abstract contract KeyGetters is MainStorage, MKeyGetters {
    function _ethKeyOf(uint256 starkKey) internal view override returns (address ethKey) {
        ethKey = ethKeys[starkKey];
        if (ethKey == address(0)) revert StarkKeyNotRegistered(starkKey);
    }

    function _isValidStarkKey(uint256 starkKey) internal view override returns (bool) {
        return starkKey != 0 && StarkCurve.hasPointWithX(starkKey);
    }

    function _isStarkKeyOwner(uint256 starkKey, address account) internal view override returns (bool) {
        return account != address(0) && ethKeys[starkKey] == account;
    }
}
