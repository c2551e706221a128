// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

interface IForcedWithdrawals {
    function registerStarkKey(uint256 starkKey) external;
    function forcedWithdrawalRequest(uint256 starkKey, uint256 positionId, uint256 quantizedAmount, bool premiumCost)
        external;
}

/// @notice TEST ONLY: registers keys and sends many forced requests in one transaction, to
/// exercise the per-block cap (which separate test transactions, one block each, cannot reach).
contract ForcedRequestBurst {
    function burst(IForcedWithdrawals exchange, uint256[] calldata starkKeys, bool premiumCost) external {
        for (uint256 i = 0; i < starkKeys.length; i++) {
            exchange.registerStarkKey(starkKeys[i]);
            exchange.forcedWithdrawalRequest(starkKeys[i], 1, 1, premiumCost);
        }
    }
}
