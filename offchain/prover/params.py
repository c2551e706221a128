"""Proof parameters, stated in every proof, and their conjectured security."""
import math
from dataclasses import dataclass, astuple

from offchain.prover.field import is_power_of_two

# The least conjectured security a deployed verifier accepts: the Solidity StarkVerifier refuses to
# be constructed with a lower minimum (its MIN_SECURITY_BITS_FLOOR), and verify_run of the Cairo
# statement refuses a lower one. Only the generic verify() takes less, for the protocol's own tests.
MIN_SECURITY_BITS_FLOOR = 96
DEFAULT_MIN_SECURITY_BITS = MIN_SECURITY_BITS_FLOOR
MAX_LOG_LDE_SIZE = 32  # a verifier refuses anything larger, before allocating


@dataclass(frozen=True)
class ProofParams:
    """blowup: LDE domain size / trace length (power of two, >= 2).
    n_queries: FRI (and trace) queries. grinding_bits: proof-of-work difficulty.
    folding_factor: FRI folds by this (2, 4 or 8) per layer.
    last_layer_degree_bound: FRI stops folding once the degree bound is at most this (power of
    two); the last layer's coefficients are sent in clear.

    The default is blowup 8, 27 queries, 16 bits: 27 * 3 + 16 = 97 bits. Folding by 4 down to
    64 coefficients halves the proof against folding by 2 down to 8 (measured on a 2^14-row
    Fibonacci trace: 98 KiB against 175 KiB), for 16 products per fold in the verifier.

    Blowup 4 with 40 queries and 17 bits (also 97 bits) proves the Cairo AIR with 0.57 of the CPU
    time but costs 1.41x the proof and 1.43x the verification gas (bench/cairo_prover.py, native
    core, fibonacci.cairo at 2^16 steps: 10.1 against 17.2 CPU s, 276 against 195 KiB, 14.2M
    against 9.9M gas; at 2^18: 44.8 against 77.9 CPU s, 37.2 against 66.8 since the native
    core's branch-free additions). On the batch program, 100 transfers
    (524,288 rows x 131 columns; `python -m bench.batch_prover --sizes 100 --params
    8:27:16,4:40:17 --gas`): 187.6 against 288.7 CPU s (0.65x), 527 against 399 KiB (1.32x),
    registration 38.8M against 30.3M gas (1.28x) in 11 against 10 transactions (largest 16.2M).
    On a live network the 8.7M gas a batch saves outweighs the prover time it costs, so the
    default stays; both verifiers accept either set. Blowup 2 with 80 queries and 16 bits (96
    bits) proves the same batch in 54.8 s wall (97.7 CPU s) against 79.5 at blowup 4 and 125.1
    at blowup 8, for a 921 KiB proof and 65.4M gas (README's table): `LOCAL_NODE_PARAMS`, where
    gas costs nothing. An operator chooses through `ape run operator --proof-params` (`parse`),
    which reaches StarkFactProver's params."""

    blowup: int = 8
    n_queries: int = 27
    grinding_bits: int = 16
    folding_factor: int = 4
    last_layer_degree_bound: int = 64

    @property
    def security_bits(self) -> int:
        """Conjectured security: n_queries * log2(blowup) + grinding_bits."""
        return self.n_queries * int(math.log2(self.blowup)) + self.grinding_bits

    def problems(self) -> list[str]:
        """Why these parameters are malformed (empty if they are fine)."""
        out = []
        if not (is_power_of_two(self.blowup) and 2 <= self.blowup <= 256):
            out.append(f"blowup {self.blowup} is not a power of two in [2, 256]")
        if not 1 <= self.n_queries <= 256:
            out.append(f"n_queries {self.n_queries} is not in [1, 256]")
        if not 0 <= self.grinding_bits <= 40:
            out.append(f"grinding_bits {self.grinding_bits} is not in [0, 40]")
        if self.folding_factor not in (2, 4, 8):
            out.append(f"folding_factor {self.folding_factor} is not 2, 4 or 8")
        if not (is_power_of_two(self.last_layer_degree_bound) and self.last_layer_degree_bound <= 1 << 16):
            out.append(f"last_layer_degree_bound {self.last_layer_degree_bound} is not a power of two <= 2^16")
        return out

    def to_words(self) -> list[int]:
        return list(astuple(self))

    @property
    def spec(self) -> str:
        """"BLOWUP:QUERIES:GRINDING_BITS", what `parse` reads (which folds by 4 down to 64)."""
        return f"{self.blowup}:{self.n_queries}:{self.grinding_bits}"

    @classmethod
    def parse(cls, text: str) -> "ProofParams":
        """From "BLOWUP:QUERIES:GRINDING_BITS" (folding 4 down to 64 coefficients), e.g. "2:80:16".
        ValueError names what is wrong: a malformed text or set, or security below
        MIN_SECURITY_BITS_FLOOR, which no deployed verifier accepts."""
        try:
            blowup, queries, bits = (int(x) for x in text.split(":"))
        except ValueError:
            raise ValueError(f"proof parameters {text!r} are not BLOWUP:QUERIES:GRINDING_BITS") from None
        params = cls(blowup=blowup, n_queries=queries, grinding_bits=bits)
        problems = params.problems()
        if params.security_bits < MIN_SECURITY_BITS_FLOOR:
            problems.append(f"{params.security_bits} bits of conjectured security is below the verifiers' floor "
                            f"of {MIN_SECURITY_BITS_FLOOR}")
        if problems:
            raise ValueError(f"proof parameters {text}: " + "; ".join(problems))
        return params

    @classmethod
    def from_words(cls, words: list[int]) -> "ProofParams":
        return cls(*words)


# What `ape run operator` proves with on the local node, where gas costs nothing and prover time
# is what a user waits for: the least prover time of the sets both verifiers accept (96 bits).
LOCAL_NODE_PARAMS = ProofParams(blowup=2, n_queries=80, grinding_bits=16)

# Fast, INSECURE parameters for tests only: a verifier accepts them only when told to by a
# min_security_bits below their security.
TEST_PARAMS = ProofParams(blowup=4, n_queries=8, grinding_bits=4, folding_factor=2, last_layer_degree_bound=4)
