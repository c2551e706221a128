"""The one exception a verifier raises: a proof that must be rejected, with the reason."""


class ProofError(Exception):
    """The proof is invalid; the message names the check that failed. `check` is the name of the
    Solidity verifier's error for the same failure (contracts/verifier/stark/StarkVerifier.sol),
    where verifier.py sets it, so that tests can compare the two verdicts."""

    def __init__(self, message: str, check: str | None = None):
        super().__init__(message)
        self.check = check
