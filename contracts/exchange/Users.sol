// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Assets} from "./Assets.sol";
import {StarkField} from "../escape/StarkField.sol";

/// @notice Binds a stark key to the eth address that registers it. The direct form (the
/// key's owner sends the transaction) replaces StarkEx's stark-signature form: it proves
/// control of the eth address, and the on-curve check rejects keys no one can sign for.
abstract contract Users is Assets {
    event LogUserRegistered(address indexed ethKey, uint256 indexed starkKey);

    error InvalidStarkKey(uint256 starkKey);
    error StarkKeyAlreadyRegistered(uint256 starkKey, address ethKey);
    error StarkKeyNotRegistered(uint256 starkKey);
    error NotStarkKeyOwner(uint256 starkKey, address caller);

    modifier onlyStarkKeyOwner(uint256 starkKey) {
        if (ethKeys[starkKey] != msg.sender) revert NotStarkKeyOwner(starkKey, msg.sender);
        _;
    }

    function getEthKey(uint256 starkKey) public view returns (address ethKey) {
        ethKey = ethKeys[starkKey];
        if (ethKey == address(0)) revert StarkKeyNotRegistered(starkKey);
    }

    function isValidStarkKey(uint256 starkKey) public view returns (bool) {
        return starkKey != 0 && StarkField.isOnCurve(starkKey);
    }

    function registerStarkKey(uint256 starkKey) external {
        if (!isValidStarkKey(starkKey)) revert InvalidStarkKey(starkKey);
        address current = ethKeys[starkKey];
        if (current != address(0)) revert StarkKeyAlreadyRegistered(starkKey, current);
        ethKeys[starkKey] = msg.sender;
        emit LogUserRegistered(msg.sender, starkKey);
    }
}
