// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Reentrancy} from "./Reentrancy.sol";
import {TestERC1155, TestERC721} from "./TestNfts.sol";

/// @notice TEST ONLY: a malicious ERC-721. While the exchange moves one of its tokens, it calls
/// back into the exchange with a prepared call (as itself).
contract ReentrantERC721 is TestERC721, Reentrancy {
    function transferFrom(address from, address to, uint256 tokenId) public override {
        _reenter();
        super.transferFrom(from, to, tokenId);
    }
}

/// @notice TEST ONLY: a malicious ERC-1155, re-entering the exchange during its transfers.
contract ReentrantERC1155 is TestERC1155, Reentrancy {
    function safeTransferFrom(address from, address to, uint256 id, uint256 amount, bytes calldata data)
        external
        override
    {
        _reenter();
        this.transferAs(from, to, id, amount, data);
    }

    /// The plain transfer, called by the token itself once it has re-entered.
    function transferAs(address from, address to, uint256 id, uint256 amount, bytes calldata) external {
        if (msg.sender != address(this)) revert NotAuthorized();
        if (balances[id][from] < amount) revert InsufficientBalance();
        balances[id][from] -= amount;
        balances[id][to] += amount;
    }
}
