// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainStorage} from "../MainStorage.sol";
import {MKeyGetters} from "../interfaces/MKeyGetters.sol";
import {InvalidStarkKey} from "../Errors.sol";
import {StarkEcdsa} from "../../crypto/StarkEcdsa.sol";

/// @notice Binds a stark key to an eth address, as StarkEx does: the key's owner signs, with
/// ECDSA on the Stark curve, a message naming the eth address. Anyone may submit the signed
/// registration (a relayer, the operator): the signature, not msg.sender, decides the address,
/// so copying a pending registration binds the key to the address its owner chose and nothing
/// else. An unsigned form would let a front-runner bind someone else's public key to himself
/// and collect that key's withdrawals.
abstract contract Users is MainStorage, MKeyGetters {
    event LogUserRegistered(address indexed ethKey, uint256 indexed starkKey);

    error InvalidEthKey();
    error InvalidStarkSignatureLength(uint256 length);
    error StarkKeyAlreadyRegistered(uint256 starkKey, address ethKey);

    function getEthKey(uint256 starkKey) external view returns (address) {
        return _ethKeyOf(starkKey);
    }

    function isValidStarkKey(uint256 starkKey) external view returns (bool) {
        return _isValidStarkKey(starkKey);
    }

    /// StarkEx's registration message, reduced modulo the curve order. ECDSA on the Stark curve
    /// signs only messages below 2^251; the rare hash in [2^251, EC_ORDER) (probability about
    /// 2^-55) cannot be signed, and registration reverts with StarkMessageHashOutOfRange.
    function userRegistrationHash(address ethKey, uint256 starkKey) public pure returns (uint256) {
        return uint256(keccak256(abi.encodePacked("UserRegistration:", ethKey, starkKey))) % StarkEcdsa.EC_ORDER;
    }

    /// @param starkSignature abi.encode(r, s), i.e. r ‖ s as two 32-byte big-endian words
    /// (64 bytes), signed by starkKey over userRegistrationHash(ethKey, starkKey). The public
    /// key's y is recovered from starkKey and both signs are accepted, as Stark ECDSA does.
    function registerEthAddress(address ethKey, uint256 starkKey, bytes calldata starkSignature) external {
        if (ethKey == address(0)) revert InvalidEthKey();
        if (!_isValidStarkKey(starkKey)) revert InvalidStarkKey(starkKey);
        address current = ethKeys[starkKey];
        if (current != address(0)) revert StarkKeyAlreadyRegistered(starkKey, current);
        if (starkSignature.length != 64) revert InvalidStarkSignatureLength(starkSignature.length);
        (uint256 r, uint256 s) = abi.decode(starkSignature, (uint256, uint256));
        StarkEcdsa.requireValidSignature(userRegistrationHash(ethKey, starkKey), r, s, starkKey);
        ethKeys[starkKey] = ethKey;
        emit LogUserRegistered(ethKey, starkKey);
    }
}
