// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Fixed parameters every application shares (StarkEx values where StarkEx has one).
library MainConstants {
    /// A forced request left unserved this long lets anyone freeze the exchange.
    uint256 internal constant FREEZE_GRACE_PERIOD = 7 days;
    /// Anything that changes what a proof means (verifiers, program, configuration, and the code
    /// itself through the proxy) waits this long after its announcement: longer than the grace
    /// period, so a user who objects can file a forced request, and freeze the exchange if it is
    /// censored, before the change applies. 21 days of margin to notice and act, as StarkEx's
    /// verifier removal delay (7 + 21 days).
    uint256 internal constant CONFIGURATION_DELAY = FREEZE_GRACE_PERIOD + 21 days;
    /// A freeze lasts at least this long (StarkEx: 365 days): an unfreeze is governance recovering
    /// a dead exchange, not a way around the escape hatch.
    uint256 internal constant UNFREEZE_DELAY = 365 days;
    uint256 internal constant DEPOSIT_CANCEL_DELAY = 2 days;

    uint256 internal constant MAX_FORCED_REQUESTS_PER_BLOCK = 10;
    /// A premium forced request bypasses the per-block cap by paying ~1M gas (as StarkEx), burnt
    /// by expanding memory to this many words: 3w + w^2/512 = 999,968 gas in one instruction.
    uint256 internal constant PREMIUM_MEMORY_WORDS = 21_872;
    uint256 internal constant MAX_VERIFIERS = 8;

    /// Vault (position) ids and quantized amounts fit the program's 64-bit ranges.
    uint256 internal constant VAULT_ID_UPPER_BOUND = 2 ** 64;
    uint256 internal constant QUANTIZED_AMOUNT_UPPER_BOUND = 2 ** 64;
    uint256 internal constant QUANTUM_UPPER_BOUND = 2 ** 128;
    uint256 internal constant MASK_250 = 2 ** 250 - 1;

    /// lastBatchId before the first batch.
    uint256 internal constant NO_BATCH = type(uint256).max;

    uint256 internal constant DATA_AVAILABILITY_VALIDIUM = 0;
    uint256 internal constant DATA_AVAILABILITY_ROLLUP = 1;

    /// Asset kinds: the selector that starts an asset info (StarkEx's).
    bytes4 internal constant ETH_SELECTOR = bytes4(keccak256("ETH()"));
    bytes4 internal constant ERC20_SELECTOR = bytes4(keccak256("ERC20Token(address)"));
    bytes4 internal constant ERC721_SELECTOR = bytes4(keccak256("ERC721Token(address,uint256)"));
    bytes4 internal constant ERC1155_SELECTOR = bytes4(keccak256("ERC1155Token(address,uint256)"));
    bytes4 internal constant MINTABLE_ERC20_SELECTOR = bytes4(keccak256("MintableERC20Token(address)"));
    bytes4 internal constant MINTABLE_ERC721_SELECTOR = bytes4(keccak256("MintableERC721Token(address,uint256)"));
    bytes4 internal constant MINTABLE_ERC1155_SELECTOR = bytes4(keccak256("MintableERC1155Token(address,uint256)"));

    /// Asset ids of mintable assets have bit 250 set (docs/spot/program-output.md, *Asset ids*),
    /// so no mintable id equals an asset type or a token-id asset id (both < 2^250); bits 249 and
    /// 248 tell the kinds apart (100 ERC-721, 110 ERC-1155, 111 ERC-20), as StarkEx's LibConstants.
    uint256 internal constant MINTABLE_ASSET_ID_FLAG = 1 << 250;
    uint256 internal constant NON_UNIQUE_MINTABLE_ASSET_ID_FLAG = 1 << 249;
    uint256 internal constant MINTABLE_ERC20_ASSET_ID_FLAG = 1 << 248;
    uint256 internal constant MASK_240 = 2 ** 240 - 1;

    /// ERC-721 kinds move one token (one unit, quantum 1) at a time.
    function isErc721Kind(bytes4 kind) internal pure returns (bool) {
        return kind == ERC721_SELECTOR || kind == MINTABLE_ERC721_SELECTOR;
    }
}
