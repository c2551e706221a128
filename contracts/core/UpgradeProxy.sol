// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MainConstants} from "./MainConstants.sol";

/// @notice A minimal ERC-1967 proxy whose upgrades wait UPGRADE_DELAY after being announced,
/// so users can leave (forced requests, escape) before code they did not agree to runs: the
/// delay is longer than the freeze grace period (MainConstants), and no upgrade is applied while
/// the exchange is frozen, so once users froze it the escape hatch cannot be replaced.
/// The constructor initializes the implementation in the same transaction (init data is
/// required), so no one can initialize the exchange before its deployer.
/// Its own functions carry a `proxy` prefix to stay clear of the exchange's selectors; every
/// other call is delegated to the implementation. The admin (the exchange's governance) is
/// changed in two steps.
contract UpgradeProxy {
    /// ERC-1967: bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1) and ".admin".
    bytes32 internal constant IMPLEMENTATION_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
    bytes32 internal constant ADMIN_SLOT = 0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103;
    /// bytes32(uint256(keccak256("starkex-rollup.proxy.pendingAdmin")) - 1)
    bytes32 internal constant PENDING_ADMIN_SLOT = bytes32(uint256(keccak256("starkex-rollup.proxy.pendingAdmin")) - 1);
    /// Base slot of the mapping upgrade id => earliest time it may be applied.
    bytes32 internal constant UPGRADES_SLOT = bytes32(uint256(keccak256("starkex-rollup.proxy.upgrades")) - 1);
    /// MainConstants.CONFIGURATION_DELAY: an upgrade changes what a proof means, and more.
    uint256 public constant UPGRADE_DELAY = MainConstants.CONFIGURATION_DELAY;

    event Upgraded(address indexed implementation);
    event AdminChanged(address previousAdmin, address newAdmin);
    event LogAdminNominated(address indexed candidate);
    event LogUpgradeAnnounced(address indexed implementation, bytes initData, uint256 readyAt);
    event LogUpgradeCancelled(address indexed implementation, bytes initData);

    error NotProxyAdmin(address caller);
    error NotPendingAdmin(address caller);
    error NotAContract(address implementation);
    error UpgradeNotAnnounced(bytes32 upgradeId);
    error UpgradeAlreadyAnnounced(bytes32 upgradeId);
    error UpgradeNotReady(uint256 readyAt);
    error InitializationRequired();
    error UpgradeWhileFrozen();

    modifier onlyProxyAdmin() {
        if (msg.sender != _load(ADMIN_SLOT)) revert NotProxyAdmin(msg.sender);
        _;
    }

    constructor(address implementation, address admin, bytes memory initData) {
        if (initData.length == 0) revert InitializationRequired();
        _store(ADMIN_SLOT, admin);
        emit AdminChanged(address(0), admin);
        _setImplementation(implementation, initData);
    }

    function proxyImplementation() external view returns (address) {
        return _load(IMPLEMENTATION_SLOT);
    }

    function proxyAdmin() external view returns (address) {
        return _load(ADMIN_SLOT);
    }

    function proxyUpgradeReadyAt(address implementation, bytes calldata initData) external view returns (uint256) {
        return _readyAt(_upgradeId(implementation, initData));
    }

    function proxyNominateAdmin(address candidate) external onlyProxyAdmin {
        _store(PENDING_ADMIN_SLOT, candidate);
        emit LogAdminNominated(candidate);
    }

    function proxyAcceptAdmin() external {
        if (msg.sender != _load(PENDING_ADMIN_SLOT) || msg.sender == address(0)) revert NotPendingAdmin(msg.sender);
        emit AdminChanged(_load(ADMIN_SLOT), msg.sender);
        _store(ADMIN_SLOT, msg.sender);
        _store(PENDING_ADMIN_SLOT, address(0));
    }

    function proxyAnnounceUpgrade(address implementation, bytes calldata initData) external onlyProxyAdmin {
        if (implementation.code.length == 0) revert NotAContract(implementation);
        bytes32 id = _upgradeId(implementation, initData);
        if (_readyAt(id) != 0) revert UpgradeAlreadyAnnounced(id);
        uint256 readyAt = block.timestamp + UPGRADE_DELAY;
        _setReadyAt(id, readyAt);
        emit LogUpgradeAnnounced(implementation, initData, readyAt);
    }

    function proxyCancelUpgrade(address implementation, bytes calldata initData) external onlyProxyAdmin {
        bytes32 id = _upgradeId(implementation, initData);
        if (_readyAt(id) == 0) revert UpgradeNotAnnounced(id);
        _setReadyAt(id, 0);
        emit LogUpgradeCancelled(implementation, initData);
    }

    function proxyUpgrade(address implementation, bytes calldata initData) external onlyProxyAdmin {
        bytes32 id = _upgradeId(implementation, initData);
        uint256 readyAt = _readyAt(id);
        if (readyAt == 0) revert UpgradeNotAnnounced(id);
        if (block.timestamp < readyAt) revert UpgradeNotReady(readyAt);
        if (_isFrozen()) revert UpgradeWhileFrozen();
        _setReadyAt(id, 0);
        _setImplementation(implementation, initData);
    }

    fallback() external payable {
        _delegate();
    }

    receive() external payable {
        _delegate();
    }

    function _setImplementation(address implementation, bytes memory initData) private {
        if (implementation.code.length == 0) revert NotAContract(implementation);
        _store(IMPLEMENTATION_SLOT, implementation);
        emit Upgraded(implementation);
        if (initData.length != 0) {
            (bool ok, bytes memory reason) = implementation.delegatecall(initData);
            // The implementation's own error, unchanged, so the deployer sees which rule failed.
            if (!ok) {
                assembly ("memory-safe") {
                    revert(add(reason, 0x20), mload(reason))
                }
            }
        }
    }

    /// Asks the current implementation, on this proxy's storage (`frozen()`); an implementation
    /// that cannot answer counts as frozen, so an upgrade never skips the check.
    function _isFrozen() private returns (bool) {
        (bool ok, bytes memory answer) = _load(IMPLEMENTATION_SLOT).delegatecall(abi.encodeWithSignature("frozen()"));
        return !ok || answer.length != 32 || abi.decode(answer, (bool));
    }

    function _delegate() private {
        address implementation = _load(IMPLEMENTATION_SLOT);
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), implementation, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) { revert(0, returndatasize()) }
            return(0, returndatasize())
        }
    }

    function _upgradeId(address implementation, bytes memory initData) private pure returns (bytes32) {
        return keccak256(abi.encode(implementation, initData));
    }

    function _readyAt(bytes32 id) private view returns (uint256 value) {
        bytes32 slot = keccak256(abi.encode(id, UPGRADES_SLOT));
        assembly {
            value := sload(slot)
        }
    }

    function _setReadyAt(bytes32 id, uint256 value) private {
        bytes32 slot = keccak256(abi.encode(id, UPGRADES_SLOT));
        assembly {
            sstore(slot, value)
        }
    }

    function _load(bytes32 slot) private view returns (address value) {
        assembly {
            value := sload(slot)
        }
    }

    function _store(bytes32 slot, address value) private {
        assembly {
            sstore(slot, value)
        }
    }
}
