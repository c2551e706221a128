// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Registered assets, their quanta, and every transfer of them in or out.
abstract contract MTokens {
    error AssetNotRegistered(uint256 assetType);

    /// Registers assetInfo (ETH() or ERC20Token(address) ‖ token) with its quantum; returns its type.
    function _registerAsset(bytes calldata assetInfo, uint256 quantum) internal virtual returns (uint256);

    function _isRegisteredAsset(uint256 assetType) internal view virtual returns (bool);

    /// Pulls exactly quantizedAmount of the asset from msg.sender (ETH: it must be msg.value).
    function _transferIn(uint256 assetType, uint256 quantizedAmount) internal virtual;

    /// Pays exactly quantizedAmount of the asset to recipient.
    function _transferOut(address recipient, uint256 assetType, uint256 quantizedAmount) internal virtual;
}
