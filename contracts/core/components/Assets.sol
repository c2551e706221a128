// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainConstants as K} from "../MainConstants.sol";
import {MainStorage} from "../MainStorage.sol";
import {MTokens} from "../interfaces/MTokens.sol";
import {IERC20Minimal} from "../../interfaces/IERC20Minimal.sol";
import {IERC1155Minimal, IERC721Minimal, IMintableToken} from "../../interfaces/ITokens.sol";

/// @notice Registered assets of every kind StarkEx knows, their quanta, and every transfer in or
/// out. assetInfo = selector ‖ address as in StarkEx: ETH() alone (4 bytes), or one of
/// ERC20Token(address), ERC721Token(address,uint256), ERC1155Token(address,uint256),
/// MintableERC20Token(address), MintableERC721Token(address,uint256),
/// MintableERC1155Token(address,uint256) followed by the token's address as a 32-byte word.
/// assetType = keccak256(assetInfo ‖ quantum) & (2^250 - 1); an ERC-721's quantum is 1.
/// Asset ids (what the off-chain state holds): the asset type for ETH and ERC-20; for a token id
/// of an ERC-721 keccak256("NFT:" ‖ assetType ‖ tokenId) & (2^250 - 1), of an ERC-1155 the same
/// with "NON_MINTABLE:"; for a mintable asset keccak256("MINTABLE:" ‖ assetType ‖
/// keccak256(mintingBlob)) & (2^240 - 1) | 2^250 (docs/spot/program-output.md, *Asset ids*).
/// Every transfer is checked against what the token reports before and after, as StarkEx does: a
/// token that takes a fee, or lies about what it moved, is refused rather than credited with what
/// it did not deliver. Minted tokens are the minting token's word (it was registered by the token
/// administrator).
abstract contract Assets is MainStorage, MTokens {
    event LogAssetRegistered(uint256 indexed assetType, bytes assetInfo, uint256 quantum);

    error AssetAlreadyRegistered(uint256 assetType);
    error InvalidAssetInfo(bytes assetInfo);
    error InvalidQuantum(uint256 quantum);
    error QuantizedAmountOverflow(uint256 quantizedAmount, uint256 quantum);
    error AmountNotDivisibleByQuantum(uint256 amount, uint256 quantum);
    error EthTransferFailed(address recipient, uint256 amount);
    error TokenTransferFailed(address token);
    error IncorrectAmountTransferred(address token, uint256 expected, uint256 actual);
    error NftNotTransferred(address token, uint256 tokenId, address owner);

    function calculateAssetType(bytes memory assetInfo, uint256 quantum) public pure returns (uint256) {
        return uint256(keccak256(abi.encodePacked(assetInfo, quantum))) & K.MASK_250;
    }

    function getAssetInfo(uint256 assetType) external view returns (bytes memory) {
        return assetInfos[assetType];
    }

    function getQuantum(uint256 assetType) public view returns (uint256) {
        uint256 quantum = assetQuanta[assetType];
        if (quantum == 0) revert AssetNotRegistered(assetType);
        return quantum;
    }

    function fromQuantized(uint256 assetType, uint256 quantizedAmount) public view returns (uint256) {
        uint256 quantum = getQuantum(assetType);
        if (quantizedAmount > type(uint256).max / quantum) revert QuantizedAmountOverflow(quantizedAmount, quantum);
        return quantizedAmount * quantum;
    }

    function toQuantized(uint256 assetType, uint256 amount) external view returns (uint256) {
        uint256 quantum = getQuantum(assetType);
        if (amount % quantum != 0) revert AmountNotDivisibleByQuantum(amount, quantum);
        return amount / quantum;
    }

    function _registerAsset(bytes calldata assetInfo, uint256 quantum) internal override returns (uint256 assetType) {
        if (quantum == 0 || quantum >= K.QUANTUM_UPPER_BOUND) revert InvalidQuantum(quantum);
        bytes4 selector = _selectorOf(assetInfo);
        if (selector != K.ETH_SELECTOR || assetInfo.length != 4) {
            if (assetInfo.length != 36 || !_isTokenSelector(selector)) revert InvalidAssetInfo(assetInfo);
            if (uint256(bytes32(assetInfo[4:])) >> 160 != 0) revert InvalidAssetInfo(assetInfo);
            if (_tokenAddress(assetInfo).code.length == 0) revert InvalidAssetInfo(assetInfo);
            // One ERC-721 token is one unit: a larger quantum could never be deposited.
            if (K.isErc721Kind(selector) && quantum != 1) revert InvalidQuantum(quantum);
        }
        assetType = calculateAssetType(assetInfo, quantum);
        if (assetQuanta[assetType] != 0) revert AssetAlreadyRegistered(assetType);
        assetInfos[assetType] = assetInfo;
        assetQuanta[assetType] = quantum;
        emit LogAssetRegistered(assetType, assetInfo, quantum);
    }

    function _isRegisteredAsset(uint256 assetType) internal view override returns (bool) {
        return assetQuanta[assetType] != 0;
    }

    function _assetKind(uint256 assetType) internal view override returns (bytes4) {
        if (assetQuanta[assetType] == 0) revert AssetNotRegistered(assetType);
        return _selectorOf(assetInfos[assetType]);
    }

    function _assetIdWithTokenId(uint256 assetType, uint256 tokenId) internal view override returns (uint256) {
        bytes4 kind = _assetKind(assetType);
        string memory prefix;
        if (kind == K.ERC721_SELECTOR) prefix = "NFT:";
        else if (kind == K.ERC1155_SELECTOR) prefix = "NON_MINTABLE:";
        else revert AssetKindMismatch(assetType, kind);
        return uint256(keccak256(abi.encodePacked(prefix, assetType, tokenId))) & K.MASK_250;
    }

    function _mintableAssetId(uint256 assetType, bytes calldata mintingBlob) internal view override returns (uint256) {
        bytes4 kind = _assetKind(assetType);
        if (kind != K.MINTABLE_ERC20_SELECTOR && kind != K.MINTABLE_ERC721_SELECTOR && kind != K.MINTABLE_ERC1155_SELECTOR) {
            revert AssetKindMismatch(assetType, kind);
        }
        uint256 flags = K.MINTABLE_ASSET_ID_FLAG;
        if (kind != K.MINTABLE_ERC721_SELECTOR) flags |= K.NON_UNIQUE_MINTABLE_ASSET_ID_FLAG;
        if (kind == K.MINTABLE_ERC20_SELECTOR) flags |= K.MINTABLE_ERC20_ASSET_ID_FLAG;
        uint256 blobHash = uint256(keccak256(mintingBlob));
        return (uint256(keccak256(abi.encodePacked("MINTABLE:", assetType, blobHash))) & K.MASK_240) | flags;
    }

    /// ETH or ERC-20 only (every other kind has a token id or is minted).
    function _transferIn(uint256 assetType, uint256 quantizedAmount) internal override {
        uint256 amount = fromQuantized(assetType, quantizedAmount);
        bytes memory info = assetInfos[assetType];
        bytes4 kind = _selectorOf(info);
        if (kind == K.ETH_SELECTOR) {
            if (msg.value != amount) revert EthTransferFailed(address(this), msg.value);
            return;
        }
        if (kind != K.ERC20_SELECTOR) revert AssetKindMismatch(assetType, kind);
        if (msg.value != 0) revert EthTransferFailed(address(this), msg.value);
        address token = _tokenAddress(info);
        uint256 before = IERC20Minimal(token).balanceOf(address(this));
        _callToken(token, abi.encodeCall(IERC20Minimal.transferFrom, (msg.sender, address(this), amount)));
        _requireMoved(token, amount, before, IERC20Minimal(token).balanceOf(address(this)));
    }

    /// ETH or ERC-20 only.
    function _transferOut(address recipient, uint256 assetType, uint256 quantizedAmount) internal override {
        uint256 amount = fromQuantized(assetType, quantizedAmount);
        bytes memory info = assetInfos[assetType];
        bytes4 kind = _selectorOf(info);
        if (kind == K.ETH_SELECTOR) {
            (bool ok,) = recipient.call{value: amount}("");
            if (!ok) revert EthTransferFailed(recipient, amount);
            return;
        }
        if (kind != K.ERC20_SELECTOR) revert AssetKindMismatch(assetType, kind);
        address token = _tokenAddress(info);
        uint256 before = IERC20Minimal(token).balanceOf(address(this));
        _callToken(token, abi.encodeCall(IERC20Minimal.transfer, (recipient, amount)));
        _requireMoved(token, amount, IERC20Minimal(token).balanceOf(address(this)), before);
    }

    /// ERC-721 (quantizedAmount 1) or ERC-1155, from msg.sender.
    function _transferInWithTokenId(uint256 assetType, uint256 tokenId, uint256 quantizedAmount) internal override {
        if (msg.value != 0) revert EthTransferFailed(address(this), msg.value);
        uint256 amount = fromQuantized(assetType, quantizedAmount);
        bytes memory info = assetInfos[assetType];
        bytes4 kind = _selectorOf(info);
        address token = _tokenAddress(info);
        if (kind == K.ERC721_SELECTOR) {
            _callToken(token, abi.encodeCall(IERC721Minimal.transferFrom, (msg.sender, address(this), tokenId)));
            _requireOwner(token, tokenId, address(this));
        } else if (kind == K.ERC1155_SELECTOR) {
            uint256 before = IERC1155Minimal(token).balanceOf(address(this), tokenId);
            _callToken(
                token, abi.encodeCall(IERC1155Minimal.safeTransferFrom, (msg.sender, address(this), tokenId, amount, ""))
            );
            _requireMoved(token, amount, before, IERC1155Minimal(token).balanceOf(address(this), tokenId));
        } else {
            revert AssetKindMismatch(assetType, kind);
        }
    }

    /// ERC-721 (quantizedAmount 1) or ERC-1155, to recipient (safe transfers: a contract
    /// recipient must accept them).
    function _transferOutWithTokenId(address recipient, uint256 assetType, uint256 tokenId, uint256 quantizedAmount)
        internal
        override
    {
        uint256 amount = fromQuantized(assetType, quantizedAmount);
        bytes memory info = assetInfos[assetType];
        bytes4 kind = _selectorOf(info);
        address token = _tokenAddress(info);
        if (kind == K.ERC721_SELECTOR) {
            _callToken(
                token,
                abi.encodeWithSignature("safeTransferFrom(address,address,uint256)", address(this), recipient, tokenId)
            );
            _requireOwner(token, tokenId, recipient);
        } else if (kind == K.ERC1155_SELECTOR) {
            uint256 before = IERC1155Minimal(token).balanceOf(address(this), tokenId);
            _callToken(
                token, abi.encodeCall(IERC1155Minimal.safeTransferFrom, (address(this), recipient, tokenId, amount, ""))
            );
            _requireMoved(token, amount, IERC1155Minimal(token).balanceOf(address(this), tokenId), before);
        } else {
            revert AssetKindMismatch(assetType, kind);
        }
    }

    /// A mintable asset: the token mints quantizedAmount · quantum to recipient (one, for an
    /// ERC-721), what to mint named by the blob.
    function _transferOutMint(address recipient, uint256 assetType, uint256 quantizedAmount, bytes calldata mintingBlob)
        internal
        override
    {
        uint256 amount = fromQuantized(assetType, quantizedAmount);
        bytes memory info = assetInfos[assetType];
        bytes4 kind = _selectorOf(info);
        if (kind != K.MINTABLE_ERC20_SELECTOR && kind != K.MINTABLE_ERC721_SELECTOR && kind != K.MINTABLE_ERC1155_SELECTOR) {
            revert AssetKindMismatch(assetType, kind);
        }
        _callToken(_tokenAddress(info), abi.encodeCall(IMintableToken.mintFor, (recipient, amount, mintingBlob)));
    }

    /// The exchange's balance went from `low` to `high` (in, or the reverse out) by exactly amount.
    function _requireMoved(address token, uint256 amount, uint256 low, uint256 high) private pure {
        uint256 moved = high >= low ? high - low : 0;
        if (high < low || moved != amount) revert IncorrectAmountTransferred(token, amount, moved);
    }

    function _requireOwner(address token, uint256 tokenId, address owner) private view {
        address actual = IERC721Minimal(token).ownerOf(tokenId);
        if (actual != owner) revert NftNotTransferred(token, tokenId, actual);
    }

    /// Accepts tokens that return nothing as well as those that return true.
    function _callToken(address token, bytes memory data) private {
        (bool ok, bytes memory ret) = token.call(data);
        if (!ok || (ret.length != 0 && (ret.length != 32 || !abi.decode(ret, (bool))))) revert TokenTransferFailed(token);
    }

    function _isTokenSelector(bytes4 selector) private pure returns (bool) {
        return selector == K.ERC20_SELECTOR || selector == K.ERC721_SELECTOR || selector == K.ERC1155_SELECTOR
            || selector == K.MINTABLE_ERC20_SELECTOR || selector == K.MINTABLE_ERC721_SELECTOR
            || selector == K.MINTABLE_ERC1155_SELECTOR;
    }

    /// The first 4 bytes (0 for a shorter info: no registered asset has one).
    function _selectorOf(bytes memory info) internal pure returns (bytes4 selector) {
        if (info.length < 4) return bytes4(0);
        assembly ("memory-safe") {
            selector := mload(add(info, 32))
        }
    }

    function _tokenAddress(bytes memory info) private pure returns (address token) {
        assembly ("memory-safe") {
            token := mload(add(info, 36))
        }
    }
}
