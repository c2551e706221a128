"""A generic STARK prover and verifier over the Stark field, in the shape of winterfell.

Modules, one job each:
- field:    the Stark field (prime, generator, roots of unity, inversion)
- kernels:  the hot loops (NTT, coset LDE, batch inversion, Merkle hashing) on lists of ints,
            swappable for native versions with the same signatures
- poly:     polynomial helpers built on the kernels (interpolation, evaluation)
- merkle:   keccak256 Merkle trees over rows
- channel:  the Fiat-Shamir channel on keccak256, with proof-of-work grinding
- params:   ProofParams and conjectured security
- air:      the AIR interface every statement implements
- fri:      the FRI low-degree test (prover and verifier sides)
- proof:    the Proof dataclass and its byte layout
- prover / verifier: the protocol
- airs/:    concrete AIRs (Fibonacci, a permutation-argument AIR)
"""
from offchain.prover.errors import ProofError
from offchain.prover.params import ProofParams
from offchain.prover.proof import Proof
from offchain.prover.prover import prove
from offchain.prover.verifier import verify

__all__ = ["ProofError", "ProofParams", "Proof", "prove", "verify"]
