"""A generic STARK prover and verifier over the Stark field, in the shape of winterfell.

Modules, one job each:
- field:    the Stark field (prime, generator, roots of unity, inversion)
- kernels:  the reference hot loops (NTT, coset LDE, batch inversion, Merkle hashing) on lists
            of ints, whose conventions the native core follows
- poly:     polynomial helpers built on the kernels (interpolation, evaluation)
- symbolic: AIR constraints recorded as a straight-line tape (for the native core and Solidity)
- merkle:   keccak256 Merkle trees over rows
- channel:  the Fiat-Shamir channel on keccak256, with proof-of-work grinding
- params:   ProofParams and conjectured security
- air:      the AIR interface every statement implements
- fri:      the FRI low-degree test (prover and verifier sides)
- proof:    the Proof dataclass and its byte layout
- backend:  where the prover's heavy phases run (native by default, or the reference)
- reference: the reference backend (Python ints, numpy object arrays)
- prover / verifier: the protocol
- airs/:    concrete AIRs (Fibonacci, a permutation-argument AIR)
- cairo/:   the Cairo CPU AIR, its statement and trace
- native/:  the native backend over the Rust core of native/ (stark_native)
"""
from offchain.prover.errors import ProofError, ProverIoError
from offchain.prover.params import ProofParams
from offchain.prover.proof import Proof
from offchain.prover.prover import prove
from offchain.prover.verifier import verify

__all__ = ["ProofError", "ProofParams", "Proof", "ProverIoError", "prove", "verify"]
