// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice The parts of ERC-721 and ERC-1155 the exchange uses.
interface IERC721Minimal {
    function ownerOf(uint256 tokenId) external view returns (address);
    function transferFrom(address from, address to, uint256 tokenId) external;
    function safeTransferFrom(address from, address to, uint256 tokenId) external;
}

interface IERC1155Minimal {
    function balanceOf(address account, uint256 id) external view returns (uint256);
    function safeTransferFrom(address from, address to, uint256 id, uint256 amount, bytes calldata data) external;
}

/// @notice A token the exchange mints on withdrawal (StarkEx's mintable assets): the token
/// derives what to mint (an ERC-721's token id, an ERC-1155's id) from the minting blob.
interface IMintableToken {
    function mintFor(address to, uint256 amount, bytes calldata mintingBlob) external;
}
