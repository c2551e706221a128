// A signed limit order filled by a trade (or a liquidation): fairness of the actual amounts,
// signature, expiration, the orders tree, the fee to the fee position, and the party's position.
from starkware.cairo.common.cairo_builtins import HashBuiltin, SignatureBuiltin
from starkware.cairo.common.dict_access import DictAccess
from starkware.cairo.common.find_element import find_element
from starkware.cairo.common.math import assert_le, assert_lt, assert_nn_le, assert_not_equal
from starkware.cairo.common.registers import get_fp_and_pc

from perpetual.constants import AMOUNT_BOUND
from perpetual.messages import assert_amount, limit_order_hash, order_id_of
from perpetual.objects import BatchContext, Market, SyntheticAsset
from perpetual.state import fill_order
from perpetual.transactions.common import check_expiration, check_signature
from perpetual.update import (
    USER_KEY,
    WITH_SYNTHETIC,
    Change,
    assert_success,
    update_collateral,
    update_position_in_dict,
)

struct LimitOrder {
    position_id: felt,
    public_key: felt,
    asset_id_synthetic: felt,
    asset_id_collateral: felt,
    amount_synthetic: felt,
    amount_collateral: felt,
    amount_fee: felt,
    is_buying_synthetic: felt,
    nonce: felt,
    expiration_timestamp: felt,
    signature_r: felt,
    signature_s: felt,
}

// Reads the order under `key` of the current transaction.
func load_order(key: felt) -> LimitOrder* {
    alloc_locals;
    local order: LimitOrder;
    %{
        _load_tx(ids.order, tx[{1: "party_a_order", 2: "party_b_order",
                                3: "liquidator_order"}[ids.key]],
                 ["position_id", "public_key", "asset_id_synthetic", "asset_id_collateral",
                  "amount_synthetic", "amount_collateral", "amount_fee", "is_buying_synthetic",
                  "nonce", "expiration_timestamp", "signature.r", "signature.s"])
    %}
    let (__fp__, _) = get_fp_and_pc();
    return &order;
}

// The party pays no more fee per collateral than signed, and gets no worse a price (the price
// may round actual_collateral by one unit either way). All products are below 2^128.
func check_fairness{range_check_ptr}(
    order: LimitOrder*, actual_collateral, actual_synthetic, actual_fee
) {
    with_attr error_message("fee above the signed fee ratio") {
        assert_le(actual_fee * order.amount_collateral, order.amount_fee * actual_collateral);
    }
    if (order.is_buying_synthetic != 0) {
        if (actual_collateral == 0) {
            return ();
        }
        with_attr error_message("buyer pays above its limit price") {
            assert_lt(
                (actual_collateral - 1) * order.amount_synthetic,
                order.amount_collateral * actual_synthetic,
            );
        }
        return ();
    }
    with_attr error_message("seller gets below its limit price") {
        assert_lt(
            actual_synthetic * order.amount_collateral,
            order.amount_synthetic * (actual_collateral + 1),
        );
    }
    return ();
}

func order_message{pedersen_ptr: HashBuiltin*, range_check_ptr}(order: LimitOrder*) -> felt {
    if (order.is_buying_synthetic != 0) {
        let message = limit_order_hash(
            asset_id_sell=order.asset_id_collateral,
            asset_id_buy=order.asset_id_synthetic,
            asset_id_fee=order.asset_id_collateral,
            amount_sell=order.amount_collateral,
            amount_buy=order.amount_synthetic,
            amount_fee=order.amount_fee,
            nonce=order.nonce,
            position_id=order.position_id,
            expiration_timestamp=order.expiration_timestamp,
        );
        return message;
    }
    let message = limit_order_hash(
        asset_id_sell=order.asset_id_synthetic,
        asset_id_buy=order.asset_id_collateral,
        asset_id_fee=order.asset_id_collateral,
        amount_sell=order.amount_synthetic,
        amount_buy=order.amount_collateral,
        amount_fee=order.amount_fee,
        nonce=order.nonce,
        position_id=order.position_id,
        expiration_timestamp=order.expiration_timestamp,
    );
    return message;
}

// Credits a fee to the fee position, owned by the config's fee key.
func collect_fee{range_check_ptr, positions_dict: DictAccess*}(
    ctx: BatchContext*, market: Market*, fee
) {
    alloc_locals;
    let code = update_collateral(
        ctx, market, ctx.config.fee_position_id, ctx.config.fee_public_key, fee
    );
    with_attr error_message("fee position") {
        assert_success(code);
    }
    return ();
}

// Changes a position by (collateral_delta, synthetic_delta) on behalf of `public_key`, which
// must own it (or it is empty).
func update_party{range_check_ptr, positions_dict: DictAccess*}(
    ctx: BatchContext*,
    market: Market*,
    position_id,
    public_key,
    collateral_delta,
    asset_id,
    synthetic_delta,
) {
    alloc_locals;
    tempvar change = new Change(
        requester=USER_KEY,
        public_key=public_key,
        collateral_delta=collateral_delta,
        synthetic=WITH_SYNTHETIC,
        asset_id=asset_id,
        synthetic_delta=synthetic_delta,
    );
    let code = update_position_in_dict(ctx, market, position_id, change);
    assert_success(code);
    return ();
}

func execute_limit_order{
    pedersen_ptr: HashBuiltin*,
    range_check_ptr,
    ecdsa_ptr: SignatureBuiltin*,
    positions_dict: DictAccess*,
    orders_dict: DictAccess*,
}(ctx: BatchContext*, market: Market*, order: LimitOrder*, actual_collateral, actual_synthetic, actual_fee) {
    alloc_locals;
    with_attr error_message("order from the fee position") {
        assert_not_equal(order.position_id, ctx.config.fee_position_id);
    }
    with_attr error_message("asset is not the collateral") {
        assert order.asset_id_collateral = ctx.config.collateral_asset_id;
    }
    with_attr error_message("synthetic asset not in the general config") {
        find_element(
            array_ptr=ctx.config.synthetics,
            elm_size=SyntheticAsset.SIZE,
            n_elms=ctx.config.n_synthetics,
            key=order.asset_id_synthetic,
        );
    }
    with_attr error_message("is_buying_synthetic is not 0 or 1") {
        assert order.is_buying_synthetic * (order.is_buying_synthetic - 1) = 0;
    }
    with_attr error_message("amount out of range") {
        assert_nn_le(order.amount_collateral - 1, AMOUNT_BOUND - 2);
        assert_nn_le(actual_synthetic - 1, AMOUNT_BOUND - 2);
        assert_amount(actual_collateral);
        assert_amount(actual_fee);
    }
    with_attr error_message("field out of range") {
        let message = order_message(order);
    }
    check_fairness(order, actual_collateral, actual_synthetic, actual_fee);
    with_attr error_message("invalid signature") {
        check_signature(message, order.public_key, order.signature_r, order.signature_s);
    }
    with_attr error_message("expired") {
        check_expiration(ctx, market, order.expiration_timestamp);
    }
    let order_id = order_id_of(message);
    with_attr error_message("order over-filled (orders tree)") {
        fill_order(order_id, actual_synthetic, order.amount_synthetic);
    }
    collect_fee(ctx, market, actual_fee);
    if (order.is_buying_synthetic != 0) {
        update_party(
            ctx,
            market,
            order.position_id,
            order.public_key,
            -actual_collateral - actual_fee,
            order.asset_id_synthetic,
            actual_synthetic,
        );
        return ();
    }
    update_party(
        ctx,
        market,
        order.position_id,
        order.public_key,
        actual_collateral - actual_fee,
        order.asset_id_synthetic,
        -actual_synthetic,
    );
    return ();
}
