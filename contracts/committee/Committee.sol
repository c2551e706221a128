// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IFactRegistry} from "../interfaces/IFactRegistry.sol";

/// @notice The data-availability committee of a validium: a fact (the new roots of a batch)
/// becomes valid once at least `threshold` distinct members signed it. Members sign the
/// EIP-191 message of the 32-byte fact ("\x19Ethereum Signed Message:\n32" ‖ fact), so any
/// standard eth wallet can sign. Signatures are 65 bytes r ‖ s ‖ v each, concatenated in
/// strictly increasing signer address order: distinctness without a quadratic check.
contract Committee is IFactRegistry {
    uint256 internal constant SECP256K1_HALF_ORDER =
        0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    mapping(address => bool) public isMember;
    uint256 public immutable memberCount;
    uint256 public immutable threshold;
    mapping(bytes32 => bool) private facts;

    event LogMemberAdded(address indexed member);
    event LogAvailabilityFactRegistered(bytes32 indexed fact, uint256 sequenceNumber, uint256 signers);

    error InvalidThreshold(uint256 threshold, uint256 members);
    error InvalidMember(address member);
    error InvalidSignaturesLength(uint256 length);
    error NotEnoughSignatures(uint256 given, uint256 threshold);
    error TooManySignatures(uint256 given, uint256 members);
    error InvalidCommitteeSignature(uint256 index);
    error NotAMember(address signer);
    error SignersNotIncreasing(address signer);

    constructor(address[] memory members, uint256 threshold_) {
        if (threshold_ == 0 || threshold_ > members.length) revert InvalidThreshold(threshold_, members.length);
        for (uint256 i = 0; i < members.length; i++) {
            address m = members[i];
            if (m == address(0) || isMember[m]) revert InvalidMember(m);
            isMember[m] = true;
            emit LogMemberAdded(m);
        }
        memberCount = members.length;
        threshold = threshold_;
    }

    function availabilityFact(
        uint256 positionsRoot,
        uint256 positionsHeight,
        uint256 ordersRoot,
        uint256 ordersHeight,
        uint256 sequenceNumber
    ) public pure returns (bytes32) {
        return keccak256(abi.encodePacked(positionsRoot, positionsHeight, ordersRoot, ordersHeight, sequenceNumber));
    }

    function signedDigest(bytes32 fact) public pure returns (bytes32) {
        return keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", fact));
    }

    function registerAvailabilityFact(
        uint256 positionsRoot,
        uint256 positionsHeight,
        uint256 ordersRoot,
        uint256 ordersHeight,
        uint256 sequenceNumber,
        bytes calldata signatures
    ) external {
        if (signatures.length % 65 != 0) revert InvalidSignaturesLength(signatures.length);
        uint256 n = signatures.length / 65;
        if (n < threshold) revert NotEnoughSignatures(n, threshold);
        if (n > memberCount) revert TooManySignatures(n, memberCount);
        bytes32 fact = availabilityFact(positionsRoot, positionsHeight, ordersRoot, ordersHeight, sequenceNumber);
        bytes32 digest = signedDigest(fact);
        address previous = address(0);
        for (uint256 i = 0; i < n; i++) {
            address signer = _recover(digest, signatures[i * 65:(i + 1) * 65], i);
            if (!isMember[signer]) revert NotAMember(signer);
            if (signer <= previous) revert SignersNotIncreasing(signer);
            previous = signer;
        }
        facts[fact] = true;
        emit LogAvailabilityFactRegistered(fact, sequenceNumber, n);
    }

    function isValid(bytes32 fact) external view override returns (bool) {
        return facts[fact];
    }

    function _recover(bytes32 digest, bytes calldata sig, uint256 index) private pure returns (address signer) {
        bytes32 r = bytes32(sig[0:32]);
        bytes32 s = bytes32(sig[32:64]);
        uint8 v = uint8(sig[64]);
        if (uint256(s) > SECP256K1_HALF_ORDER || (v != 27 && v != 28)) revert InvalidCommitteeSignature(index);
        signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert InvalidCommitteeSignature(index);
    }
}
