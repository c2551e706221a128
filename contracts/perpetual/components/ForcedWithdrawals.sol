// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {InvalidQuantizedAmount, VaultIdOutOfRange} from "../../core/Errors.sol";
import {MainConstants} from "../../core/MainConstants.sol";
import {MForcedRequests} from "../../core/interfaces/MForcedRequests.sol";
import {MFreezable} from "../../core/interfaces/MFreezable.sol";
import {MKeyGetters} from "../../core/interfaces/MKeyGetters.sol";
import {ForcedActionKeys} from "../ForcedActionKeys.sol";
import {PerpetualStorage} from "../PerpetualStorage.sol";

/// @notice A forced withdrawal: the owner of a stark key asks, on L1, to withdraw collateral from
/// a position; a batch must list it (valid or not) within the freeze grace period. Every field
/// is one a batch can list: the key is registered (so on the curve), the position id and the
/// amount below 2^64. It may be requested again once served.
abstract contract ForcedWithdrawals is PerpetualStorage, MFreezable, MKeyGetters, MForcedRequests {
    event LogForcedWithdrawalRequest(
        bytes32 indexed requestKey, uint256 starkKey, uint256 positionId, uint256 quantizedAmount
    );

    function forcedWithdrawalKey(uint256 starkKey, uint256 positionId, uint256 quantizedAmount)
        external
        pure
        returns (bytes32)
    {
        return ForcedActionKeys.withdrawal(starkKey, positionId, quantizedAmount);
    }

    function forcedWithdrawalRequest(uint256 starkKey, uint256 positionId, uint256 quantizedAmount, bool premiumCost)
        external
        notFrozen
        onlyStarkKeyOwner(starkKey)
    {
        if (positionId >= MainConstants.VAULT_ID_UPPER_BOUND) revert VaultIdOutOfRange(positionId);
        if (quantizedAmount >= MainConstants.QUANTIZED_AMOUNT_UPPER_BOUND) revert InvalidQuantizedAmount(quantizedAmount);
        bytes32 key = ForcedActionKeys.withdrawal(starkKey, positionId, quantizedAmount);
        _recordForcedRequest(key, premiumCost);
        emit LogForcedWithdrawalRequest(key, starkKey, positionId, quantizedAmount);
    }
}
