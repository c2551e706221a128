// StarkEx Spot's bounds (starkex-for-spot-trading dex_constants.cairo; docs/spot/).
const BALANCE_BOUND = 2 ** 63;
const AMOUNT_BOUND = 2 ** 63;
const NONCE_BOUND = 2 ** 31;
const EXPIRATION_BOUND = 2 ** 22;
const ROLLUP_VAULT_BIT = 2 ** 63;
const MAX_VAULT_TREE_HEIGHT = 31;
const ORDER_TREE_HEIGHT = 64;
const CONDITION_BOUND = 2 ** 250;
const MODIFICATION_BIAS = 2 ** 63;
const FULL_WITHDRAWAL_FLAG = 2 ** 128;
const VAULT_SHIFT = 2 ** 64;
// The hash of an empty vault, H(H(0, 0), 0).
const ZERO_VAULT_HASH = 3051532127692517571387022095821932649971160144101372951378323654799587621206;

const TX_DEPOSIT = 0;
const TX_WITHDRAWAL = 1;
const TX_SETTLEMENT = 2;
const TX_TRANSFER = 3;
const TX_CONDITIONAL_TRANSFER = 4;
const TX_FULL_WITHDRAWAL = 5;
const TX_FALSE_FULL_WITHDRAWAL = 6;
