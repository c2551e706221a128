// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

// Slots MainStorage occupies, its gap included: an application's storage starts at this slot.
uint256 constant MAIN_STORAGE_SLOTS = 128;

/// @notice The state every StarkEx-style application shares (Perpetual now, Spot later), in one
/// place: governance, operators, what a proof means (verifier chains, program hash), the freeze,
/// assets, users, deposits, withdrawals, forced requests, the batch counters and the escape
/// markers. Components never declare storage of their own, and every variable is internal: its
/// getter lives in exactly one component, so each selector belongs to one sub-contract.
/// The layout is fixed behind the upgrade proxy: new variables go at the end, taking their slot
/// from __gap, so an application's own storage (which follows) never moves.
abstract contract MainStorage {
    // Governance.
    mapping(address => bool) internal governors;
    mapping(address => bool) internal governorCandidates;
    mapping(address => bool) internal operators;

    // Timelocked configuration: change id => earliest time it may be applied (0: not announced).
    mapping(bytes32 => uint256) internal announcedChanges;
    address[] internal verifierChain;
    address[] internal availabilityVerifiers;
    uint256 internal currentProgramHash;
    uint256 internal availabilityMode;

    // Freeze: since when (0: not frozen), and when governance last unfroze (0: never).
    bool internal stateFrozen;
    uint256 internal frozenAt;
    uint256 internal unfrozenAt;

    // Assets: asset type => asset info (selector ‖ address) / quantum (0: not registered).
    mapping(uint256 => bytes) internal assetInfos;
    mapping(uint256 => uint256) internal assetQuanta;

    // Users: stark key => eth address that registered it.
    mapping(uint256 => address) internal ethKeys;

    // Deposits: starkKey => assetType => vault (position) id => quantized amount / cancellation time.
    mapping(uint256 => mapping(uint256 => mapping(uint256 => uint256))) internal pendingDeposits;
    mapping(uint256 => mapping(uint256 => mapping(uint256 => uint256))) internal depositCancellations;

    // Withdrawals: starkKey => assetType => quantized amount.
    mapping(uint256 => mapping(uint256 => uint256)) internal pendingWithdrawals;

    // Forced requests: request key => request time, 0 (none pending) or SERVED (a one-shot request
    // that a batch served); block number => ordinary requests in that block.
    mapping(bytes32 => uint256) internal forcedRequests;
    mapping(uint256 => uint256) internal forcedRequestsInBlock;

    // Batches.
    uint256 internal batchSequenceNumber;
    uint256 internal lastAcceptedBatchId;

    // Escapes: the verifier, the vaults (positions) that escaped, and how many did.
    address internal escapeVerifierContract;
    mapping(uint256 => bool) internal escapesUsed;
    uint256 internal escapeCount;

    bool internal initialized;

    uint256[MAIN_STORAGE_SLOTS - 25] private __gap;
}
