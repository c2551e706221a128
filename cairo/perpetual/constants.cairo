// Bounds and fixed-point units of StarkEx Perpetual (docs/program-output.md, "Hashes and bounds").

const FXP_32_ONE = 2 ** 32;
const BALANCE_BOUND = 2 ** 63;  // balances lie in (-BALANCE_BOUND, BALANCE_BOUND)
const AMOUNT_BOUND = 2 ** 64;
const NONCE_BOUND = 2 ** 32;
const EXPIRATION_BOUND = 2 ** 32;
const POSITION_ID_BOUND = 2 ** 64;
const ORDER_ID_SHIFT = 2 ** 187;  // order id = msg_hash >> 187
const ASSET_ID_BOUND = 2 ** 120;
const PRICE_BOUND = 2 ** 64;
const RISK_FACTOR_BOUND = 2 ** 32;
const FUNDING_INDEX_BOUND = 2 ** 63;
const N_ASSETS_BOUND = 2 ** 16;
// Total value (collateral units, signed) and total risk bounds, as in StarkEx.
const TOTAL_VALUE_BOUND = 2 ** 63;
const TOTAL_RISK_BOUND = 2 ** 64;
const MODIFICATION_BIAS = 2 ** 64;
const SECONDS_PER_HOUR = 3600;

// Transaction type codes (StarkEx Perpetual's Cairo enum order).
const TX_DEPOSIT = 0;
const TX_FORCED_TRADE = 1;
const TX_FORCED_WITHDRAWAL = 2;
const TX_FUNDING_TICK = 3;
const TX_ORACLE_PRICES_TICK = 4;
const TX_TRADE = 5;
const TX_TRANSFER = 6;
const TX_LIQUIDATE = 7;
const TX_WITHDRAWAL = 8;
const TX_DELEVERAGE = 9;
const TX_CONDITIONAL_TRANSFER = 10;
