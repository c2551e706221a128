// TRANSFER and CONDITIONAL_TRANSFER: collateral between positions, signed by the sender's key.
// A conditional transfer also writes its condition, which L1 checks is a registered fact.
from starkware.cairo.common.cairo_builtins import HashBuiltin, SignatureBuiltin
from starkware.cairo.common.dict_access import DictAccess
from starkware.cairo.common.math import assert_not_equal
from starkware.cairo.common.registers import get_fp_and_pc

from perpetual.messages import order_id_of, transfer_hash
from perpetual.objects import BatchContext, Market
from perpetual.state import fill_order
from perpetual.transactions.common import check_expiration, check_signature
from perpetual.update import assert_success, update_collateral

struct TransferTx {
    sender_position_id: felt,
    sender_public_key: felt,
    receiver_position_id: felt,
    receiver_public_key: felt,
    asset_id: felt,
    amount: felt,
    nonce: felt,
    expiration_timestamp: felt,
    signature_r: felt,
    signature_s: felt,
}

func load_transfer() -> TransferTx* {
    alloc_locals;
    local tx: TransferTx;
    %{
        _load_tx(ids.tx, tx, ["sender_position_id", "sender_public_key", "receiver_position_id",
                              "receiver_public_key", "asset_id", "amount", "nonce",
                              "expiration_timestamp", "signature.r", "signature.s"])
    %}
    let (__fp__, _) = get_fp_and_pc();
    return &tx;
}

func execute_transfer{
    pedersen_ptr: HashBuiltin*,
    range_check_ptr,
    ecdsa_ptr: SignatureBuiltin*,
    positions_dict: DictAccess*,
    orders_dict: DictAccess*,
}(ctx: BatchContext*, market: Market*) {
    let tx = load_transfer();
    with_attr error_message("TRANSFER") {
        transfer_collateral(ctx, market, tx, 0);
    }
    return ();
}

func execute_conditional_transfer{
    pedersen_ptr: HashBuiltin*,
    range_check_ptr,
    ecdsa_ptr: SignatureBuiltin*,
    positions_dict: DictAccess*,
    orders_dict: DictAccess*,
    conditions: felt*,
}(ctx: BatchContext*, market: Market*) {
    alloc_locals;
    let tx = load_transfer();
    local condition;
    %{
        from eth_hash.auto import keccak as _keccak
        ids.condition = int.from_bytes(_keccak(
            tx["fact_registry_address"].to_bytes(20, "big") + tx["fact"].to_bytes(32, "big")),
            "big") & (2 ** 250 - 1)
    %}
    with_attr error_message("CONDITIONAL_TRANSFER: zero condition") {
        assert_nonzero(condition);
    }
    with_attr error_message("CONDITIONAL_TRANSFER") {
        transfer_collateral(ctx, market, tx, condition);
    }
    assert conditions[0] = condition;
    let conditions = conditions + 1;
    return ();
}

func assert_nonzero(value) {
    if (value == 0) {
        assert 1 = 0;
    }
    return ();
}

func transfer_collateral{
    pedersen_ptr: HashBuiltin*,
    range_check_ptr,
    ecdsa_ptr: SignatureBuiltin*,
    positions_dict: DictAccess*,
    orders_dict: DictAccess*,
}(ctx: BatchContext*, market: Market*, tx: TransferTx*, condition) {
    alloc_locals;
    with_attr error_message("field out of range") {
        let message = transfer_hash(
            tx.asset_id,
            tx.receiver_public_key,
            tx.sender_position_id,
            tx.receiver_position_id,
            tx.amount,
            tx.nonce,
            tx.expiration_timestamp,
            condition,
        );
    }
    with_attr error_message("sender and receiver are the same position") {
        assert_not_equal(tx.sender_position_id, tx.receiver_position_id);
    }
    with_attr error_message("asset is not the collateral") {
        assert tx.asset_id = ctx.config.collateral_asset_id;
    }
    with_attr error_message("invalid signature") {
        check_signature(message, tx.sender_public_key, tx.signature_r, tx.signature_s);
    }
    with_attr error_message("expired") {
        check_expiration(ctx, market, tx.expiration_timestamp);
    }
    let order_id = order_id_of(message);
    with_attr error_message("already done (orders tree)") {
        fill_order(order_id, tx.amount, tx.amount);
    }
    let code = update_collateral(
        ctx, market, tx.sender_position_id, tx.sender_public_key, -tx.amount
    );
    with_attr error_message("sender") {
        assert_success(code);
    }
    let code = update_collateral(
        ctx, market, tx.receiver_position_id, tx.receiver_public_key, tx.amount
    );
    with_attr error_message("receiver") {
        assert_success(code);
    }
    return ();
}
