// Squashing a Cairo dict, and the previous and new roots of the tree it updates.
from starkware.cairo.common.alloc import alloc
from starkware.cairo.common.dict_access import DictAccess
from starkware.cairo.common.squash_dict import squash_dict

struct Roots {
    prev_root: felt,
    new_root: felt,
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
