"""A generic STARK prover and verifier over the Stark field, in the shape of winterfell.

Modules, one job each:
- field:    the Stark field (prime, generator, roots of unity, inversion)
- kernels:  the hot loops (NTT, coset LDE, batch inversion, Merkle hashing) on lists of ints,
            swappable for native versions with the same signatures; `array_backend()` says
            whether they also offer native arrays (then the prover keeps its LDEs, constraint
            evaluation and DEEP in native/felt_array.FeltArray columns)
- poly:     polynomial helpers built on the kernels (interpolation, evaluation)
- merkle:   keccak256 Merkle trees over rows
- channel:  the Fiat-Shamir channel on keccak256, with proof-of-work grinding
- params:   ProofParams and conjectured security
- air:      the AIR interface every statement implements
- fri:      the FRI low-degree test (prover and verifier sides)
- proof:    the Proof dataclass and its byte layout
- prover / verifier: the protocol
- airs/:    concrete AIRs (Fibonacci, a permutation-argument AIR)
- cairo/:   the Cairo CPU AIR, its statement and trace
- native/:  compiled field kernels on (n, 4) uint64 arrays
"""
from offchain.prover.errors import ProofError
from offchain.prover.params import ProofParams
from offchain.prover.proof import Proof
from offchain.prover.prover import prove
from offchain.prover.verifier import verify

__all__ = ["ProofError", "ProofParams", "Proof", "prove", "verify"]
