// Bounds and fixed-point units of StarkEx Perpetual (docs/program-output.md, "Hashes and bounds").

const FXP_32_ONE = 2 ** 32;
const BALANCE_BOUND = 2 ** 63;  // balances lie in (-BALANCE_BOUND, BALANCE_BOUND)
const AMOUNT_BOUND = 2 ** 64;
const NONCE_BOUND = 2 ** 32;
const EXPIRATION_BOUND = 2 ** 32;
const POSITION_ID_BOUND = 2 ** 64;
const ORDER_ID_SHIFT = 2 ** 187;  // order id = msg_hash >> 187
const ASSET_ID_BOUND = 2 ** 120;  // synthetic asset ids; the position leaf packs them above 2^128
const PRICE_BOUND = 2 ** 64;
const EXTERNAL_PRICE_BOUND = 2 ** 120;
const FUNDING_INDEX_BOUND = 2 ** 63;  // funding indices lie in [-FUNDING_INDEX_BOUND, FUNDING_INDEX_BOUND)
const N_ASSETS_BOUND = 2 ** 16;  // the position leaf packs n_assets in 16 bits
const POSITION_MAX_SUPPORTED_N_ASSETS = 2 ** 6;
const TIMESTAMP_BOUND = 2 ** 64;  // funding and system timestamps (seconds)
const ORACLE_TIMESTAMP_BOUND = 2 ** 32;  // signed oracle prices carry 32-bit timestamps
// Total value (collateral units, signed) and total risk bounds, as in StarkEx.
const TOTAL_VALUE_BOUND = 2 ** 63;
const TOTAL_RISK_BOUND = 2 ** 64;
const MODIFICATION_BIAS = 2 ** 64;
const SECONDS_PER_HOUR = 3600;

// General config bounds (config.cairo, check_config): what the arithmetic on config values needs
// to stay below the field's prime; the model's GeneralConfig refuses the same configs.
const TREE_HEIGHT_BOUND = 65;  // heights in [0, 64]: position and order ids are 64-bit
const RESOLUTION_BOUND = 2 ** 63;  // resolution · 10^18 ≤ P / 2^128, unsigned_div_rem's divisor
const COLLATERAL_RESOLUTION_BOUND = 2 ** 64;
const RISK_FACTOR_BOUND = 2 ** 32;
const MAX_FUNDING_RATE_BOUND = 2 ** 32;
const CONFIG_SMALL_BOUND = 2 ** 32;  // oracle quorum, price validity period (seconds)

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

// Error codes of the position update path (update.cairo): StarkEx Perpetual's names and numbers,
// the same as offchain/perpetual/errors.py's Reason (tests/cairo/test_perp_error_codes.py checks).
const SUCCESS = 0;
const ILLEGAL_POSITION_TRANSITION_ENLARGING_SYNTHETIC_HOLDINGS = 2;
const ILLEGAL_POSITION_TRANSITION_NO_RISK_REDUCED_VALUE = 3;
const ILLEGAL_POSITION_TRANSITION_REDUCING_TOTAL_VALUE_RISK_RATIO = 4;
const INVALID_PUBLIC_KEY = 11;
const MISSING_GLOBAL_FUNDING_INDEX = 13;
const MISSING_ORACLE_PRICE = 14;
const MISSING_SYNTHETIC_ASSET_ID = 15;
const OUT_OF_RANGE_BALANCE = 17;
const OUT_OF_RANGE_TOTAL_RISK = 20;
const OUT_OF_RANGE_TOTAL_VALUE = 21;
const TOO_MANY_SYNTHETIC_ASSETS_IN_POSITION = 23;
