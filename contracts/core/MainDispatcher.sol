// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {DelegateOnly} from "./DelegateOnly.sol";

/// @notice The main contract of an application behind the upgrade proxy: it has no functions of
/// its own, and delegates each call by selector to the sub-contract that implements it, which
/// runs on the proxy's storage (StarkEx's MainDispatcher shape: several sub-contracts, each
/// under the size limit, one address and one storage). The selector table is generated from the
/// sub-contracts' ABIs (tools/gen_dispatch_table.py): entries of 5 bytes, selector ‖ sub-contract
/// index (1-based), in increasing selector order.
/// It works only behind a proxy: called at its own address (where its storage is not the
/// exchange's), every call is refused, so the implementation can never be initialized directly.
abstract contract MainDispatcher is DelegateOnly {
    error UnknownSelector(bytes4 selector);

    /// The sub-contract of 1-based index `index` (as numbered in the selector table).
    function _subContract(uint256 index) internal view virtual returns (address);

    /// The generated selector table.
    function _selectorTable() internal pure virtual returns (bytes memory);

    fallback() external payable onlyDelegated {
        uint256 index = _indexOf(_selectorTable(), msg.sig);
        if (index == 0) revert UnknownSelector(msg.sig);
        address target = _subContract(index);
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), target, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) { revert(0, returndatasize()) }
            return(0, returndatasize())
        }
    }

    /// The sub-contract implementing `selector` (address(0) if none): what the fallback would call.
    function subContractOf(bytes4 selector) external view returns (address) {
        uint256 index = _indexOf(_selectorTable(), selector);
        return index == 0 ? address(0) : _subContract(index);
    }

    /// Binary search over the sorted 5-byte entries; 0 when the selector is absent.
    function _indexOf(bytes memory table, bytes4 selector) private pure returns (uint256 index) {
        uint256 lo = 0;
        uint256 hi = table.length / 5;
        uint256 wanted = uint32(selector);
        while (lo < hi) {
            uint256 mid = (lo + hi) / 2;
            uint256 entry;
            assembly ("memory-safe") {
                entry := shr(216, mload(add(add(table, 0x20), mul(mid, 5))))
            }
            uint256 found = entry >> 8;
            if (found == wanted) return entry & 0xff;
            if (found < wanted) lo = mid + 1;
            else hi = mid;
        }
    }
}
