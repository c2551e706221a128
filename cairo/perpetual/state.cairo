// The two trees as Cairo dicts. A position's stored value is read by a hint and its update is
// recorded with dict_update, so squash_dict at the end proves every transaction read what the
// previous one wrote, and the Merkle update proves the first read matches the previous root.
from starkware.cairo.common.dict import dict_update
from starkware.cairo.common.dict_access import DictAccess
from starkware.cairo.common.math import assert_nn_le

from perpetual.objects import Position

// A dict of position_id -> Position*; positions are written to memory on first access, from
// the previous state (or empty).
func positions_dict_new() -> DictAccess* {
    %{
        if '__dict_manager' not in globals():
            from starkware.cairo.common.dict import DictManager
            __dict_manager = DictManager()
        from starkware.cairo.common.dict import DictTracker
        _base = segments.add()
        __dict_manager.trackers[_base.segment_index] = DictTracker(
            data=_LazyPositions(), current_ptr=_base)
        memory[ap] = _base
    %}
    ap += 1;
    return cast([ap - 1], DictAccess*);
}

// A dict of order_id -> filled amount, from the previous state (0 where not listed).
func orders_dict_new() -> DictAccess* {
    %{
        if '__dict_manager' not in globals():
            from starkware.cairo.common.dict import DictManager
            __dict_manager = DictManager()
        from collections import defaultdict
        from starkware.cairo.common.dict import DictTracker
        _base = segments.add()
        _orders = defaultdict(int)
        _orders.update({int(k): _felt(v) for k, v in program_input["previous_state"]["orders"].items()})
        __dict_manager.trackers[_base.segment_index] = DictTracker(data=_orders, current_ptr=_base)
        memory[ap] = _base
    %}
    ap += 1;
    return cast([ap - 1], DictAccess*);
}

func load_position{positions_dict: DictAccess*}(position_id) -> Position* {
    alloc_locals;
    local stored: Position*;
    %{ ids.stored = __dict_manager.get_dict(ids.positions_dict)[ids.position_id] %}
    return stored;
}

func store_position{positions_dict: DictAccess*}(
    position_id, stored: Position*, updated: Position*
) {
    dict_update{dict_ptr=positions_dict}(
        key=position_id, prev_value=cast(stored, felt), new_value=cast(updated, felt)
    );
    return ();
}

// Adds `amount` to an order's filled amount; the total may not exceed `limit`.
func fill_order{range_check_ptr, orders_dict: DictAccess*}(order_id, amount, limit) {
    alloc_locals;
    local filled;
    %{ ids.filled = __dict_manager.get_dict(ids.orders_dict)[ids.order_id] %}
    with_attr error_message("order already filled (orders tree)") {
        assert_nn_le(filled + amount, limit);
    }
    dict_update{dict_ptr=orders_dict}(key=order_id, prev_value=filled, new_value=filled + amount);
    return ();
}
