// DEPOSIT: collateral from L1 into a position that is empty or owned by the depositor's key.
// L1 consumes the pending deposit through the modification this writes.
from starkware.cairo.common.dict_access import DictAccess

from perpetual.constants import MODIFICATION_BIAS
from perpetual.messages import assert_amount, assert_position_id
from perpetual.objects import BatchContext, Market
from perpetual.position import position_add_collateral
from perpetual.state import store_position
from perpetual.transactions.common import claim_position, touch_position

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
    let (stored, funded) = touch_position(market, tx.position_id);
    with_attr error_message("DEPOSIT: position owned by another key") {
        let owned = claim_position(funded, tx.public_key);
    }
    with_attr error_message("DEPOSIT: balance out of range") {
        let updated = position_add_collateral(owned, tx.amount);
    }
    store_position(tx.position_id, stored, updated);
    assert modifications[0] = tx.public_key;
    assert modifications[1] = tx.position_id;
    assert modifications[2] = tx.amount + MODIFICATION_BIAS;
    let modifications = modifications + 3;
    return ();
}
