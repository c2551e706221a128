// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

interface IForcedWithdrawals {
    function forcedWithdrawalRequest(uint256 starkKey, uint256 positionId, uint256 quantizedAmount, bool premiumCost)
        external;
}

/// @notice TEST ONLY: sends many forced requests in one transaction, to exercise the per-block
/// cap (which separate test transactions, one block each, cannot reach). The key must be
/// registered to this contract's address first (a signed registerEthAddress naming it).
contract ForcedRequestBurst {
    /// Requests positions firstPositionId .. firstPositionId + count - 1 of one key; the last
    /// nPremium of them pay the premium.
    function burst(IForcedWithdrawals exchange, uint256 starkKey, uint256 firstPositionId, uint256 count, uint256 nPremium)
        external
    {
        for (uint256 i = 0; i < count; i++) {
            exchange.forcedWithdrawalRequest(starkKey, firstPositionId + i, 1, i + nPremium >= count);
        }
    }
}
