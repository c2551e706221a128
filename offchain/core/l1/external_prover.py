"""The prover plug-in for a real network: an external proving service proves the batch.

On a real network nobody may write facts by hand: a batch's fact must be registered on every
registry of the exchange's verifier chain by a verifier that checked a STARK proof. StarkEx
hands its Cairo jobs to a proving service (SHARP) and waits for the fact; so does this plug-in.
For each executed batch it writes a job file (program hash, fact, output, the batch's Cairo run
directory) into `jobs_dir` for the service to pick up, and holds the batch at EXECUTED
(`NotReady`, durable, retried every loop) until every registry holds the fact. The operator's
default is its own prover (offchain/core/l1/stark.py StarkFactProver); this plug-in is for a
verifier chain whose registries another service feeds (`ape run operator --external-prover`).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from offchain.core.batching.pipeline import NotReady
from offchain.core.facts import fact as statement_fact
from offchain.core.storage import BatchRecord


class ExternalFactProver:
    def __init__(self, registries: list, program_hash: bytes, jobs_dir: Path, runs_dir: Path | None = None):
        """registries: the verifier chain's IFactRegistry contracts; runs_dir: where the executor
        keeps each batch's Cairo run (`batch-<id>`), named in the job for the service."""
        self.registries = registries
        self.program_hash = program_hash
        self.jobs_dir = Path(jobs_dir)
        self.runs_dir = Path(runs_dir) if runs_dir is not None else None

    def job_path(self, batch_id: int) -> Path:
        return self.jobs_dir / f"batch-{batch_id}.json"

    def prove(self, batch: BatchRecord) -> dict:
        fact = statement_fact(self.program_hash, batch.data["output"])
        self._write_job(batch, fact)
        missing = [registry.address for registry in self.registries if not registry.isValid(fact)]
        if missing:
            raise NotReady(f"fact 0x{fact.hex()} not yet registered on {', '.join(missing)}")
        return {"fact": "0x" + fact.hex(), "prover": "external"}

    def _write_job(self, batch: BatchRecord, fact: bytes) -> None:
        path = self.job_path(batch.batch_id)
        if path.exists():
            return
        run_dir = self.runs_dir / f"batch-{batch.batch_id}" if self.runs_dir is not None else None
        job = {
            "batch_id": batch.batch_id,
            "program_hash": "0x" + self.program_hash.hex(),
            "fact": "0x" + fact.hex(),
            "output": [hex(word) for word in batch.data["output"]],
            "cairo_run": str(run_dir) if run_dir is not None and run_dir.exists() else None,
        }
        self.jobs_dir.mkdir(parents=True, exist_ok=True)
        # Written whole or not at all: a service never reads half a job, even across a crash.
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(job, indent=1))
        os.replace(partial, path)
