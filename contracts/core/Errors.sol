// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

// Refusals that several components raise for the same rule, declared once.

/// A vault (in Perpetual: position) id outside [0, 2^64).
error VaultIdOutOfRange(uint256 vaultId);
/// A quantized amount that is zero where a positive one is needed, or not below 2^64.
error InvalidQuantizedAmount(uint256 quantizedAmount);
/// Not the x-coordinate of a Stark-curve point (or 0).
error InvalidStarkKey(uint256 starkKey);
