// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IFactRegistry} from "../interfaces/IFactRegistry.sol";

/// @notice DEVELOPMENT ONLY: a fact registry whose facts are written by its deployer, with no proof.
/// It stands in for the STARK verifier on the local node until the prover covers the batch
/// program, and refuses to exist anywhere else: the constructor reverts on any chain id but
/// the local node's.
contract LocalDevFactRegistry is IFactRegistry {
    uint256 public constant LOCAL_CHAIN_ID = 31337;

    address public immutable deployer;
    mapping(bytes32 => bool) private facts;

    event FactRegistered(bytes32 indexed fact);

    error OnlyLocalChain(uint256 chainId);
    error OnlyDeployer(address caller);

    constructor() {
        if (block.chainid != LOCAL_CHAIN_ID) revert OnlyLocalChain(block.chainid);
        deployer = msg.sender;
    }

    function registerFact(bytes32 fact) external {
        if (msg.sender != deployer) revert OnlyDeployer(msg.sender);
        facts[fact] = true;
        emit FactRegistered(fact);
    }

    function isValid(bytes32 fact) external view override returns (bool) {
        return facts[fact];
    }
}
