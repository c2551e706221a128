"""Executes a batch twice, independently: the Python model and the Cairo program must agree.

The model gives the new state and the expected program output; the Cairo program (run by
cairo-lang in proof mode) gives the output that will be proven. A disagreement is a bug in
one of them and stops the pipeline before anything reaches L1.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Callable

from offchain import batch_program
from offchain.batching import expiration
from offchain.logs import stage
from offchain.perpetual.batch import execute_batch
from offchain.perpetual.state import PerpetualState
from offchain.perpetual.transactions import ConditionalTransfer, transaction_from_json
from offchain.storage import BatchRecord

NO_BATCH = 2**256 - 1  # L1's lastBatchId before the first batch
log = logging.getLogger("offchain.executor")


class ModelProgramMismatch(RuntimeError):
    pass


def application_data(batch_id: int, transactions: list) -> list[int]:
    """[batch_id, previous_batch_id, (registry, fact) per condition] — docs/program-output.md."""
    previous = NO_BATCH if batch_id == 0 else batch_id - 1
    data = [batch_id, previous]
    for tx in transactions:
        if isinstance(tx, ConditionalTransfer):
            data += [tx.fact_registry_address, tx.fact]
    return data


class PerpetualExecutor:
    def __init__(self, genesis: PerpetualState, workdir: Path, run_cairo: bool = True,
                 clock: Callable[[], float] = time.time):
        self.genesis = genesis
        self.state = genesis.copy()
        self.workdir = workdir
        self.run_cairo = run_cairo
        self.clock = clock

    def restore(self, executed: list[tuple[BatchRecord, list[dict]]]) -> None:
        state = self.genesis.copy()
        for batch, txs in executed:
            parsed = [transaction_from_json(t) for t in txs]
            state = execute_batch(state, parsed, batch.data["minimum_expiration_timestamp"]).state
        self.state = state

    def execute(self, batch: BatchRecord, transactions: list[dict]) -> dict:
        parsed = [transaction_from_json(t) for t in transactions]
        minimum_expiration = expiration.minimum_expiration(parsed, self.clock())
        expected = execute_batch(self.state, parsed, minimum_expiration)
        n_steps = None
        if self.run_cairo:
            with stage(log, "cairo_run", batch_id=batch.batch_id):
                run = batch_program.run_batch(expected.program_input, self.workdir / f"batch-{batch.batch_id}")
            if run.output != expected.words:
                raise ModelProgramMismatch(f"batch {batch.batch_id}: Cairo output differs from the model's")
            n_steps = run.n_steps
        self.state = expected.state
        return {
            "output": expected.words,
            "application_data": application_data(batch.batch_id, parsed),
            "minimum_expiration_timestamp": minimum_expiration,
            "new_positions_root": hex(expected.state.positions_root),
            "new_orders_root": hex(expected.state.orders_root),
            # With the roots, what a validium committee signs (offchain/l1/committee.py).
            "positions_height": expected.state.config.positions_tree_height,
            "orders_height": expected.state.config.orders_tree_height,
            "cairo_steps": n_steps,
        }
