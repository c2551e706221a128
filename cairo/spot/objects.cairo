struct Vault {
    stark_key: felt,
    asset_id: felt,
    balance: felt,
}

struct Config {
    validium_vault_tree_height: felt,
    rollup_vault_tree_height: felt,
    order_tree_height: felt,
    unique_minting_enforced: felt,
}

struct BatchContext {
    config: Config,
    global_expiration_timestamp: felt,
    validium_vault_bound: felt,  // 2^validium_vault_tree_height
    rollup_vault_bound: felt,  // 2^rollup_vault_tree_height
}

// The user's fee (signed) and the operator's fee taken, each with a presence bit.
struct FeeUser {
    has: felt,
    token_id: felt,
    fee_limit: felt,
    source_vault_id: felt,
}

struct FeeTaken {
    has: felt,
    fee_taken: felt,
    destination_vault_id: felt,
    destination_stark_key: felt,
}

struct Order {
    public_key: felt,
    vault_id_sell: felt,
    vault_id_buy: felt,
    amount_sell: felt,
    amount_buy: felt,
    token_sell: felt,
    token_buy: felt,
    nonce: felt,
    expiration_timestamp: felt,
    r: felt,
    s: felt,
}
