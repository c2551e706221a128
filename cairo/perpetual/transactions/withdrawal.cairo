// WITHDRAWAL: signed by the position's key; collateral leaves the position and L1 credits it.
from starkware.cairo.common.cairo_builtins import HashBuiltin, SignatureBuiltin
from starkware.cairo.common.dict_access import DictAccess

from perpetual.constants import MODIFICATION_BIAS
from perpetual.messages import order_id_of, withdrawal_hash
from perpetual.objects import BatchContext, Market
from perpetual.state import fill_order
from perpetual.transactions.common import check_expiration, check_signature
from perpetual.update import assert_success, update_collateral

struct WithdrawalTx {
    position_id: felt,
    public_key: felt,
    amount: felt,
    nonce: felt,
    expiration_timestamp: felt,
    signature_r: felt,
    signature_s: felt,
}

func execute_withdrawal{
    pedersen_ptr: HashBuiltin*,
    range_check_ptr,
    ecdsa_ptr: SignatureBuiltin*,
    positions_dict: DictAccess*,
    orders_dict: DictAccess*,
    modifications: felt*,
}(ctx: BatchContext*, market: Market*) {
    alloc_locals;
    local tx: WithdrawalTx;
    %{
        _load_tx(ids.tx, tx, ["position_id", "public_key", "amount", "nonce",
                              "expiration_timestamp", "signature.r", "signature.s"])
    %}
    with_attr error_message("WITHDRAWAL: field out of range") {
        let message = withdrawal_hash(
            ctx.config.collateral_asset_id, tx.position_id, tx.nonce, tx.amount, tx.expiration_timestamp
        );
    }
    with_attr error_message("WITHDRAWAL: invalid signature") {
        check_signature(message, tx.public_key, tx.signature_r, tx.signature_s);
    }
    with_attr error_message("WITHDRAWAL: expired") {
        check_expiration(ctx, market, tx.expiration_timestamp);
    }
    let order_id = order_id_of(message);
    with_attr error_message("WITHDRAWAL: already withdrawn (orders tree)") {
        fill_order(order_id, tx.amount, tx.amount);
    }
    let code = update_collateral(ctx, market, tx.position_id, tx.public_key, -tx.amount);
    with_attr error_message("WITHDRAWAL") {
        assert_success(code);
    }
    assert modifications[0] = tx.public_key;
    assert modifications[1] = tx.position_id;
    assert modifications[2] = MODIFICATION_BIAS - tx.amount;
    let modifications = modifications + 3;
    return ();
}
