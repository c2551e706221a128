// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainConstants as K} from "../MainConstants.sol";
import {MainStorage} from "../MainStorage.sol";
import {MTokens} from "../interfaces/MTokens.sol";
import {IERC20Minimal} from "../../interfaces/IERC20Minimal.sol";

/// @notice Registered assets (ETH or ERC-20), their quanta, and every transfer in or out.
/// assetInfo = selector ‖ address as in StarkEx: ETH() alone, or ERC20Token(address) ‖ token.
/// assetType = keccak256(assetInfo ‖ quantum) & (2^250 - 1).
/// An ERC-20 transfer is checked against the exchange's balance before and after, as StarkEx
/// does: a token that takes a fee, or lies about what it moved, is refused rather than credited
/// with what it did not deliver.
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
        if (!_isEth(assetInfo)) {
            if (assetInfo.length != 36 || bytes4(assetInfo[:4]) != K.ERC20_SELECTOR) revert InvalidAssetInfo(assetInfo);
            if (uint256(bytes32(assetInfo[4:])) >> 160 != 0) revert InvalidAssetInfo(assetInfo);
            if (_tokenAddress(assetInfo).code.length == 0) revert InvalidAssetInfo(assetInfo);
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

    function _transferIn(uint256 assetType, uint256 quantizedAmount) internal override {
        uint256 amount = fromQuantized(assetType, quantizedAmount);
        bytes memory info = assetInfos[assetType];
        if (_isEth(info)) {
            if (msg.value != amount) revert EthTransferFailed(address(this), msg.value);
            return;
        }
        if (msg.value != 0) revert EthTransferFailed(address(this), msg.value);
        address token = _tokenAddress(info);
        uint256 before = IERC20Minimal(token).balanceOf(address(this));
        _callToken(token, abi.encodeCall(IERC20Minimal.transferFrom, (msg.sender, address(this), amount)));
        _requireMoved(token, amount, before, IERC20Minimal(token).balanceOf(address(this)));
    }

    function _transferOut(address recipient, uint256 assetType, uint256 quantizedAmount) internal override {
        uint256 amount = fromQuantized(assetType, quantizedAmount);
        bytes memory info = assetInfos[assetType];
        if (_isEth(info)) {
            (bool ok,) = recipient.call{value: amount}("");
            if (!ok) revert EthTransferFailed(recipient, amount);
            return;
        }
        address token = _tokenAddress(info);
        uint256 before = IERC20Minimal(token).balanceOf(address(this));
        _callToken(token, abi.encodeCall(IERC20Minimal.transfer, (recipient, amount)));
        _requireMoved(token, amount, IERC20Minimal(token).balanceOf(address(this)), before);
    }

    /// The exchange's balance went from `low` to `high` (in, or the reverse out) by exactly amount.
    function _requireMoved(address token, uint256 amount, uint256 low, uint256 high) private pure {
        uint256 moved = high >= low ? high - low : 0;
        if (high < low || moved != amount) revert IncorrectAmountTransferred(token, amount, moved);
    }

    /// Accepts tokens that return nothing as well as those that return true.
    function _callToken(address token, bytes memory data) private {
        (bool ok, bytes memory ret) = token.call(data);
        if (!ok || (ret.length != 0 && (ret.length != 32 || !abi.decode(ret, (bool))))) revert TokenTransferFailed(token);
    }

    function _isEth(bytes memory info) private pure returns (bool) {
        return info.length == 4 && bytes4(info) == K.ETH_SELECTOR;
    }

    function _tokenAddress(bytes memory info) private pure returns (address token) {
        assembly ("memory-safe") {
            token := mload(add(info, 36))
        }
    }
}
