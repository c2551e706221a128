"""The exceptions of the STARK: a proof a verifier must reject, a trace a prover refuses, files the
native prover could not write."""
import re
from contextlib import contextmanager


class ProofError(Exception):
    """The proof is invalid; the message names the check that failed. `check` is the name of the
    Solidity verifier's error for the same failure (contracts/verifier/stark/StarkVerifier.sol),
    where verifier.py sets it, so that tests can compare the two verdicts."""

    def __init__(self, message: str, check: str | None = None):
        super().__init__(message)
        self.check = check


class TraceError(ValueError):
    """The trace does not satisfy the AIR (found by the prover's own checks)."""


class ProverIoError(OSError):
    """The native prover could not create, write or read its spill and column files
    ($STARK_LDE_DIR, native/src/store.rs): the disk is full, or the directory is missing or not
    writable. Nothing was proven and nothing is left behind (the files are unlinked); proving
    again once there is room gives the same proof. `errno` is the OS error's number."""


# native/src/store.rs io(): "<operation> in <directory>: <OS error text> (os error <N>)"
_NATIVE_IO_PANIC = re.compile(r"\(os error (\d+)\)$")


def native_io_error(failure: BaseException) -> ProverIoError | None:
    """The ProverIoError a native panic stands for when a file operation failed, else None.
    pyo3 raises a Rust panic as PanicException, a BaseException that `except Exception` (an
    operator's retry loop) does not catch; a failed file operation is the disk's condition, not a
    bug, so the prover raises it as an OSError instead. Any other panic stays what it is."""
    if type(failure).__name__ != "PanicException":
        return None
    message = str(failure)
    found = _NATIVE_IO_PANIC.search(message)
    return ProverIoError(int(found.group(1)), message) if found else None


@contextmanager
def native_io_errors():
    """Raises a native file operation's failure inside the block as ProverIoError (above)."""
    try:
        yield
    except BaseException as failure:
        io_error = native_io_error(failure)
        if io_error is None:
            raise
        raise io_error from failure
