"""Proving and verifying a Cairo run with the generic STARK prover and the Cairo AIR."""
from __future__ import annotations

from typing import Sequence

from offchain.prover import Proof, ProofParams, prove, verify
from offchain.prover.backend import default_backend
from offchain.prover.errors import native_io_errors
from offchain.prover.params import DEFAULT_MIN_SECURITY_BITS, MIN_SECURITY_BITS_FLOOR
from offchain.prover.cairo.air import CairoAir
from offchain.prover.cairo.runner_files import RunnerFiles
from offchain.prover.cairo.statement import CairoStatement, Programs
from offchain.prover.cairo.trace import build_trace


def prove_run(files: RunnerFiles, params: ProofParams = ProofParams(), backend=None) -> Proof:
    """Lays out the run and proves it; on the native backend (the default where it is built) the
    trace is built natively too. Raises ProverIoError (an OSError) when the native core cannot
    write its column or spill files (prove)."""
    backend = backend or default_backend()
    if backend.name == "native":
        from offchain.prover.native.cairo import build_trace as build_native_trace

        with native_io_errors():  # a tall trace's columns are files (native/src/store.rs)
            trace = build_native_trace(files)
    else:
        trace = build_trace(files)
    return prove(CairoAir.for_trace(trace), trace.main, params, backend=backend, consume_trace=True)


def verify_run(proof: Proof | bytes, programs: Programs | Sequence[Sequence[int]],
               min_security_bits: int = DEFAULT_MIN_SECURITY_BITS) -> CairoStatement:
    """The statement a valid proof of a run of one of `programs` (bytecodes, or a Programs)
    establishes (its output is statement.output()); raises offchain.prover.ProofError otherwise
    (a statement that breaks a rule — an unknown program is PROGRAM_SEGMENT —: check
    "StatementRejected", the statement.StatementError with its rule as the cause). Raises
    ValueError for a minimum below params.MIN_SECURITY_BITS_FLOOR, as the Solidity verifier
    refuses to be deployed with one."""
    if min_security_bits < MIN_SECURITY_BITS_FLOOR:
        raise ValueError(f"minimum security {min_security_bits} bits is below the floor {MIN_SECURITY_BITS_FLOOR}")
    if not isinstance(programs, Programs):
        programs = Programs(programs)
    return verify(proof, CairoAir.knowing(programs), min_security_bits=min_security_bits).statement
