// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

interface IERC721ReceiverT {
    function onERC721Received(address operator, address from, uint256 tokenId, bytes calldata data)
        external
        returns (bytes4);
}

interface IERC1155ReceiverT {
    function onERC1155Received(address operator, address from, uint256 id, uint256 value, bytes calldata data)
        external
        returns (bytes4);
}

/// @notice TEST ONLY: a plain ERC-721 anyone can mint, with the receiver check of safeTransferFrom.
contract TestERC721 {
    mapping(uint256 => address) public ownerOf;
    mapping(uint256 => address) public getApproved;
    mapping(address => mapping(address => bool)) public isApprovedForAll;

    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);

    error NotAuthorized();
    error UnsafeRecipient();

    function mint(address to, uint256 tokenId) public {
        if (ownerOf[tokenId] != address(0)) revert NotAuthorized();
        ownerOf[tokenId] = to;
        emit Transfer(address(0), to, tokenId);
    }

    function approve(address spender, uint256 tokenId) external {
        if (ownerOf[tokenId] != msg.sender) revert NotAuthorized();
        getApproved[tokenId] = spender;
    }

    function setApprovalForAll(address operator, bool approved) external {
        isApprovedForAll[msg.sender][operator] = approved;
    }

    function transferFrom(address from, address to, uint256 tokenId) public virtual {
        if (ownerOf[tokenId] != from) revert NotAuthorized();
        if (msg.sender != from && getApproved[tokenId] != msg.sender && !isApprovedForAll[from][msg.sender]) {
            revert NotAuthorized();
        }
        ownerOf[tokenId] = to;
        delete getApproved[tokenId];
        emit Transfer(from, to, tokenId);
    }

    function safeTransferFrom(address from, address to, uint256 tokenId) external {
        transferFrom(from, to, tokenId);
        if (
            to.code.length != 0
                && IERC721ReceiverT(to).onERC721Received(msg.sender, from, tokenId, "")
                    != IERC721ReceiverT.onERC721Received.selector
        ) revert UnsafeRecipient();
    }
}

/// @notice TEST ONLY: a plain ERC-1155 anyone can mint, with the receiver check of safeTransferFrom.
contract TestERC1155 {
    mapping(uint256 => mapping(address => uint256)) internal balances;
    mapping(address => mapping(address => bool)) public isApprovedForAll;

    error NotAuthorized();
    error InsufficientBalance();
    error UnsafeRecipient();

    function balanceOf(address account, uint256 id) external view returns (uint256) {
        return balances[id][account];
    }

    function mint(address to, uint256 id, uint256 amount) public {
        balances[id][to] += amount;
    }

    function setApprovalForAll(address operator, bool approved) external {
        isApprovedForAll[msg.sender][operator] = approved;
    }

    function safeTransferFrom(address from, address to, uint256 id, uint256 amount, bytes calldata data) external virtual {
        if (msg.sender != from && !isApprovedForAll[from][msg.sender]) revert NotAuthorized();
        if (balances[id][from] < amount) revert InsufficientBalance();
        balances[id][from] -= amount;
        balances[id][to] += amount;
        if (
            to.code.length != 0
                && IERC1155ReceiverT(to).onERC1155Received(msg.sender, from, id, amount, data)
                    != IERC1155ReceiverT.onERC1155Received.selector
        ) revert UnsafeRecipient();
    }
}

/// @notice TEST ONLY: mintable tokens (StarkEx's mintFor(to, amount, mintingBlob)); the blob names
/// the token id (its first word) for the ERC-721 and ERC-1155 kinds. Only the exchange set at
/// construction may mint, as a real mintable token would require.
abstract contract MintedBy {
    address public immutable minter;

    event Minted(address indexed to, uint256 amount, bytes mintingBlob);

    error NotMinter(address caller);

    constructor(address minter_) {
        minter = minter_;
    }

    modifier onlyMinter() {
        if (msg.sender != minter) revert NotMinter(msg.sender);
        _;
    }
}

contract TestMintableERC20 is MintedBy {
    mapping(address => uint256) public balanceOf;

    constructor(address minter_) MintedBy(minter_) {}

    function mintFor(address to, uint256 amount, bytes calldata mintingBlob) external onlyMinter {
        balanceOf[to] += amount;
        emit Minted(to, amount, mintingBlob);
    }
}

contract TestMintableERC721 is TestERC721, MintedBy {
    constructor(address minter_) MintedBy(minter_) {}

    function mintFor(address to, uint256 amount, bytes calldata mintingBlob) external onlyMinter {
        if (amount != 1) revert NotAuthorized();
        mint(to, abi.decode(mintingBlob, (uint256)));
        emit Minted(to, amount, mintingBlob);
    }
}

contract TestMintableERC1155 is TestERC1155, MintedBy {
    constructor(address minter_) MintedBy(minter_) {}

    function mintFor(address to, uint256 amount, bytes calldata mintingBlob) external onlyMinter {
        mint(to, abi.decode(mintingBlob, (uint256)), amount);
        emit Minted(to, amount, mintingBlob);
    }
}
