"""The one exception a verifier raises: a proof that must be rejected, with the reason."""


class ProofError(Exception):
    """The proof is invalid; the message names the check that failed."""
