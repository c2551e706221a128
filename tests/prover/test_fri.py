"""FRI alone: low-degree inputs pass, high-degree inputs are caught, folds agree."""
import random

import numpy as np
import pytest

from offchain.prover import fri, kernels
from offchain.prover.channel import Channel
from offchain.prover.errors import ProofError
from offchain.prover.field import GENERATOR, P, root_of_unity
from offchain.prover.params import ProofParams

rng = random.Random(3)


def run_fri(evals, degree_bound, params, check=True):
    """Prover then verifier over the same channel seed; returns the number of layers."""
    size = len(evals)
    commitment = fri.commit(Channel([5]), evals, GENERATOR, degree_bound, params, check=check)
    channel = Channel([5])
    betas = fri.read_commitments(channel, commitment.layout, commitment.roots, commitment.remainder)
    for qi, q in enumerate(channel.draw_queries(params.n_queries, size)):
        values, paths = commitment.decommit(q)
        fri.verify_query(commitment.layout, commitment.roots, betas, commitment.remainder, size, GENERATOR,
                         q, evals[q], values, paths, qi)
    return commitment.layout.n_layers


@pytest.mark.parametrize("k,last", [(2, 1), (2, 4), (4, 2), (8, 8)])
def test_low_degree_polynomial_passes(k, last):
    n, blowup = 64, 4
    params = ProofParams(blowup=blowup, n_queries=10, folding_factor=k, last_layer_degree_bound=last)
    evals = kernels.coset_lde([rng.randrange(P) for _ in range(n)], blowup, GENERATOR)
    layers = run_fri(evals, n, params)
    assert layers == fri.fri_layout(n * blowup, n, params).n_layers > 0


def test_high_degree_input_is_rejected():
    n, blowup = 64, 4
    params = ProofParams(blowup=blowup, n_queries=10, folding_factor=2, last_layer_degree_bound=4)
    evals = kernels.coset_lde([rng.randrange(P) for _ in range(2 * n)], blowup // 2, GENERATOR)
    with pytest.raises(ValueError):
        fri.commit(Channel([5]), evals, GENERATOR, n, params)
    with pytest.raises(ProofError):
        run_fri(evals, n, params, check=False)


def test_fold_layer_matches_fold_coset():
    for k in (2, 4, 8):
        size = 64
        evals = [rng.randrange(P) for _ in range(size)]
        beta = rng.randrange(P)
        folded = fri.fold_layer(np.array(evals, dtype=object), GENERATOR, beta, k)
        w = root_of_unity(6)
        m = size // k
        for j in range(m):
            x = GENERATOR * pow(w, j, P) % P
            assert folded[j] == fri.fold_coset([evals[j + t * m] for t in range(k)], x, beta, k)


def test_fold_halves_the_degree():
    n, blowup = 32, 4
    coeffs = [rng.randrange(P) for _ in range(n)]
    evals = np.array(kernels.coset_lde(coeffs, blowup, GENERATOR), dtype=object)
    beta = rng.randrange(P)
    folded = fri.fold_layer(evals, GENERATOR, beta, 2).tolist()
    expected = [(coeffs[2 * i] + beta * coeffs[2 * i + 1]) % P for i in range(n // 2)]
    assert kernels.coset_intt(folded, GENERATOR * GENERATOR % P) == expected + [0] * (len(folded) - n // 2)
