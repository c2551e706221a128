"""The STARK prover: trace -> commitments -> composition -> DEEP -> FRI -> grinding -> queries."""
import logging
from dataclasses import dataclass

import numpy as np

from offchain.logs import StageSequence
from offchain.prover import fri, kernels
from offchain.prover.air import Air, Frame
from offchain.prover.channel import Channel
from offchain.prover.composition import periodic_on_lde, vanishing_inverse_on_lde, domain_points
from offchain.prover.field import COSET_SHIFT, P, log2, powers, root_of_unity
from offchain.prover.merkle import MerkleTree
from offchain.prover.native.codec import to_array
from offchain.prover.native.felt_array import FeltArray
from offchain.prover.params import ProofParams
from offchain.prover.poly import evaluate
from offchain.prover.proof import Proof, QueryDecommitment
from offchain.prover.protocol import air_problems, seed_words


log = logging.getLogger("offchain.prover")


class TraceError(ValueError):
    """The trace does not satisfy the AIR (found by the prover's own checks)."""


@dataclass
class _Segment:
    """One committed block of columns: their coefficients, LDE and Merkle tree."""

    coeffs: list[list[int]]
    lde: list  # numpy object arrays, or FeltArrays when committed on an array backend
    tree: MerkleTree

    @classmethod
    def commit(cls, columns: list[list[int]], blowup: int, interpolated: bool = False, backend=None) -> "_Segment":
        coeffs = columns if interpolated else [kernels.intt(c) for c in columns]
        if backend is not None:
            # LDE, leaves and tree stay in native arrays: no round trip through Python ints.
            stacked = np.stack([backend.coset_lde(to_array(c), blowup, COSET_SHIFT) for c in coeffs])
            layers = [_digests(layer) for layer in backend.merkle_layers(backend.keccak_rows(stacked.transpose(1, 0, 2)))]
            return cls(coeffs, [FeltArray(backend, column) for column in stacked], MerkleTree(layers))
        lde = [kernels.coset_lde(c, blowup, COSET_SHIFT) for c in coeffs]
        return cls(coeffs, [np.array(c, dtype=object) for c in lde], MerkleTree.from_columns(lde))

    def row(self, index: int) -> list[int]:
        return [int(col[index]) for col in self.lde]


def prove(air: Air, main_trace: list[list[int]], params: ProofParams = ProofParams(), check: bool = True) -> Proof:
    """A proof that main_trace (column-major) satisfies `air`.

    check=True (the default) verifies the constraints on the trace first and raises TraceError
    naming the first failing constraint and row; check=False skips every prover-side check, so
    that tests can watch the verifier reject a proof of a wrong trace."""
    problems = params.problems() + air_problems(air, params)
    if problems:
        raise ValueError("; ".join(problems))
    n, blowup = air.trace_length, params.blowup
    size = n * blowup
    if len(main_trace) != air.main_width or any(len(c) != n for c in main_trace):
        raise ValueError(f"main trace must be {air.main_width} columns of {n} rows")
    main_trace = [[v % P for v in col] for col in main_trace]

    progress = StageSequence(log, "prove", trace_length=n)
    progress.enter("main_trace_commit")
    channel = Channel(seed_words(params, n, air.public_inputs))
    # With compiled kernels, the LDEs, constraints and DEEP run on native arrays (same values, faster).
    backend = kernels.array_backend() if not air.periodic_columns() else None
    segments = [_Segment.commit(main_trace, blowup, backend=backend)]
    channel.absorb_root(segments[0].tree.root)
    challenges = channel.draw_felts(air.n_challenges)
    trace = list(main_trace)
    if air.aux_width:
        progress.enter("aux_trace_commit")
        aux = air.build_aux_trace(main_trace, challenges)
        if len(aux) != air.aux_width or any(len(c) != n for c in aux):
            raise ValueError(f"aux trace must be {air.aux_width} columns of {n} rows")
        aux = [[v % P for v in col] for col in aux]
        trace += aux
        segments.append(_Segment.commit(aux, blowup, backend=backend))
        channel.absorb_root(segments[1].tree.root)
    if check:
        progress.enter("trace_check")
        check_trace(air, trace, challenges)

    progress.enter("composition")
    # Composition polynomial: sum_k alpha^k * numerator_k / Z_k over the LDE domain.
    alpha = channel.draw_felt()
    lde_columns = [col for seg in segments for col in seg.lde]
    if backend:
        composition = _composition_native(air, lde_columns, challenges, alpha, blowup)
    else:
        composition = _composition_on_lde(air, lde_columns, challenges, alpha, blowup).tolist()
    coeffs = kernels.coset_intt(composition, COSET_SHIFT)
    n_parts = air.n_composition_parts()
    if check and any(coeffs[n_parts * n:]):
        raise TraceError("composition polynomial exceeds its degree bound: a constraint degree is declared too low")
    parts = [coeffs[i * n:(i + 1) * n] for i in range(n_parts)]
    comp_segment = _Segment.commit(parts, blowup, interpolated=True, backend=backend)
    channel.absorb_root(comp_segment.tree.root)

    progress.enter("out_of_domain")
    # Out-of-domain point z: trace values at z * g^offset, composition parts at z.
    z = channel.draw_felt()
    g = root_of_unity(log2(n))
    trace_coeffs = [c for seg in segments for c in seg.coeffs]
    mask = air.mask()
    ood_trace = [evaluate(trace_coeffs[c], z * pow(g, o, P) % P) for c, o in mask]
    ood_composition = [evaluate(p, z) for p in parts]
    channel.absorb(ood_trace + ood_composition)

    progress.enter("deep")
    # DEEP composition: sum gamma^i (f_i(x) - f_i(point_i)) / (x - point_i).
    gamma = channel.draw_felt()
    deep = _deep_on_lde(air, lde_columns, comp_segment.lde, ood_trace, ood_composition, z, gamma, n, size)

    progress.enter("fri")
    fri_commitment = fri.commit(channel, deep, COSET_SHIFT, n, params, check=check)
    progress.enter("grinding")
    nonce = channel.grind(params.grinding_bits)
    channel.absorb([nonce])
    positions = channel.draw_queries(params.n_queries, size)

    progress.enter("queries")
    queries = []
    for q in positions:
        values, paths = fri_commitment.decommit(q)
        queries.append(QueryDecommitment(
            trace_rows=[seg.row(q) for seg in segments],
            trace_paths=[seg.tree.path(q) for seg in segments],
            composition_row=comp_segment.row(q),
            composition_path=comp_segment.tree.path(q),
            fri_values=values,
            fri_paths=paths,
        ))
    progress.finish()
    return Proof(params, n, list(air.public_inputs), [s.tree.root for s in segments], comp_segment.tree.root,
                 ood_trace, ood_composition, fri_commitment.roots, fri_commitment.remainder, nonce, queries)


def _digests(layer: np.ndarray) -> list[bytes]:
    data = layer.tobytes()
    return [data[i:i + 32] for i in range(0, len(data), 32)]


def _frame(air: Air, columns: list, stride: int) -> Frame:
    """Rows at each mask offset: column c at offset o is column c shifted by o rows (stride
    points per row)."""
    def shifted(col, k: int):
        return col.roll(k) if isinstance(col, FeltArray) else np.roll(col, -k)

    rows = {}
    for o in air.offsets:
        rows[o] = [shifted(col, o * stride) if o in air.column_offsets(c) else None for c, col in enumerate(columns)]
    return Frame(rows)


def _composition_native(air: Air, columns: list[FeltArray], challenges: list[int], alpha: int,
                        blowup: int) -> list[int]:
    """_composition_on_lde on native arrays (an AIR without periodic columns)."""
    n = air.trace_length
    numerators = air.evaluate(_frame(air, columns, blowup), [], challenges)
    constraints = air.constraints()
    if len(numerators) != len(constraints):
        raise ValueError(f"evaluate returned {len(numerators)} values for {len(constraints)} constraints")
    backend, size = columns[0].backend, len(columns[0])
    groups: dict[tuple, tuple] = {}
    for coeff, c, num in zip(powers(alpha, len(constraints)), constraints, numerators):
        key = c.rows.resolved(n)
        rows, acc = groups.get(key, (c.rows, 0))
        groups[key] = (rows, acc + (num % P) * coeff)
    total = FeltArray.from_ints(backend, [0] * size)
    for rows, combined in groups.values():
        if isinstance(combined, int):  # constraints that reduced to constants
            combined = FeltArray.from_ints(backend, [combined % P] * size)
        total = total + combined * FeltArray.from_ints(backend, vanishing_inverse_on_lde(rows, n, blowup, COSET_SHIFT))
    return total.ints()


def _composition_on_lde(air: Air, lde_columns: list[np.ndarray], challenges: list[int], alpha: int,
                        blowup: int) -> np.ndarray:
    n = air.trace_length
    frame = _frame(air, lde_columns, blowup)
    periodic = periodic_on_lde(air.periodic_columns(), n, blowup, COSET_SHIFT)
    numerators = air.evaluate(frame, periodic, challenges)
    constraints = air.constraints()
    if len(numerators) != len(constraints):
        raise ValueError(f"evaluate returned {len(numerators)} values for {len(constraints)} constraints")
    # Constraints sharing a row set share a vanishing polynomial: combine their numerators
    # first, then divide once per row set.
    groups: dict[tuple, tuple] = {}
    for coeff, c, num in zip(powers(alpha, len(constraints)), constraints, numerators):
        key = c.rows.resolved(n)
        rows, acc = groups.get(key, (c.rows, 0))
        groups[key] = (rows, (acc + (num % P) * coeff) % P)
    total = np.zeros(n * blowup, dtype=object)
    for rows, combined in groups.values():
        total = (total + combined * vanishing_inverse_on_lde(rows, n, blowup, COSET_SHIFT)) % P
    return total


def _deep_on_lde(air: Air, lde_columns: list, parts_lde: list, ood_trace: list[int],
                 ood_composition: list[int], z: int, gamma: int, n: int, size: int) -> list[int]:
    """On numpy object arrays or on FeltArrays (native), the same arithmetic."""
    mask = air.mask()
    coeffs = powers(gamma, len(mask) + len(parts_lde))
    native = isinstance(lde_columns[0], FeltArray)
    xs = domain_points(size, COSET_SHIFT)
    if native:
        backend = lde_columns[0].backend
        xs = FeltArray.from_ints(backend, xs)
    g = root_of_unity(log2(n))
    total = 0
    by_offset: dict[int, list[int]] = {}
    for i, (_, o) in enumerate(mask):
        by_offset.setdefault(o, []).append(i)
    groups = [(z * pow(g, o, P) % P, [(lde_columns[mask[i][0]], ood_trace[i], coeffs[i]) for i in idx])
              for o, idx in by_offset.items()]
    groups.append((z, [(parts_lde[i], ood_composition[i], coeffs[len(mask) + i]) for i in range(len(parts_lde))]))
    for point, terms in groups:
        numerator = 0
        constant = 0
        for column, value, coeff in terms:
            numerator = numerator + column * coeff
            constant += value * coeff
        if native:
            denominators = FeltArray(backend, backend.batch_inverse((xs - point).data))
            total = (numerator - constant % P) * denominators + total
        else:
            denominators = np.array(kernels.batch_inverse(((xs - point) % P).tolist()), dtype=object)
            total = (total + (numerator - constant) % P * denominators) % P
    return total.ints() if native else total.tolist()


def check_trace(air: Air, trace: list[list[int]], challenges: list[int]) -> None:
    """Raises TraceError naming the first constraint that fails and a row where it fails."""
    n = air.trace_length
    columns = [np.array(c, dtype=object) for c in trace]
    frame = _frame(air, columns, 1)
    periodic = [np.array([col[i % len(col)] for i in range(n)], dtype=object) for col in air.periodic_columns()]
    numerators = air.evaluate(frame, periodic, challenges)
    for c, num in zip(air.constraints(), numerators):
        values = np.broadcast_to(np.asarray(num % P, dtype=object), (n,))
        for row in c.rows.rows(n):
            if values[row] != 0:
                raise TraceError(f"constraint {c.name!r} fails at row {row}")
