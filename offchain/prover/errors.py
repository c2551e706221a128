"""The exceptions of the STARK: a proof a verifier must reject, a trace a prover refuses."""


class ProofError(Exception):
    """The proof is invalid; the message names the check that failed."""


class TraceError(ValueError):
    """The trace does not satisfy the AIR (found by the prover's own checks)."""
