// End of batch: squash the dicts, hash the vaults the batch touched into the validium and rollup
// trees, prove the old and new roots of the three trees, and collect the rollup vaults' changes
// for the on-chain data (docs/spot/program-output.md).
from starkware.cairo.common.alloc import alloc
from starkware.cairo.common.cairo_builtins import HashBuiltin
from starkware.cairo.common.dict_access import DictAccess
from starkware.cairo.common.hash import hash2
from starkware.cairo.common.math import assert_nn_le
from starkware.cairo.common.merkle_multi_update import merkle_multi_update

from common.dicts import Roots, squash
from spot.constants import BALANCE_BOUND, ROLLUP_VAULT_BIT, ZERO_VAULT_HASH
from spot.objects import BatchContext, Vault
from spot.vaults import check_vault_id

// A vault read from the previous state: a balance below 2^63, and an empty vault is (0, 0, 0),
// so the rules (which treat a zero balance as empty) read the key 0 of an empty vault.
func assert_stored_vault{range_check_ptr}(vault: Vault*) {
    with_attr error_message("stored_vault") {
        assert_nn_le(vault.balance, BALANCE_BOUND - 1);
    }
    if (vault.balance == 0) {
        with_attr error_message("stored_vault") {
            assert vault.stark_key = 0;
            assert vault.asset_id = 0;
        }
        return ();
    }
    return ();
}

func vault_hash{pedersen_ptr: HashBuiltin*}(vault: Vault*) -> felt {
    if (vault.balance == 0) {
        return ZERO_VAULT_HASH;
    }
    let (h) = hash2{hash_ptr=pedersen_ptr}(vault.stark_key, vault.asset_id);
    let (h) = hash2{hash_ptr=pedersen_ptr}(h, vault.balance);
    return h;
}

func vault_changed(before: Vault*, after: Vault*) -> felt {
    if (before.balance != after.balance) {
        return 1;
    }
    if (before.stark_key != after.stark_key) {
        return 1;
    }
    if (before.asset_id != after.asset_id) {
        return 1;
    }
    return 0;
}

// Squashed (vault_id, Vault*, Vault*) entries, sorted by id, become (leaf index, leaf hash, leaf
// hash) entries of the validium tree (ids below 2^63, first) and of the rollup tree (the rest,
// index = id - 2^63); a changed rollup vault's (index, new Vault*) goes to `changes`.
func hash_vaults{pedersen_ptr: HashBuiltin*, range_check_ptr}(
    ctx: BatchContext*,
    entries: DictAccess*,
    n,
    validium: DictAccess*,
    rollup: DictAccess*,
    changes: felt*,
) -> (validium_end: DictAccess*, rollup_end: DictAccess*, changes_end: felt*) {
    alloc_locals;
    if (n == 0) {
        return (validium_end=validium, rollup_end=rollup, changes_end=changes);
    }
    let before = cast(entries.prev_value, Vault*);
    let after = cast(entries.new_value, Vault*);
    // Every later read of this id is the same memory as this first one (squash_dict).
    assert_stored_vault(before);
    let prev_hash = vault_hash(before);
    local prev_hash = prev_hash;
    let new_hash = vault_hash(after);
    local new_hash = new_hash;
    let is_rollup = check_vault_id(ctx, entries.key);
    if (is_rollup == 0) {
        assert validium.key = entries.key;
        assert validium.prev_value = prev_hash;
        assert validium.new_value = new_hash;
        return hash_vaults(
            ctx, entries + DictAccess.SIZE, n - 1, validium + DictAccess.SIZE, rollup, changes
        );
    }
    local index = entries.key - ROLLUP_VAULT_BIT;
    assert rollup.key = index;
    assert rollup.prev_value = prev_hash;
    assert rollup.new_value = new_hash;
    let changed = vault_changed(before, after);
    if (changed != 0) {
        assert changes[0] = index;
        assert changes[1] = cast(after, felt);
        return hash_vaults(
            ctx, entries + DictAccess.SIZE, n - 1, validium, rollup + DictAccess.SIZE, changes + 2
        );
    }
    return hash_vaults(
        ctx, entries + DictAccess.SIZE, n - 1, validium, rollup + DictAccess.SIZE, changes
    );
}

// The previous root from the previous state's leaves, the new one with the updates applied; both
// checked by merkle_multi_update (the previous root is pinned by L1).
func tree_roots{pedersen_ptr: HashBuiltin*, range_check_ptr}(
    updates: DictAccess*, n, height, tree
) -> Roots {
    alloc_locals;
    local prev_root;
    local new_root;
    %{
        preimage = {}
        if ids.tree == 2:
            _leaves = {int(k): _felt(v)
                       for k, v in program_input["previous_state"]["orders"].items()}
            _empty = 0
        else:
            _leaves = {}
            for k, v in program_input["previous_state"]["vaults"].items():
                if (int(k) >= 2**63) == (ids.tree == 1):
                    _leaves[int(k) - 2**63 * ids.tree] = _vault_leaf(_vault_fields(v))
            _empty = _ZERO_VAULT
        ids.prev_root = _sparse_root(_leaves, ids.height, _empty, preimage)
        for _i in range(ids.n):
            _entry = ids.updates.address_ + _i * ids.DictAccess.SIZE
            _leaves[memory[_entry + ids.DictAccess.key]] = memory[_entry + ids.DictAccess.new_value]
        ids.new_root = _sparse_root(_leaves, ids.height, _empty, preimage)
    %}
    merkle_multi_update{hash_ptr=pedersen_ptr}(updates, n, height, prev_root, new_root);
    return (Roots(prev_root=prev_root, new_root=new_root));
}

struct VaultRoots {
    validium: Roots,
    rollup: Roots,
    changes: felt*,
    changes_end: felt*,
}

func finalize_vaults{pedersen_ptr: HashBuiltin*, range_check_ptr}(
    ctx: BatchContext*, start: DictAccess*, end: DictAccess*
) -> VaultRoots {
    alloc_locals;
    let (squashed, n) = squash(start, end);
    let (local validium: DictAccess*) = alloc();
    let (local rollup: DictAccess*) = alloc();
    let (local changes: felt*) = alloc();
    let (validium_end, rollup_end, changes_end) = hash_vaults(
        ctx, squashed, n, validium, rollup, changes
    );
    local rollup_end: DictAccess* = rollup_end;
    local changes_end: felt* = changes_end;
    let validium_roots = tree_roots(
        validium,
        (validium_end - validium) / DictAccess.SIZE,
        ctx.config.validium_vault_tree_height,
        0,
    );
    local validium_roots: Roots = validium_roots;
    let rollup_roots = tree_roots(
        rollup, (rollup_end - rollup) / DictAccess.SIZE, ctx.config.rollup_vault_tree_height, 1
    );
    return (
        VaultRoots(
            validium=validium_roots, rollup=rollup_roots, changes=changes, changes_end=changes_end
        )
    );
}

func finalize_orders{pedersen_ptr: HashBuiltin*, range_check_ptr}(
    ctx: BatchContext*, start: DictAccess*, end: DictAccess*
) -> Roots {
    let (squashed, n) = squash(start, end);
    return tree_roots(squashed, n, ctx.config.order_tree_height, 2);
}
