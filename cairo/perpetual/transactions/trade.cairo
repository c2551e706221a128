// TRADE: two matching limit orders, one buying and one selling the same synthetic.
from starkware.cairo.common.cairo_builtins import HashBuiltin, SignatureBuiltin
from starkware.cairo.common.dict_access import DictAccess
from starkware.cairo.common.math import assert_not_equal

from perpetual.objects import BatchContext, Market
from perpetual.transactions.order import LimitOrder, execute_limit_order, load_order

struct TradeAmounts {
    actual_collateral: felt,
    actual_synthetic: felt,
    actual_a_fee: felt,
    actual_b_fee: felt,
}

func execute_trade{
    pedersen_ptr: HashBuiltin*,
    range_check_ptr,
    ecdsa_ptr: SignatureBuiltin*,
    positions_dict: DictAccess*,
    orders_dict: DictAccess*,
}(ctx: BatchContext*, market: Market*) {
    alloc_locals;
    let a = load_order(1);
    let b = load_order(2);
    local amounts: TradeAmounts;
    %{ _load_tx(ids.amounts, tx, ["actual_collateral", "actual_synthetic", "actual_a_fee", "actual_b_fee"]) %}
    with_attr error_message("TRADE: both parties are the same position") {
        assert_not_equal(a.position_id, b.position_id);
    }
    with_attr error_message("TRADE: both orders are on the same side") {
        assert a.is_buying_synthetic + b.is_buying_synthetic = 1;
    }
    with_attr error_message("TRADE: orders trade different assets") {
        assert a.asset_id_synthetic = b.asset_id_synthetic;
        assert a.asset_id_collateral = b.asset_id_collateral;
    }
    with_attr error_message("TRADE: party a") {
        execute_limit_order(
            ctx, market, a, amounts.actual_collateral, amounts.actual_synthetic, amounts.actual_a_fee
        );
    }
    with_attr error_message("TRADE: party b") {
        execute_limit_order(
            ctx, market, b, amounts.actual_collateral, amounts.actual_synthetic, amounts.actual_b_fee
        );
    }
    return ();
}
