// DEPOSIT: collateral from L1 into a position that is empty or owned by the depositor's key.
// L1 consumes the pending deposit through the modification this writes.
from starkware.cairo.common.dict_access import DictAccess

from perpetual.constants import MODIFICATION_BIAS
from perpetual.messages import assert_amount, assert_position_id
from perpetual.objects import BatchContext, Market
from perpetual.update import assert_success, update_collateral

struct DepositTx {
    position_id: felt,
    public_key: felt,
    amount: felt,
}

func execute_deposit{range_check_ptr, positions_dict: DictAccess*, modifications: felt*}(
    ctx: BatchContext*, market: Market*
) {
    alloc_locals;
    local tx: DepositTx;
    %{ _load_tx(ids.tx, tx, ["position_id", "public_key", "amount"]) %}
    with_attr error_message("DEPOSIT: amount out of range") {
        assert_amount(tx.amount);
    }
    with_attr error_message("DEPOSIT: position id out of range") {
        assert_position_id(tx.position_id);
    }
    let code = update_collateral(ctx, market, tx.position_id, tx.public_key, tx.amount);
    with_attr error_message("DEPOSIT") {
        assert_success(code);
    }
    assert modifications[0] = tx.public_key;
    assert modifications[1] = tx.position_id;
    assert modifications[2] = tx.amount + MODIFICATION_BIAS;
    let modifications = modifications + 3;
    return ();
}
