// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {BatchFacts} from "../../core/components/BatchFacts.sol";
import {MainConstants} from "../../core/MainConstants.sol";
import {OutputWords} from "../../core/libraries/OutputWords.sol";
import {MDeposits} from "../../core/interfaces/MDeposits.sol";
import {MForcedRequests} from "../../core/interfaces/MForcedRequests.sol";
import {MFreezable} from "../../core/interfaces/MFreezable.sol";
import {MOperator} from "../../core/interfaces/MOperator.sol";
import {MWithdrawals} from "../../core/interfaces/MWithdrawals.sol";
import {SpotOutput as O} from "../SpotOutput.sol";
import {SpotStorage} from "../SpotStorage.sol";
import {FullWithdrawalKeys} from "../FullWithdrawalKeys.sol";

/// @notice Accepts a Spot batch (docs/spot/program-output.md; SpotOutput has the offsets): the
/// global config code the configured one, the previous roots and every tree height equal to the
/// stored ones, the global expiration a future hour below 2^32, every word a field element, the
/// fact of the output in every registry of the verifier chain and (validium) the committee's
/// availability fact over the validium root; then applies each modification — a positive balance
/// change consumes a pending deposit, a negative one credits a withdrawal at the asset id, and the
/// full withdrawal bit serves a pending full withdrawal request of (stark key, vault id) — and
/// checks each conditional transfer's condition. Every loop runs over the output, constant work
/// each.
abstract contract UpdateSpotState is
    SpotStorage,
    BatchFacts,
    MOperator,
    MFreezable,
    MDeposits,
    MWithdrawals,
    MForcedRequests
{
    event LogRootUpdate(
        uint256 sequenceNumber, uint256 batchId, uint256 validiumVaultRoot, uint256 rollupVaultRoot, uint256 orderRoot
    );

    error GlobalConfigCodeMismatch(uint256 inOutput, uint256 configured);
    error VaultRootMismatch(uint256 inOutput, uint256 stored);
    error OrderRootMismatch(uint256 inOutput, uint256 stored);
    error TreeHeightChanged(uint256 stored, uint256 inOutput);
    error ExpirationTimestampInPast(uint256 globalExpirationHours);
    error ExpirationTimestampOutOfRange(uint256 globalExpirationHours);
    error InvalidModification(uint256 index);

    function getValidiumVaultRoot() external view returns (uint256) {
        return validiumVaultRoot;
    }

    function getRollupVaultRoot() external view returns (uint256) {
        return rollupVaultRoot;
    }

    function getOrderRoot() external view returns (uint256) {
        return orderRoot;
    }

    /// (validium vault tree, rollup vault tree, order tree)
    function getTreeHeights() external view returns (uint256, uint256, uint256) {
        return (validiumVaultTreeHeight, rollupVaultTreeHeight, orderTreeHeight);
    }

    function getGlobalConfigCode() external view returns (uint256) {
        return globalConfigCode;
    }

    function updateState(uint256[] calldata programOutput, uint256[] calldata applicationData)
        external
        onlyOperator
        notFrozen
    {
        uint256 conditionsAt = O.conditionsOffset(programOutput);
        OutputWords.requireFieldElements(programOutput);
        if (programOutput[O.GLOBAL_CONFIG_CODE] != globalConfigCode) {
            revert GlobalConfigCodeMismatch(programOutput[O.GLOBAL_CONFIG_CODE], globalConfigCode);
        }
        _checkAndStoreRoots(programOutput);
        uint256 nConditions = programOutput[O.N_CONDITIONAL_TRANSFERS];
        _checkBatchIds(applicationData, nConditions);
        _checkFact(programOutput);
        if (availabilityMode == MainConstants.DATA_AVAILABILITY_VALIDIUM) {
            _checkAvailability(validiumVaultRoot, validiumVaultTreeHeight, orderRoot, orderTreeHeight);
        }
        _checkConditions(programOutput, applicationData, conditionsAt, nConditions);
        _applyModifications(programOutput);
        emit LogRootUpdate(batchSequenceNumber, lastAcceptedBatchId, validiumVaultRoot, rollupVaultRoot, orderRoot);
    }

    function _checkAndStoreRoots(uint256[] calldata output) private {
        _requireEqual(output[O.INITIAL_VALIDIUM_VAULT_ROOT], validiumVaultRoot);
        _requireEqual(output[O.INITIAL_ROLLUP_VAULT_ROOT], rollupVaultRoot);
        if (output[O.INITIAL_ORDER_ROOT] != orderRoot) revert OrderRootMismatch(output[O.INITIAL_ORDER_ROOT], orderRoot);
        _requireHeight(output[O.VALIDIUM_VAULT_TREE_HEIGHT], validiumVaultTreeHeight);
        _requireHeight(output[O.ROLLUP_VAULT_TREE_HEIGHT], rollupVaultTreeHeight);
        _requireHeight(output[O.ORDER_TREE_HEIGHT], orderTreeHeight);
        uint256 expiration = output[O.GLOBAL_EXPIRATION_TIMESTAMP];
        // Expiration is in hours: a transaction whose hour is the current one has expired.
        if (expiration <= block.timestamp / 1 hours) revert ExpirationTimestampInPast(expiration);
        if (expiration >= 2 ** 32) revert ExpirationTimestampOutOfRange(expiration);
        validiumVaultRoot = output[O.FINAL_VALIDIUM_VAULT_ROOT];
        rollupVaultRoot = output[O.FINAL_ROLLUP_VAULT_ROOT];
        orderRoot = output[O.FINAL_ORDER_ROOT];
        batchSequenceNumber += 1;
    }

    function _requireEqual(uint256 inOutput, uint256 stored) private pure {
        if (inOutput != stored) revert VaultRootMismatch(inOutput, stored);
    }

    function _requireHeight(uint256 inOutput, uint256 stored) private pure {
        if (inOutput != stored) revert TreeHeightChanged(stored, inOutput);
    }

    function _applyModifications(uint256[] calldata output) private {
        uint256 n = output[O.N_MODIFICATIONS];
        for (uint256 i = 0; i < n; i++) {
            uint256 at = O.HEADER_SIZE + O.WORDS_PER_MODIFICATION * i;
            uint256 starkKey = output[at];
            uint256 assetId = output[at + 1];
            uint256 action = output[at + 2];
            uint256 vaultId = (action >> 64) & (2 ** 64 - 1);
            if (action >> 129 != 0 || !_isVaultInTree(vaultId)) revert InvalidModification(i);
            uint256 biasedDiff = action & (2 ** 64 - 1);
            if (biasedDiff > O.BALANCE_BIAS) {
                _consumeDeposit(starkKey, assetId, vaultId, biasedDiff - O.BALANCE_BIAS);
            } else if (biasedDiff < O.BALANCE_BIAS) {
                _allowWithdrawal(starkKey, assetId, O.BALANCE_BIAS - biasedDiff);
            }
            if ((action >> 128) & 1 == 1) {
                _serveForcedRequest(FullWithdrawalKeys.key(starkKey, vaultId), false);
            }
        }
    }
}
