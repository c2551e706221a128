// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainConstants} from "../MainConstants.sol";
import {MainStorage} from "../MainStorage.sol";
import {MDepositSlots} from "../interfaces/MDepositSlots.sol";
import {MFreezable} from "../interfaces/MFreezable.sol";
import {MKeyGetters} from "../interfaces/MKeyGetters.sol";
import {MTokens} from "../interfaces/MTokens.sol";
import {ReentrancyGuard} from "./ReentrancyGuard.sol";

/// @notice Deposits and withdrawals of the asset kinds whose asset id is not their type (StarkEx
/// Spot's): a token id of an ERC-721 or an ERC-1155, and mintable assets, minted on withdrawal.
/// Pending deposits and withdrawals are keyed by asset id (Assets has the derivations), in the
/// same slots as ETH and ERC-20 (Deposits: depositCancel works for every kind; Withdrawals).
/// A mintable asset is never deposited: it comes into being off-chain and is minted when it leaves.
abstract contract TokenIdRamping is MainStorage, MFreezable, MKeyGetters, MTokens, MDepositSlots, ReentrancyGuard {
    event LogDepositWithTokenId(
        address indexed depositor,
        uint256 indexed starkKey,
        uint256 vaultId,
        uint256 assetType,
        uint256 tokenId,
        uint256 assetId,
        uint256 quantizedAmount
    );
    event LogDepositWithTokenIdCancelReclaimed(
        uint256 indexed starkKey, uint256 vaultId, uint256 assetType, uint256 tokenId, uint256 assetId, uint256 quantizedAmount
    );
    event LogWithdrawalWithTokenIdPerformed(
        uint256 indexed starkKey, uint256 assetType, uint256 tokenId, uint256 assetId, uint256 quantizedAmount, address recipient
    );
    event LogMintWithdrawalPerformed(
        uint256 indexed starkKey, uint256 assetType, uint256 assetId, uint256 quantizedAmount, address recipient
    );

    error NothingToWithdrawWithTokenId(uint256 starkKey, uint256 assetId);
    error InvalidNftAmount(uint256 quantizedAmount);
    error UnexpectedTokenReceived(address operator);

    /// ERC-721: "NFT:"; ERC-1155: "NON_MINTABLE:" (Assets).
    function calculateAssetIdWithTokenId(uint256 assetType, uint256 tokenId) external view returns (uint256) {
        return _assetIdWithTokenId(assetType, tokenId);
    }

    function calculateMintableAssetId(uint256 assetType, bytes calldata mintingBlob) external view returns (uint256) {
        return _mintableAssetId(assetType, mintingBlob);
    }

    /// An ERC-721 token (quantizedAmount 1) or quantizedAmount units of an ERC-1155 token id.
    function depositWithTokenId(
        uint256 starkKey,
        uint256 assetType,
        uint256 tokenId,
        uint256 vaultId,
        uint256 quantizedAmount
    ) external notFrozen nonReentrant {
        uint256 assetId = _assetIdWithTokenId(assetType, tokenId);
        _requireNftAmount(assetType, quantizedAmount);
        _recordDeposit(starkKey, assetId, vaultId, quantizedAmount);
        emit LogDepositWithTokenId(msg.sender, starkKey, vaultId, assetType, tokenId, assetId, quantizedAmount);
        _transferInWithTokenId(assetType, tokenId, quantizedAmount);
    }

    /// After depositCancel(starkKey, assetId, vaultId) and DEPOSIT_CANCEL_DELAY.
    function depositWithTokenIdReclaim(uint256 starkKey, uint256 assetType, uint256 tokenId, uint256 vaultId)
        external
        onlyStarkKeyOwner(starkKey)
        nonReentrant
    {
        uint256 assetId = _assetIdWithTokenId(assetType, tokenId);
        uint256 amount = _takeReclaim(starkKey, assetId, vaultId);
        emit LogDepositWithTokenIdCancelReclaimed(starkKey, vaultId, assetType, tokenId, assetId, amount);
        _transferOutWithTokenId(msg.sender, assetType, tokenId, amount);
    }

    /// Anyone may trigger it; the key's registered eth address is paid. Allowed while frozen.
    function withdrawWithTokenId(uint256 ownerKey, uint256 assetType, uint256 tokenId) external nonReentrant {
        uint256 assetId = _assetIdWithTokenId(assetType, tokenId);
        (address recipient, uint256 amount) = _takeWithdrawal(ownerKey, assetType, assetId);
        emit LogWithdrawalWithTokenIdPerformed(ownerKey, assetType, tokenId, assetId, amount, recipient);
        _transferOutWithTokenId(recipient, assetType, tokenId, amount);
    }

    /// A mintable asset credited by a batch at its minted asset id: the token mints it to the
    /// key's registered eth address. Anyone may trigger it; allowed while frozen.
    function withdrawAndMint(uint256 ownerKey, uint256 assetType, bytes calldata mintingBlob) external nonReentrant {
        uint256 assetId = _mintableAssetId(assetType, mintingBlob);
        (address recipient, uint256 amount) = _takeWithdrawal(ownerKey, assetType, assetId);
        emit LogMintWithdrawalPerformed(ownerKey, assetType, assetId, amount, recipient);
        _transferOutMint(recipient, assetType, amount, mintingBlob);
    }

    /// ERC-1155 safe transfers into the exchange: accepted only when the exchange itself moves
    /// them (a deposit), so tokens pushed to it directly are refused rather than lost.
    function onERC1155Received(address operator, address, uint256, uint256, bytes calldata)
        external
        view
        returns (bytes4)
    {
        if (operator != address(this)) revert UnexpectedTokenReceived(operator);
        return this.onERC1155Received.selector;
    }

    /// Empties the pending withdrawal of assetId (of assetType) to the key's registered address.
    function _takeWithdrawal(uint256 ownerKey, uint256 assetType, uint256 assetId)
        private
        returns (address recipient, uint256 amount)
    {
        recipient = _ethKeyOf(ownerKey);
        amount = pendingWithdrawals[ownerKey][assetId];
        if (amount == 0) revert NothingToWithdrawWithTokenId(ownerKey, assetId);
        _requireNftAmount(assetType, amount);
        pendingWithdrawals[ownerKey][assetId] = 0;
    }

    /// An ERC-721 kind moves one token at a time.
    function _requireNftAmount(uint256 assetType, uint256 quantizedAmount) private view {
        bytes4 kind = _assetKind(assetType);
        if (MainConstants.isErc721Kind(kind) && quantizedAmount != 1) revert InvalidNftAmount(quantizedAmount);
    }
}
