// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {StarkField} from "../../crypto/StarkField.sol";

/// @notice The value of a position in quantized collateral at a shared state
/// (docs/program-output.md), with the rounding of the Python model
/// (offchain/perpetual/rules.py): funding is applied first and the funded collateral is
/// floored; then each synthetic adds balance × price (fixed point, 32 fractional bits) and the
/// total is floored once more. Two floors, not one, so L1 pays exactly what the model values.
library PositionValue {
    uint256 internal constant BIAS = 2 ** 63;
    int256 internal constant FXP_ONE = 2 ** 32;
    uint256 private constant PRIME = StarkField.PRIME;
    uint256 private constant FIXED_WORDS = 8;
    uint256 private constant N_FUNDING_AT = 4;

    error InvalidSharedState(uint256 length);
    error MissingFundingIndex(uint256 assetId);
    error MissingOraclePrice(uint256 assetId);

    /// Where the funding and price lists sit in the shared-state words (size word excluded).
    struct Lists {
        uint256 fundingAt; // first asset id of the funding list
        uint256 nFunding;
        uint256 pricesAt; // first asset id of the price list
        uint256 nPrices;
    }

    function lists(uint256[] calldata state) internal pure returns (Lists memory l) {
        if (state.length < FIXED_WORDS) revert InvalidSharedState(state.length);
        l.nFunding = state[N_FUNDING_AT];
        if (l.nFunding > state.length) revert InvalidSharedState(state.length);
        l.fundingAt = N_FUNDING_AT + 1;
        uint256 nPricesAt = l.fundingAt + 2 * l.nFunding + 1; // after the funding timestamp
        if (nPricesAt >= state.length) revert InvalidSharedState(state.length);
        l.nPrices = state[nPricesAt];
        if (l.nPrices > state.length || state.length != FIXED_WORDS + 2 * l.nFunding + 2 * l.nPrices) {
            revert InvalidSharedState(state.length);
        }
        l.pricesAt = nPricesAt + 1;
    }

    /// packedAssets in increasing asset id, as in the leaf; both lists of the shared state are
    /// in increasing asset id too, so one forward walk over each finds every entry.
    function value(int256 collateralBalance, uint256[] calldata packedAssets, uint256[] calldata state)
        internal
        pure
        returns (int256)
    {
        if (packedAssets.length == 0) return collateralBalance;
        Lists memory l = lists(state);
        int256 fundedFxp = collateralBalance * FXP_ONE;
        int256 syntheticsFxp = 0;
        uint256 f = 0;
        uint256 p = 0;
        for (uint256 i = 0; i < packedAssets.length; i++) {
            (uint256 assetId, int256 cachedFunding, int256 balance) = unpack(packedAssets[i]);
            uint256 index;
            (f, index) = _find(state, l.fundingAt, l.nFunding, f, assetId);
            if (f == l.nFunding) revert MissingFundingIndex(assetId);
            (p, ) = _find(state, l.pricesAt, l.nPrices, p, assetId);
            if (p == l.nPrices) revert MissingOraclePrice(assetId);
            uint256 price = state[l.pricesAt + 2 * p + 1];
            if (price >= PRIME) revert InvalidSharedState(state.length);
            fundedFxp -= (toSigned(index) - cachedFunding) * balance;
            syntheticsFxp += int256(price) * balance;
        }
        int256 funded = _floorDiv(fundedFxp, FXP_ONE);
        return _floorDiv(funded * FXP_ONE + syntheticsFxp, FXP_ONE);
    }

    function unpack(uint256 packed) internal pure returns (uint256 assetId, int256 cachedFunding, int256 balance) {
        assetId = packed >> 128;
        cachedFunding = int256((packed >> 64) & type(uint64).max) - int256(BIAS);
        balance = int256(packed & type(uint64).max) - int256(BIAS);
    }

    /// Funding indices are signed field elements: the upper half of the field is negative.
    function toSigned(uint256 fieldElement) internal pure returns (int256) {
        if (fieldElement >= PRIME) revert InvalidSharedState(fieldElement);
        return fieldElement > PRIME / 2 ? -int256(PRIME - fieldElement) : int256(fieldElement);
    }

    /// From entry `from` of the (asset id, value) list at `at`, the entry of assetId: returns
    /// its position (n when absent) and value.
    function _find(uint256[] calldata state, uint256 at, uint256 n, uint256 from, uint256 assetId)
        private
        pure
        returns (uint256 entry, uint256 entryValue)
    {
        for (entry = from; entry < n; entry++) {
            uint256 id = state[at + 2 * entry];
            if (id == assetId) return (entry, state[at + 2 * entry + 1]);
            if (id > assetId) return (n, 0);
        }
        return (n, 0);
    }

    function _floorDiv(int256 a, int256 b) private pure returns (int256 q) {
        q = a / b;
        if (a % b != 0 && (a < 0) != (b < 0)) q -= 1;
    }
}
