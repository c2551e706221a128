"""The STARK prover: trace -> commitments -> composition -> DEEP -> FRI -> grinding -> queries.

One protocol (the transcript of offchain/prover/README.md) over a backend (backend.py): the
native core by default, the Python reference when asked for or when the core is not built.
Both give the same proof bytes."""
import logging

from offchain.core.logs import StageSequence
from offchain.prover import fri
from offchain.prover.air import Air
from offchain.prover.backend import default_backend
from offchain.prover.channel import Channel
from offchain.prover.errors import TraceError, native_io_errors
from offchain.prover.field import COSET_SHIFT, P, log2, powers, root_of_unity
from offchain.prover.params import ProofParams
from offchain.prover.proof import Proof, QueryDecommitment
from offchain.prover.protocol import air_problems, seed_words

__all__ = ["prove", "TraceError"]

log = logging.getLogger("offchain.prover")


def prove(air: Air, main_trace, params: ProofParams = ProofParams(), check: bool = True, backend=None,
          consume_trace: bool = False) -> Proof:
    """A proof that main_trace (column-major: lists of ints, or the backend's native columns)
    satisfies `air`. `backend` defaults to backend.default_backend().

    consume_trace=True lets the prover take native columns out of main_trace (left empty) and
    free them once they are committed and checked: a caller that does not need the trace again
    halves the prover's peak (the trace and its coefficients are otherwise held together).

    check=True (the default) verifies the constraints on the trace first and raises TraceError
    naming the first failing constraint and row; check=False skips every prover-side check, so
    that tests can watch the verifier reject a proof of a wrong trace.

    Raises ProverIoError (an OSError) when the native core cannot create, write or read its
    spill and column files ($STARK_LDE_DIR full or not writable)."""
    with native_io_errors():
        return _prove(air, main_trace, params, check, backend, consume_trace)


def _prove(air: Air, main_trace, params: ProofParams, check: bool, backend, consume_trace: bool) -> Proof:
    backend = backend or default_backend()
    problems = params.problems() + air_problems(air, params)
    if problems:
        raise ValueError("; ".join(problems))
    n, blowup = air.trace_length, params.blowup
    size = n * blowup
    main = backend.columns(main_trace, air.main_width, n, take=consume_trace)

    progress = StageSequence(log, "prove", trace_length=n)
    progress.enter("main_trace_commit")
    channel = Channel(seed_words(params, n, air.public_inputs))
    segments = [backend.commit(main, blowup)]
    channel.absorb_root(segments[0].root)
    challenges = channel.draw_felts(air.n_challenges)
    trace = [main]
    if air.aux_width:
        progress.enter("aux_trace_commit")
        aux = backend.aux_columns(air, main, challenges)
        trace.append(aux)
        segments.append(backend.commit(aux, blowup))
        channel.absorb_root(segments[1].root)
        del aux
    if check:
        progress.enter("trace_check")
        backend.check(air, trace, challenges)
    del trace, main  # the segments keep what the rest needs

    progress.enter("composition")
    # Composition polynomial: sum_k alpha^k * numerator_k / Z_k, split into parts of degree < n.
    alpha = channel.draw_felt()
    parts = backend.composition_parts(air, segments, challenges, alpha, check)
    comp_segment = backend.commit(parts, blowup, interpolated=True)
    channel.absorb_root(comp_segment.root)

    progress.enter("out_of_domain")
    # Out-of-domain point z: trace values at z * g^offset, composition parts at z.
    z = channel.draw_felt()
    g = root_of_unity(log2(n))
    mask = air.mask()
    points = [z * pow(g, o, P) % P for _, o in mask]
    ood_trace = backend.evaluate(segments, [(c, x) for (c, _), x in zip(mask, points)])
    n_parts = comp_segment.width
    ood_composition = backend.evaluate([comp_segment], [(i, z) for i in range(n_parts)])
    channel.absorb(ood_trace + ood_composition)

    progress.enter("deep")
    # DEEP composition: sum gamma^i (f_i(x) - f_i(point_i)) / (x - point_i), grouped by point.
    gamma = channel.draw_felt()
    coeffs = powers(gamma, len(mask) + n_parts)
    by_point: dict[int, list] = {}
    for i, ((c, _), x) in enumerate(zip(mask, points)):
        by_point.setdefault(x, []).append((c, coeffs[i], ood_trace[i]))
    width = air.width
    groups = list(by_point.items())
    groups.append((z, [(width + i, coeffs[len(mask) + i], ood_composition[i]) for i in range(n_parts)]))
    deep = backend.deep(segments + [comp_segment], groups, blowup)

    progress.enter("fri")
    fri_commitment = fri.commit(channel, deep, COSET_SHIFT, n, params, check=check, backend=backend, size=size)
    del deep
    progress.enter("grinding")
    nonce = backend.grind(channel.state, params.grinding_bits)
    channel.absorb([nonce])
    positions = channel.draw_queries(params.n_queries, size)

    progress.enter("queries")
    trace_rows = [seg.rows(positions) for seg in segments]
    composition_rows = comp_segment.rows(positions)
    queries = []
    for k, q in enumerate(positions):
        values, paths = fri_commitment.decommit(q)
        queries.append(QueryDecommitment(
            trace_rows=[rows[k] for rows in trace_rows],
            trace_paths=[seg.path(q) for seg in segments],
            composition_row=composition_rows[k],
            composition_path=comp_segment.path(q),
            fri_values=values,
            fri_paths=paths,
        ))
    progress.finish()
    return Proof(params, n, list(air.public_inputs), [s.root for s in segments], comp_segment.root,
                 ood_trace, ood_composition, fri_commitment.roots, fri_commitment.remainder, nonce, queries)

