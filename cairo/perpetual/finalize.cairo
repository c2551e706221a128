// End of batch: squash the dicts and prove the old and new tree roots over the changed leaves.
from starkware.cairo.common.alloc import alloc
from starkware.cairo.common.cairo_builtins import HashBuiltin
from starkware.cairo.common.dict_access import DictAccess
from starkware.cairo.common.merkle_multi_update import merkle_multi_update
from starkware.cairo.common.squash_dict import squash_dict

from perpetual.constants import BALANCE_BOUND
from perpetual.objects import Position, PositionAsset
from perpetual.position import assert_stored_position, position_hash

struct Roots {
    prev_root: felt,
    new_root: felt,
}

// Turns squashed (id, Position*, Position*) entries into (id, leaf hash, leaf hash) entries, and
// writes the rollup on-chain data of every position the batch touched. Returns the data's end.
func hash_positions{pedersen_ptr: HashBuiltin*, range_check_ptr}(
    entries: DictAccess*, n, hashed: DictAccess*, onchain: felt*
) -> felt* {
    alloc_locals;
    if (n == 0) {
        return onchain;
    }
    // The previous value is the position a hint read from the previous state; every later read
    // of this id in the batch is the same memory (squash_dict), so checking it here covers them.
    assert_stored_position(cast(entries.prev_value, Position*));
    let prev_hash = position_hash(cast(entries.prev_value, Position*));
    local prev_hash = prev_hash;
    let new_hash = position_hash(cast(entries.new_value, Position*));
    local new_hash = new_hash;
    assert hashed.key = entries.key;
    assert hashed.prev_value = prev_hash;
    assert hashed.new_value = new_hash;
    let position = cast(entries.new_value, Position*);
    assert onchain[0] = entries.key;
    assert onchain[1] = position.public_key;
    assert onchain[2] = position.collateral_balance + BALANCE_BOUND;
    assert onchain[3] = position.n_assets;
    let end = write_assets(position.assets, position.n_assets, onchain + 4);
    return hash_positions(entries + DictAccess.SIZE, n - 1, hashed + DictAccess.SIZE, end);
}

func write_assets(assets: PositionAsset*, n, out: felt*) -> felt* {
    if (n == 0) {
        return out;
    }
    assert out[0] = assets.asset_id;
    assert out[1] = assets.cached_funding_index + BALANCE_BOUND;
    assert out[2] = assets.balance + BALANCE_BOUND;
    return write_assets(assets + PositionAsset.SIZE, n - 1, out + 3);
}

func squash{range_check_ptr}(start: DictAccess*, end: DictAccess*) -> (
    squashed: DictAccess*, n: felt
) {
    alloc_locals;
    let (local squashed: DictAccess*) = alloc();
    let (squashed_end) = squash_dict(
        dict_accesses=start, dict_accesses_end=end, squashed_dict=squashed
    );
    return (squashed=squashed, n=(squashed_end - squashed) / DictAccess.SIZE);
}

func finalize_positions{pedersen_ptr: HashBuiltin*, range_check_ptr}(
    start: DictAccess*, end: DictAccess*, height, onchain: felt*
) -> (roots: Roots, onchain_end: felt*) {
    alloc_locals;
    let (squashed, n) = squash(start, end);
    let (local hashed: DictAccess*) = alloc();
    let onchain_end = hash_positions(squashed, n, hashed, onchain);
    local prev_root;
    local new_root;
    %{
        preimage = {}
        _leaves = {int(k): _position_leaf(p)
                   for k, p in program_input["previous_state"]["positions"].items()}
        ids.prev_root = _sparse_root(_leaves, ids.height, _EMPTY_POSITION_LEAF, preimage)
        for _i in range(ids.n):
            _entry = ids.hashed.address_ + _i * ids.DictAccess.SIZE
            _leaves[memory[_entry + ids.DictAccess.key]] = memory[_entry + ids.DictAccess.new_value]
        ids.new_root = _sparse_root(_leaves, ids.height, _EMPTY_POSITION_LEAF, preimage)
    %}
    merkle_multi_update{hash_ptr=pedersen_ptr}(hashed, n, height, prev_root, new_root);
    return (roots=Roots(prev_root=prev_root, new_root=new_root), onchain_end=onchain_end);
}

func finalize_orders{pedersen_ptr: HashBuiltin*, range_check_ptr}(
    start: DictAccess*, end: DictAccess*, height
) -> Roots {
    alloc_locals;
    let (local squashed, local n) = squash(start, end);
    local prev_root;
    local new_root;
    %{
        preimage = {}
        _leaves = {int(k): _felt(v) for k, v in program_input["previous_state"]["orders"].items()}
        ids.prev_root = _sparse_root(_leaves, ids.height, 0, preimage)
        for _i in range(ids.n):
            _entry = ids.squashed.address_ + _i * ids.DictAccess.SIZE
            _leaves[memory[_entry + ids.DictAccess.key]] = memory[_entry + ids.DictAccess.new_value]
        ids.new_root = _sparse_root(_leaves, ids.height, 0, preimage)
    %}
    merkle_multi_update{hash_ptr=pedersen_ptr}(squashed, n, height, prev_root, new_root);
    return (Roots(prev_root=prev_root, new_root=new_root));
}
