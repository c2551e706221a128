// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MGovernance} from "../../core/interfaces/MGovernance.sol";
import {MTimelocks} from "../../core/interfaces/MTimelocks.sol";
import {PerpetualStorage} from "../PerpetualStorage.sol";

/// @notice The general config hash a batch must state (it pins every setting the program
/// trusts), changed as a timelocked change.
abstract contract PerpetualConfiguration is PerpetualStorage, MGovernance, MTimelocks {
    bytes32 internal constant GLOBAL_CONFIG_HASH = "GLOBAL_CONFIG_HASH";

    event LogGlobalConfigHashSet(uint256 globalConfigHash);

    function globalConfigHash() external view returns (uint256) {
        return globalConfigurationHash;
    }

    function announceGlobalConfigHash(uint256 newHash) external onlyGovernance {
        _announceChange(GLOBAL_CONFIG_HASH, abi.encode(newHash));
    }

    function applyGlobalConfigHash(uint256 newHash) external onlyGovernance {
        _consumeChange(GLOBAL_CONFIG_HASH, abi.encode(newHash));
        _setGlobalConfigHash(newHash);
    }

    function _setGlobalConfigHash(uint256 newHash) internal {
        globalConfigurationHash = newHash;
        emit LogGlobalConfigHashSet(newHash);
    }
}
