// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

interface IForcedWithdrawals {
    function forcedWithdrawalRequest(uint256 starkKey, uint256 positionId, uint256 quantizedAmount, bool premiumCost)
        external;
}

/// @notice TEST ONLY: sends many forced requests in one transaction, to exercise the per-block
/// cap (which separate test transactions, one block each, cannot reach). The keys must be
/// registered to this contract's address first (a signed registerEthAddress naming it).
contract ForcedRequestBurst {
    function burst(IForcedWithdrawals exchange, uint256[] calldata starkKeys, bool premiumCost) external {
        for (uint256 i = 0; i < starkKeys.length; i++) {
            exchange.forcedWithdrawalRequest(starkKeys[i], 1, 1, premiumCost);
        }
    }
}
