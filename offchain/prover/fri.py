"""FRI: the low-degree test on the DEEP composition polynomial.

Layer 0 holds the evaluations of f over the LDE domain D_0 = s * <w_N> (natural order). A layer
of size M folds by k (the folding factor) into a layer of size M/k over D_{i+1} = s^k * <w_N^k>:
writing f(X) = sum_{r<k} X^r g_r(X^k), the folded function is f'(Y) = sum_r beta^r g_r(Y).
Leaf j (j < M/k) of a layer commits to the k values at positions j, j + M/k, ..., j + (k-1)M/k,
whose points x*zeta^t (zeta = w_M^(M/k)) all map to x^k, position j of the next layer.
Layers 0..L-1 are committed (Merkle, one leaf per coset); the fold of layer L-1 is sent as the
coefficients of its polynomial (the remainder), `degree_bound / k^L` of them.
"""
from dataclasses import dataclass

import numpy as np

from offchain.prover.channel import Channel
from offchain.prover.errors import ProofError
from offchain.prover.field import P, inv, log2, root_of_unity
from offchain.prover.merkle import verify_row
from offchain.prover.params import ProofParams
from offchain.prover.poly import evaluate


@dataclass(frozen=True)
class FriLayout:
    folding_factor: int
    layer_sizes: list[int]  # sizes of the committed layers
    remainder_length: int  # coefficients of the last (uncommitted) layer

    @property
    def n_layers(self) -> int:
        return len(self.layer_sizes)


def fri_layout(lde_size: int, degree_bound: int, params: ProofParams) -> FriLayout:
    k = params.folding_factor
    sizes, size, bound = [], lde_size, degree_bound
    while bound > params.last_layer_degree_bound and bound % k == 0:
        sizes.append(size)
        size //= k
        bound //= k
    return FriLayout(k, sizes, bound)


def fold_layer(evals: np.ndarray, shift: int, beta: int, k: int) -> np.ndarray:
    """All of layer i+1 from layer i (size M, domain shift*<w_M>)."""
    size = len(evals)
    m = size // k
    w = root_of_unity(log2(size))
    zeta_inv = inv(pow(w, m, P))
    v = evals.reshape(k, m)
    # x_j^{-1} = shift^{-1} w^{-j}
    w_inv = inv(w)
    xinv = [0] * m
    acc = inv(shift)
    for j in range(m):
        xinv[j] = acc
        acc = acc * w_inv % P
    bx = np.array(xinv, dtype=object) * beta % P
    k_inv = inv(k)
    out = np.zeros(m, dtype=object)
    factor = np.ones(m, dtype=object)
    for r in range(k):
        inner = np.zeros(m, dtype=object)
        for t in range(k):
            inner = inner + v[t] * pow(zeta_inv, r * t, P)
        out = (out + inner % P * factor) % P
        factor = factor * bx % P
    return out * k_inv % P


def fold_coset(values: list[int], x: int, beta: int, k: int) -> int:
    """f'(x^k) from f at x*zeta^t, t < k (zeta of order k): the verifier's one-point fold."""
    zeta_inv = inv(root_of_unity(log2(k)))
    bx = beta * inv(x) % P
    out, factor = 0, 1
    for r in range(k):
        inner = sum(values[t] * pow(zeta_inv, r * t, P) for t in range(k)) % P
        out = (out + inner * factor) % P
        factor = factor * bx % P
    return out * inv(k) % P


@dataclass
class FriCommitment:
    layout: FriLayout
    layers: list  # committed layers of the backend (offchain/prover/backend.py)
    remainder: list[int]

    @property
    def roots(self) -> list[bytes]:
        return [layer.root for layer in self.layers]

    def decommit(self, position: int) -> tuple[list[list[int]], list[list[bytes]]]:
        """For one query position of layer 0: each layer's coset values and Merkle path."""
        values, paths = [], []
        k = self.layout.folding_factor
        for layer in self.layers:
            j = position % (layer.size // k)
            coset, path = layer.decommit(j)
            values.append(coset)
            paths.append(path)
            position = j
        return values, paths


def commit(channel: Channel, evals, shift: int, degree_bound: int, params: ProofParams,
           check: bool = True, backend=None, size: int | None = None) -> FriCommitment:
    """Commits the layers of `evals` (layer 0 over shift·<w_N>: a list of ints, or the backend's
    values, then `size` gives N) and sends the remainder."""
    if backend is None:
        from offchain.prover.reference import ReferenceBackend

        backend = ReferenceBackend()
    layout = fri_layout(size if size is not None else len(evals), degree_bound, params)
    k = layout.folding_factor
    current = evals
    layers = []
    for _ in range(layout.n_layers):
        layer = backend.fri_layer(current, k)
        channel.absorb_root(layer.root)
        beta = channel.draw_felt()
        layers.append(layer)
        current = layer.fold(shift, beta)
        shift = pow(shift, k, P)
    coeffs = backend.interpolate(current, shift)
    if check and any(coeffs[layout.remainder_length:]):
        raise ValueError("FRI remainder has degree above its bound: the input is not low-degree")
    remainder = coeffs[:layout.remainder_length]
    channel.absorb(remainder)
    return FriCommitment(layout, layers, remainder)


def read_commitments(channel: Channel, layout: FriLayout, roots: list[bytes], remainder: list[int]) -> list[int]:
    """The verifier's side of commit(): absorbs the roots and remainder, returns the betas."""
    if len(roots) != layout.n_layers:
        raise ProofError(f"expected {layout.n_layers} FRI layer commitments, got {len(roots)}")
    if len(remainder) != layout.remainder_length:
        raise ProofError(f"expected {layout.remainder_length} FRI remainder coefficients, got {len(remainder)}")
    betas = []
    for root in roots:
        channel.absorb_root(root)
        betas.append(channel.draw_felt())
    channel.absorb(remainder)
    return betas


def verify_query(layout: FriLayout, roots: list[bytes], betas: list[int], remainder: list[int],
                 lde_size: int, shift: int, position: int, value: int,
                 values: list[list[int]], paths: list[list[bytes]], query: int) -> None:
    """Checks one query's walk through the layers, from f(x_position) = value to the remainder."""
    k = layout.folding_factor
    if len(values) != layout.n_layers or len(paths) != layout.n_layers:
        raise ProofError(f"query {query}: expected {layout.n_layers} FRI layer decommitments")
    size = lde_size
    for i in range(layout.n_layers):
        m = size // k
        j, t = position % m, position // m
        coset = values[i]
        if len(coset) != k:
            raise ProofError(f"query {query}: FRI layer {i} decommitment has {len(coset)} values, expected {k}")
        if not verify_row(roots[i], j, coset, paths[i], log2(m)):
            raise ProofError(f"query {query}: FRI layer {i} decommitment does not match commitment")
        if coset[t] != value:
            what = "the DEEP composition value" if i == 0 else f"the fold of FRI layer {i - 1}"
            raise ProofError(f"query {query}: FRI layer {i} value does not match {what}")
        x = shift * pow(root_of_unity(log2(size)), j, P) % P
        value = fold_coset(coset, x, betas[i], k)
        position, size, shift = j, m, pow(shift, k, P)
    x = shift * pow(root_of_unity(log2(size)), position, P) % P
    if evaluate(remainder, x) != value:
        raise ProofError(f"query {query}: FRI remainder does not match the last fold")
