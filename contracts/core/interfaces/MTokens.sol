// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Registered assets, their quanta, their asset ids, and every transfer of them in or out
/// (core/components/Assets.sol has the formats).
abstract contract MTokens {
    error AssetNotRegistered(uint256 assetType);
    error AssetKindMismatch(uint256 assetType, bytes4 kind);

    /// Registers assetInfo (selector ‖ token address, or ETH() alone) with its quantum; returns
    /// its type.
    function _registerAsset(bytes calldata assetInfo, uint256 quantum) internal virtual returns (uint256);

    function _isRegisteredAsset(uint256 assetType) internal view virtual returns (bool);

    /// The asset's kind: the selector its asset info starts with; reverts if not registered.
    function _assetKind(uint256 assetType) internal view virtual returns (bytes4);

    /// The asset id of token tokenId of an ERC-721 or ERC-1155 asset type.
    function _assetIdWithTokenId(uint256 assetType, uint256 tokenId) internal view virtual returns (uint256);

    /// The asset id that a mintable asset type mints from mintingBlob.
    function _mintableAssetId(uint256 assetType, bytes calldata mintingBlob) internal view virtual returns (uint256);

    /// Pulls exactly quantizedAmount of an ETH or ERC-20 asset from msg.sender (ETH: msg.value).
    function _transferIn(uint256 assetType, uint256 quantizedAmount) internal virtual;

    /// Pays exactly quantizedAmount of an ETH or ERC-20 asset to recipient.
    function _transferOut(address recipient, uint256 assetType, uint256 quantizedAmount) internal virtual;

    /// Pulls token tokenId (ERC-721: quantizedAmount 1) of an ERC-721 or ERC-1155 asset from msg.sender.
    function _transferInWithTokenId(uint256 assetType, uint256 tokenId, uint256 quantizedAmount) internal virtual;

    /// Pays token tokenId of an ERC-721 or ERC-1155 asset to recipient.
    function _transferOutWithTokenId(address recipient, uint256 assetType, uint256 tokenId, uint256 quantizedAmount)
        internal
        virtual;

    /// Mints quantizedAmount of a mintable asset, named by mintingBlob, to recipient.
    function _transferOutMint(address recipient, uint256 assetType, uint256 quantizedAmount, bytes calldata mintingBlob)
        internal
        virtual;
}
