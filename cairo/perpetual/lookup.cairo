// Lookups in arrays sorted by a key at offset 0 (config synthetics, funding indices, prices,
// position assets), answering "found or not" so a missing entry is an error code, not a failed run.
from starkware.cairo.common.find_element import find_element, search_sorted

// (pointer to the element with `key`, 1) or (array, 0). The array's keys must be strictly
// increasing. The hint only picks the proof: find_element's when the key is there (cheap), else
// search_sorted's, which proves absence and would also find a present key; a hint that lies
// about presence fails the run or changes nothing.
func find_sorted{range_check_ptr}(array: felt*, elm_size, n_elms, key) -> (elm_ptr: felt*, found: felt) {
    tempvar present;
    %{ ids.present = int(any(memory[ids.array + ids.elm_size * i] == ids.key for i in range(ids.n_elms))) %}
    if (present != 0) {
        let (elm_ptr) = find_element(array_ptr=array, elm_size=elm_size, n_elms=n_elms, key=key);
        return (elm_ptr=elm_ptr, found=1);
    }
    let (elm_ptr, found) = search_sorted(array_ptr=array, elm_size=elm_size, n_elms=n_elms, key=key);
    return (elm_ptr=elm_ptr, found=found);
}
