"""Where the prover's heavy phases run: one protocol (prover.py) over a backend chosen when the
prover is called, in the shape of winterfell's prover with its `TraceLde` and
`ConstraintEvaluator` types (no global switch).

Two backends give byte-identical proofs:
- `NativeBackend` (offchain/prover/native): the Rust core, column-major arrays that never pass
  through Python ints, rayon on every core; the default wherever the extension is installed
  (`make setup` builds it).
- `ReferenceBackend` (offchain/prover/reference.py): Python ints and numpy object arrays, the
  executable definition the native core is tested against.

A backend provides, for the protocol steps of offchain/prover/README.md:
    columns(trace, width, n, take=False)
                                      the main trace in the backend's form (from lists of ints,
                                      or already native; take: moved out of the caller's native
                                      columns); ValueError on a wrong shape
    commit(columns, blowup, interpolated=False) -> Segment
                                      LDE and Merkle tree of columns given by values on the trace
                                      domain (or by coefficients); Segment has .root, .width,
                                      .path(q), .rows(qs) -> list of rows of ints
    aux_columns(air, main, challenges) the interaction columns
    check(air, columns, challenges)   TraceError naming the first failing constraint and row
    composition_parts(air, segments, challenges, alpha, check) -> parts (coefficients)
    evaluate(segments, at)            [column c (numbered across segments) at x for (c, x) in at]
    deep(segments, groups, blowup)    DEEP over the LDE domain, groups = [(point, [(column, weight,
                                      value)])], value the column's out-of-domain value
    fri_layer(values, folding)        a committed FRI layer: .root, .size, .fold(shift, beta),
                                      .decommit(j) -> (values, path)
    interpolate(values, shift)        coefficients (ints) of the last FRI layer
    grind(state, bits)                the smallest proof-of-work nonce
"""
from __future__ import annotations

import logging
from functools import cache

log = logging.getLogger("offchain.prover")


@cache
def default_backend():
    """The native backend where its extension is installed, else the reference (with a warning:
    it is tens of times slower)."""
    from offchain.prover import native

    if native.available():
        return native.NativeBackend()
    log.warning("the native prover core (stark_native) is not installed: proving with the Python reference")
    from offchain.prover.reference import ReferenceBackend

    return ReferenceBackend()
