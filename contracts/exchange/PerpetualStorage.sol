// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Every state variable of the exchange, in one place, so that components never
/// declare storage of their own and the layout stays stable behind the upgrade proxy.
/// New variables go at the end only.
abstract contract PerpetualStorage {
    bool internal initialized;

    // Governance.
    mapping(address => bool) internal governors;
    mapping(address => bool) internal governorCandidates;
    mapping(address => bool) internal operators;

    // Timelocked configuration: change id => earliest time it may be applied (0: not announced).
    mapping(bytes32 => uint256) internal announcedChanges;
    address[] internal verifierChain;
    address[] internal availabilityVerifiers;
    uint256 public programHash;
    uint256 public globalConfigHash;
    uint256 public dataAvailabilityMode;

    bool public frozen;

    // Assets: the one collateral asset of the Perpetual exchange.
    uint256 public collateralAssetType;
    mapping(uint256 => bytes) internal assetInfos;
    mapping(uint256 => uint256) internal assetQuanta;

    // Users: stark key => eth address that registered it.
    mapping(uint256 => address) internal ethKeys;

    // Deposits: starkKey => assetId => positionId => quantized amount / cancellation time.
    mapping(uint256 => mapping(uint256 => mapping(uint256 => uint256))) internal pendingDeposits;
    mapping(uint256 => mapping(uint256 => mapping(uint256 => uint256))) internal depositCancellations;

    // Withdrawals: starkKey => assetId => quantized amount.
    mapping(uint256 => mapping(uint256 => uint256)) internal pendingWithdrawals;

    // Forced actions: request key => request time (0: none pending); block => requests in it.
    mapping(bytes32 => uint256) internal forcedRequests;
    mapping(uint256 => uint256) internal forcedRequestsInBlock;

    // Batches.
    uint256 public sharedStateHash;
    uint256 public positionsRoot;
    uint256 public positionsHeight;
    uint256 public sequenceNumber;
    uint256 public lastBatchId;

    // Escape.
    address public escapeVerifier;
    mapping(uint256 => bool) internal escapedPositions;

    // Freeze: when governance last unfroze (0: never); forced requests count from here at the earliest.
    uint256 public lastUnfreezeTime;
}
