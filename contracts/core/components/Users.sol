// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {InvalidStarkKey} from "../Errors.sol";
import {MainStorage} from "../MainStorage.sol";
import {MKeyGetters} from "../interfaces/MKeyGetters.sol";
import {StarkCurve} from "../../crypto/StarkCurve.sol";
import {StarkEcdsa} from "../../crypto/StarkEcdsa.sol";

/// @notice Binds a stark key to an eth address, as StarkEx does: the key's owner signs, with
/// ECDSA on the Stark curve, a message naming the eth address. Anyone may submit the signed
/// registration (a relayer, the operator): the signature, not msg.sender, decides the address,
/// so copying a pending registration binds the key to the address its owner chose and nothing
/// else. An unsigned form would let a front-runner bind someone else's public key to himself
/// and collect that key's withdrawals.
/// Depositing needs no registration (as in StarkEx v4): only what pays out to an eth address or
/// speaks for the key on L1 does (withdraw, deposit cancel and reclaim, forced requests).
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

    /// @param starkSignature r ‖ s ‖ y, three 32-byte big-endian words (96 bytes), StarkEx's
    /// format: (r, s) signed by the key over userRegistrationHash(ethKey, starkKey), and y the
    /// y-coordinate of the public key whose x is starkKey (so the contract checks a point instead
    /// of taking a square root).
    function registerEthAddress(address ethKey, uint256 starkKey, bytes calldata starkSignature) external {
        if (ethKey == address(0)) revert InvalidEthKey();
        address current = ethKeys[starkKey];
        if (current != address(0)) revert StarkKeyAlreadyRegistered(starkKey, current);
        if (starkSignature.length != 96) revert InvalidStarkSignatureLength(starkSignature.length);
        (uint256 r, uint256 s, uint256 y) = abi.decode(starkSignature, (uint256, uint256, uint256));
        if (starkKey == 0 || !StarkCurve.isOnCurve(starkKey, y)) revert InvalidStarkKey(starkKey);
        StarkEcdsa.requireValidSignature(userRegistrationHash(ethKey, starkKey), r, s, starkKey, y);
        ethKeys[starkKey] = ethKey;
        emit LogUserRegistered(ethKey, starkKey);
    }
}
