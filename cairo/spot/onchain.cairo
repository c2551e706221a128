// The rollup vaults' on-chain data (volition), as StarkEx's volition.cairo: a table of keys, a
// table of assets, then each changed vault as (index(31) ‖ balance(63) ‖ key index(15) ‖ asset
// index(15)), two changes per word, the last one twice when their number is odd.
from starkware.cairo.common.alloc import alloc
from starkware.cairo.common.math import assert_lt_felt, assert_nn_le

from spot.objects import Vault

const TABLE_BOUND = 2 ** 15;
const CHANGE_SHIFT = 2 ** 124;

// Writes `size, values...` from a hint-built table and checks it is strictly increasing (so each
// value has one index). Returns the table in the output.
func write_table{output_ptr: felt*, range_check_ptr}(changes: felt*, n_changes, field) -> (
    table: felt*, size: felt
) {
    alloc_locals;
    local size;
    %{
        _values = _table({memory[memory[ids.changes + 2 * i + 1] + ids.field]
                          for i in range(ids.n_changes)})
        ids.size = len(_values)
        for _i, _v in enumerate(_values):
            memory[ids.output_ptr + 1 + _i] = _v
    %}
    with_attr error_message("onchain_table") {
        assert_nn_le(size, TABLE_BOUND - 1);
    }
    assert output_ptr[0] = size;
    let table = output_ptr + 1;
    check_increasing(table, size);
    let output_ptr = output_ptr + 1 + size;
    return (table=table, size=size);
}

func check_increasing{range_check_ptr}(table: felt*, size) {
    if (size == 0) {
        return ();
    }
    if (size == 1) {
        return ();
    }
    with_attr error_message("onchain_table") {
        assert_lt_felt(table[0], table[1]);
    }
    return check_increasing(table + 1, size - 1);
}

// The index of `value` in `table`: a hint finds it, Cairo checks it is in range and holds it.
func index_of{range_check_ptr}(table: felt*, size, value) -> felt {
    alloc_locals;
    local index;
    %{ ids.index = _index([memory[ids.table + i] for i in range(ids.size)], ids.value) %}
    with_attr error_message("onchain_table") {
        assert_nn_le(index, size - 1);
        assert table[index] = value;
    }
    return index;
}

func encode_changes{range_check_ptr}(
    changes: felt*, n, keys: felt*, n_keys, tokens: felt*, n_tokens, encoded: felt*
) {
    alloc_locals;
    if (n == 0) {
        return ();
    }
    let vault = cast(changes[1], Vault*);
    let key_index = index_of(keys, n_keys, vault.stark_key);
    let token_index = index_of(tokens, n_tokens, vault.asset_id);
    assert encoded[0] = ((changes[0] * 2 ** 63 + vault.balance) * TABLE_BOUND + key_index) *
        TABLE_BOUND + token_index;
    return encode_changes(changes + 2, n - 1, keys, n_keys, tokens, n_tokens, encoded + 1);
}

func pack_pairs{output_ptr: felt*}(encoded: felt*, n) {
    if (n == 0) {
        return ();
    }
    if (n == 1) {
        assert output_ptr[0] = encoded[0] * CHANGE_SHIFT + encoded[0];
        let output_ptr = output_ptr + 1;
        return ();
    }
    assert output_ptr[0] = encoded[0] * CHANGE_SHIFT + encoded[1];
    let output_ptr = output_ptr + 1;
    return pack_pairs(encoded + 2, n - 2);
}

// changes: n_changes × (vault index, Vault*), in increasing index.
func write_onchain_data{output_ptr: felt*, range_check_ptr}(changes: felt*, n_changes) {
    alloc_locals;
    let (keys, n_keys) = write_table(changes, n_changes, 0);
    let (tokens, n_tokens) = write_table(changes, n_changes, 1);
    let (local encoded: felt*) = alloc();
    encode_changes(changes, n_changes, keys, n_keys, tokens, n_tokens, encoded);
    pack_pairs(encoded, n_changes);
    return ();
}
