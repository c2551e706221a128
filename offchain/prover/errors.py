"""The exceptions of the STARK: a proof a verifier must reject, a trace a prover refuses."""


class ProofError(Exception):
    """The proof is invalid; the message names the check that failed. `check` is the name of the
    Solidity verifier's error for the same failure (contracts/verifier/stark/StarkVerifier.sol),
    where verifier.py sets it, so that tests can compare the two verdicts."""

    def __init__(self, message: str, check: str | None = None):
        super().__init__(message)
        self.check = check


class TraceError(ValueError):
    """The trace does not satisfy the AIR (found by the prover's own checks)."""
