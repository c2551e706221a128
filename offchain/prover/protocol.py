"""What the prover and the verifier must agree on besides the AIR: the channel seed and the
compatibility of an AIR with the proof parameters."""
from offchain.prover.air import Air
from offchain.prover.composition import check_periodic_columns
from offchain.prover.field import log2
from offchain.prover.params import MAX_LOG_LDE_SIZE, ProofParams


def seed_words(params: ProofParams, trace_length: int, public_inputs: list[int]) -> list[int]:
    """The channel's first input: the statement and the parameters, as proof words."""
    return [*params.to_words(), trace_length, len(public_inputs), *public_inputs]


def air_problems(air: Air, params: ProofParams) -> list[str]:
    n = air.trace_length
    out = []
    if log2(n) + log2(params.blowup) > MAX_LOG_LDE_SIZE:
        out.append(f"LDE domain of 2^{log2(n) + log2(params.blowup)} points is too large")
    if air.max_degree() > params.blowup:
        out.append(f"blowup {params.blowup} is below the constraint degree {air.max_degree()}")
    if air.n_composition_parts() > params.blowup:
        out.append("the composition polynomial does not fit the LDE domain")
    if params.n_queries > n * params.blowup // 2:
        out.append(f"{params.n_queries} queries do not fit an LDE domain of {n * params.blowup}")
    try:
        check_periodic_columns(air.periodic_columns(), n)
        for c in air.constraints():
            c.rows.resolved(n)
    except ValueError as e:
        out.append(str(e))
    return out
