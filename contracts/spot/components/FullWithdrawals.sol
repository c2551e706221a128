// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MForcedRequests} from "../../core/interfaces/MForcedRequests.sol";
import {MFreezable} from "../../core/interfaces/MFreezable.sol";
import {MKeyGetters} from "../../core/interfaces/MKeyGetters.sol";
import {FullWithdrawalKeys} from "../FullWithdrawalKeys.sol";
import {SpotStorage} from "../SpotStorage.sol";

/// @notice A full withdrawal (StarkEx Spot): the owner of a stark key asks, on L1, to withdraw a
/// whole vault; a batch must serve it (a full withdrawal of the vault, or a false one if the key
/// does not own it) within the freeze grace period, or anyone may freeze the exchange
/// (FreezeRequests.freezeRequest with fullWithdrawalKey). Only a request a batch can serve is
/// accepted: the key registered (so on the curve), the vault id a leaf of the validium tree or 2^63 + a leaf of the rollup tree. It may
/// be requested again once served.
abstract contract FullWithdrawals is SpotStorage, MFreezable, MKeyGetters, MForcedRequests {
    event LogFullWithdrawalRequest(bytes32 indexed requestKey, uint256 starkKey, uint256 vaultId);

    error VaultIdNotInTree(uint256 vaultId);

    /// The request key the batch's serving modification must name: the same words in the same order.
    function fullWithdrawalKey(uint256 starkKey, uint256 vaultId) public pure returns (bytes32) {
        return FullWithdrawalKeys.key(starkKey, vaultId);
    }

    function fullWithdrawalRequest(uint256 starkKey, uint256 vaultId, bool premiumCost)
        external
        notFrozen
        onlyStarkKeyOwner(starkKey)
    {
        if (!_isVaultInTree(vaultId)) revert VaultIdNotInTree(vaultId);
        bytes32 key = fullWithdrawalKey(starkKey, vaultId);
        _recordForcedRequest(key, premiumCost);
        emit LogFullWithdrawalRequest(key, starkKey, vaultId);
    }
}
