"""Deterministic crash points, for the restart tests: kill -9 at a named place in the pipeline.

With STARKEX_CRASH_AT=<point> in its environment the process sends itself SIGKILL the first
time it reaches that point: no exception, no `finally`, no flush — what a power cut or an OOM
kill does. Unset (always, outside tests), a crash point costs one dictionary lookup.
"""
from __future__ import annotations

import os
import signal

ENVIRONMENT_VARIABLE = "STARKEX_CRASH_AT"

TX_STORED = "tx_stored"  # a client transaction is durable, its answer not yet sent
EXECUTED = "executed"  # the batch's execution is stored
PROOF_WRITTEN = "proof_written"  # the batch's STARK proof is on disk, nothing of it sent to L1
STATEMENTS_REGISTERED = "statements_registered"  # the proof's statements are on L1, its fact is not
FACT_REGISTERED = "fact_registered"  # the fact is valid on L1, the store does not know it
UPDATE_SENT = "update_sent"  # updateState is mined, the store does not know it
ACCEPTED = "accepted"  # the store records the batch as accepted

POINTS = (TX_STORED, EXECUTED, PROOF_WRITTEN, STATEMENTS_REGISTERED, FACT_REGISTERED, UPDATE_SENT, ACCEPTED)


def crash_point(name: str) -> None:
    if os.environ.get(ENVIRONMENT_VARIABLE) == name:
        os.kill(os.getpid(), signal.SIGKILL)
