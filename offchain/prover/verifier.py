"""The STARK verifier: replays the channel, checks the out-of-domain composition identity, the
decommitments, the DEEP values and FRI. Raises ProofError naming the first failed check."""
from dataclasses import dataclass
from functools import cached_property
from typing import Type

from offchain.prover import fri
from offchain.prover.air import Air, Frame
from offchain.prover.channel import Channel
from offchain.prover.composition import periodic_at, vanishing_at
from offchain.prover.errors import ProofError
from offchain.prover.field import COSET_SHIFT, P, inv, log2, powers, root_of_unity, is_power_of_two
from offchain.prover.merkle import verify_row
from offchain.prover.params import DEFAULT_MIN_SECURITY_BITS, MAX_LOG_LDE_SIZE
from offchain.prover.proof import Proof
from offchain.prover.protocol import air_problems, seed_words


@dataclass
class Transcript:
    """What the verifier draws from the channel for a proof, and the proof's shape checks done."""

    proof: Proof
    air: Air
    challenges: list[int]
    alpha: int
    z: int
    gamma: int
    betas: list[int]
    positions: list[int]
    fri_layout: "fri.FriLayout"

    @property
    def lde_size(self) -> int:
        return self.air.trace_length * self.proof.params.blowup

    @cached_property
    def deep_coefficients(self) -> list[int]:
        return powers(self.gamma, len(self.air.mask()) + self.air.n_composition_parts())

    @cached_property
    def mask_points(self) -> list[int]:
        g = root_of_unity(log2(self.air.trace_length))
        by_offset = {o: self.z * pow(g, o, P) % P for o in {o for _, o in self.air.mask()}}
        return [by_offset[o] for _, o in self.air.mask()]

    def deep_value(self, q: int, trace_rows: list[list[int]], composition_row: list[int]) -> int:
        """DEEP(s·w^q) from the decommitted rows (README step 6)."""
        proof, mask = self.proof, self.air.mask()
        coeffs, points = self.deep_coefficients, self.mask_points
        x = COSET_SHIFT * pow(root_of_unity(log2(self.lde_size)), q, P) % P
        row = [v for r in trace_rows for v in r]
        deep = 0
        for i, (c, _) in enumerate(mask):
            deep += coeffs[i] * (row[c] - proof.ood_trace[i]) * inv(x - points[i])
        x_minus_z_inv = inv(x - self.z)
        for i in range(len(proof.ood_composition)):
            deep += coeffs[len(mask) + i] * (composition_row[i] - proof.ood_composition[i]) * x_minus_z_inv
        return deep % P


def replay(proof: Proof | bytes, air_class: Type[Air], min_security_bits: int = DEFAULT_MIN_SECURITY_BITS) -> Transcript:
    """Checks everything about a proof but its query decommitments (the parameters, the AIR, the
    shape, the out-of-domain composition identity, the proof of work) and returns what the
    channel drew. Raises ProofError naming the first failed check."""
    # A Proof object goes through its bytes too, so that every canonical-form check applies.
    proof = Proof.from_bytes(bytes(proof) if isinstance(proof, (bytes, bytearray)) else proof.to_bytes())
    params = proof.params

    problems = params.problems()
    if problems:
        raise ProofError("bad proof parameters: " + "; ".join(problems), "BadParams")
    if params.security_bits < min_security_bits:
        raise ProofError(f"conjectured security {params.security_bits} bits is below the minimum {min_security_bits}",
                         "SecurityTooLow")
    n = proof.trace_length
    if not is_power_of_two(n) or n.bit_length() > MAX_LOG_LDE_SIZE:
        raise ProofError(f"trace length {n} is not a power of two within bounds", "BadTraceLength")
    try:
        air = air_class(n, proof.public_inputs)
    except ValueError as e:
        # The AIR's own error (e.g. the Cairo statement's rule) is the cause.
        raise ProofError(f"public inputs rejected by the AIR: {e}", "StatementRejected") from e
    problems = air_problems(air, params)
    if problems:
        raise ProofError("AIR does not fit the proof parameters: " + "; ".join(problems), "AirDoesNotFit")
    blowup = params.blowup
    size = n * blowup
    n_segments = 2 if air.aux_width else 1
    mask = air.mask()
    n_parts = air.n_composition_parts()
    fri_layout = fri.fri_layout(size, n, params)

    if len(proof.trace_roots) != n_segments:
        raise ProofError(f"expected {n_segments} trace commitments, got {len(proof.trace_roots)}", "WrongShape")
    if len(proof.ood_trace) != len(mask):
        raise ProofError(f"expected {len(mask)} out-of-domain trace values, got {len(proof.ood_trace)}", "WrongShape")
    if len(proof.ood_composition) != n_parts:
        raise ProofError(f"expected {n_parts} out-of-domain composition values, got {len(proof.ood_composition)}",
                         "WrongShape")
    if len(proof.queries) != params.n_queries:
        raise ProofError(f"expected {params.n_queries} query decommitments, got {len(proof.queries)}", "WrongShape")

    # Replay the channel.
    channel = Channel(seed_words(params, n, air.public_inputs))
    channel.absorb_root(proof.trace_roots[0])
    challenges = channel.draw_felts(air.n_challenges)
    if air.aux_width:
        channel.absorb_root(proof.trace_roots[1])
    alpha = channel.draw_felt()
    channel.absorb_root(proof.composition_root)
    z = channel.draw_felt()
    g = root_of_unity(log2(n))
    if pow(z, size, P) == pow(COSET_SHIFT, size, P) or pow(z, n, P) == 1:
        raise ProofError("out-of-domain point falls in the trace or evaluation domain", "OodPointInDomain")
    channel.absorb(proof.ood_trace + proof.ood_composition)

    _check_composition_at_z(air, proof, challenges, alpha, z, g)

    gamma = channel.draw_felt()
    betas = fri.read_commitments(channel, fri_layout, proof.fri_roots, proof.fri_remainder)
    if not channel.pow_ok(proof.pow_nonce, params.grinding_bits):
        raise ProofError("proof-of-work nonce does not meet the grinding difficulty", "PowFailed")
    channel.absorb([proof.pow_nonce])
    positions = channel.draw_queries(params.n_queries, size)
    return Transcript(proof, air, challenges, alpha, z, gamma, betas, positions, fri_layout)


def verify(proof: Proof | bytes, air_class: Type[Air], min_security_bits: int = DEFAULT_MIN_SECURITY_BITS) -> Air:
    """Verifies a proof (or its bytes) for the AIR class; returns the AIR (with its public
    inputs) on success. Raises ProofError otherwise."""
    t = replay(proof, air_class, min_security_bits)
    proof, air = t.proof, t.air
    n_segments = len(proof.trace_roots)
    n_parts = len(proof.ood_composition)
    depth = log2(t.lde_size)
    for qi, (q, d) in enumerate(zip(t.positions, proof.queries)):
        if len(d.trace_rows) != n_segments or len(d.trace_paths) != n_segments:
            raise ProofError(f"query {qi}: expected {n_segments} trace decommitments")
        widths = [air.main_width, air.aux_width][:n_segments]
        for s in range(n_segments):
            if len(d.trace_rows[s]) != widths[s]:
                raise ProofError(f"query {qi}: trace {s} row has {len(d.trace_rows[s])} values, expected {widths[s]}")
            if not verify_row(proof.trace_roots[s], q, d.trace_rows[s], d.trace_paths[s], depth):
                raise ProofError(f"query {qi}: trace {s} decommitment does not match commitment", "TracePathMismatch")
        if len(d.composition_row) != n_parts:
            raise ProofError(f"query {qi}: composition row has {len(d.composition_row)} values, expected {n_parts}")
        if not verify_row(proof.composition_root, q, d.composition_row, d.composition_path, depth):
            raise ProofError(f"query {qi}: composition decommitment does not match commitment", "CompositionPathMismatch")
        deep = t.deep_value(q, d.trace_rows, d.composition_row)
        fri.verify_query(t.fri_layout, proof.fri_roots, t.betas, proof.fri_remainder, t.lde_size, COSET_SHIFT, q,
                         deep, d.fri_values, d.fri_paths, qi)
    return air


def _check_composition_at_z(air: Air, proof: Proof, challenges: list[int], alpha: int, z: int, g: int) -> None:
    """sum_k alpha^k N_k(z) / Z_k(z), from the trace values at z, must equal sum_i z^(i n) H_i(z)."""
    n = air.trace_length
    rows: dict[int, list] = {o: [None] * air.width for o in air.offsets}
    for (c, o), v in zip(air.mask(), proof.ood_trace):
        rows[o][c] = v
    periodic = periodic_at(air.periodic_columns(), n, z)
    numerators = air.evaluate(Frame(rows), periodic, challenges)
    constraints = air.constraints()
    expected = 0
    for coeff, c, num in zip(powers(alpha, len(constraints)), constraints, numerators):
        expected += coeff * (num % P) * inv(vanishing_at(c.rows, n, z))
    z_n = pow(z, n, P)
    actual = sum(h * pow(z_n, i, P) for i, h in enumerate(proof.ood_composition))
    if (expected - actual) % P:
        raise ProofError("out-of-domain composition value does not match the constraints at z", "CompositionMismatch")
