"""The development fact registry, for tests whose batches the model alone executes (run_cairo=False:
no Cairo run, so nothing to prove): LocalDevFactRegistry takes its deployer's word for a fact and
refuses to exist on any chain but the local node. A test fixture only: the operator, the scripts
and every stack that runs Cairo prove each batch through the STARK verifier (offchain/core/l1/stark.py)."""
from __future__ import annotations

from offchain.core.facts import fact as statement_fact
from offchain.core.storage import BatchRecord


class LocalDevFactProver:
    """'Proves' a batch by writing its fact into LocalDevFactRegistry (proof_size None says so)."""

    def __init__(self, registry, deployer, program_hash: bytes):
        self.registry = registry
        self.deployer = deployer
        self.program_hash = program_hash

    def prove(self, batch: BatchRecord) -> dict:
        fact = statement_fact(self.program_hash, batch.data["output"])
        result = {"fact": "0x" + fact.hex(), "prover": "LocalDevFactRegistry", "proof_size": None}
        if not self.registry.isValid(fact):  # a retried step must not fail on its own earlier effect
            result["fact_tx"] = str(self.registry.registerFact(fact, sender=self.deployer).txn_hash)
        return result


def dev_registry(project, deployer) -> dict:
    """LocalStack.deploy's keywords for a freshly deployed development registry and its prover."""
    registry = deployer.deploy(project.LocalDevFactRegistry)
    return {"fact_registry": registry,
            "make_prover": lambda stack: LocalDevFactProver(registry, stack.deployer, stack.program_hash)}
