// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Stark keys and the eth addresses that registered them.
abstract contract MKeyGetters {
    error StarkKeyNotRegistered(uint256 starkKey);
    error NotStarkKeyOwner(uint256 starkKey, address caller);

    /// The eth address that registered starkKey; reverts with StarkKeyNotRegistered if none.
    function _ethKeyOf(uint256 starkKey) internal view virtual returns (address);

    /// A stark key is the x-coordinate of a Stark-curve point.
    function _isValidStarkKey(uint256 starkKey) internal view virtual returns (bool);

    function _isStarkKeyOwner(uint256 starkKey, address account) internal view virtual returns (bool);

    modifier onlyStarkKeyOwner(uint256 starkKey) {
        if (!_isStarkKeyOwner(starkKey, msg.sender)) revert NotStarkKeyOwner(starkKey, msg.sender);
        _;
    }
}
