// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice The forced-request key of a full withdrawal of (starkKey, vaultId): the one
/// definition the request (FullWithdrawals) and the serving batch (UpdateSpotState) share.
library FullWithdrawalKeys {
    function key(uint256 starkKey, uint256 vaultId) internal pure returns (bytes32) {
        return keccak256(abi.encode(starkKey, vaultId));
    }
}
