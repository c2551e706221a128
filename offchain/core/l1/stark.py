"""The STARK fact registry on L1: deploying it, registering the programs it accepts, and
registering a proof's fact through it in as many transactions as the proof needs.

The Cairo verifier stack (contracts/verifier/stark/): CairoProgramStore (programs by code hash),
CairoConstraints and the pedersen points' periodic columns, CairoAir, StarkStatements (the
statements a large proof's verification is split into), StarkVerifier, CairoFactRegistry (the
exchange's verifier chain). A proof is registered as offchain/prover/statements.py splits it:
DEEP statements and FRI layer statements first, then the main verification; a statement already
registered is not sent again, so an interrupted registration resumes where it stopped.

Everything takes Ape objects (project, accounts, contract instances), as offchain/perpetual/exchange.py.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from offchain.core.batching import crash
from offchain.core.batching.executor import RUN_PREFIX
from offchain.core.cairo_runner import CairoRun
from offchain.core.facts import fact as statement_fact, program_bytecode, program_hash
from offchain.core.l1.accounts import LOCAL_CHAIN_ID
from offchain.core.logs import stage
from offchain.prover.cairo.air import CairoAir
from offchain.prover.cairo.prove import prove_run
from offchain.prover.cairo.runner_files import RunnerFiles
from offchain.prover.cairo.statement import Programs, program_code_hash
from offchain.prover.params import MIN_SECURITY_BITS_FLOOR, ProofParams
from offchain.prover.statements import SplitProof, split
from offchain.core.storage import BatchRecord

log = logging.getLogger("offchain.core.l1.stark")

# A statement or verification transaction's gas: the main verification of a 100-transfer batch
# stays below this; a node's block takes 30M.
STATEMENT_GAS = 29_000_000


@dataclass
class CairoVerifierStack:
    programs: object  # CairoProgramStore
    statements: object  # StarkStatements
    verifier: object  # StarkVerifier over CairoAir
    registry: object  # CairoFactRegistry

    @property
    def address(self) -> str:
        """The verifier chain's entry: the fact registry."""
        return self.registry.address

    @classmethod
    def at(cls, project, registry_address: str) -> "CairoVerifierStack":
        registry = project.CairoFactRegistry.at(registry_address)
        verifier = project.StarkVerifier.at(registry.verifier())
        return cls(project.CairoProgramStore.at(registry.programs()), project.StarkStatements.at(verifier.statements()),
                   verifier, registry)


def deploy_cairo_verifier(project, sender, min_security_bits: int = MIN_SECURITY_BITS_FLOOR) -> CairoVerifierStack:
    """Deploys the Cairo verifier stack; the StarkVerifier refuses a minimum below the 96-bit floor."""
    programs = sender.deploy(project.CairoProgramStore)
    air = sender.deploy(project.CairoAir, programs, sender.deploy(project.CairoConstraints),
                        sender.deploy(project.PedersenPointsX), sender.deploy(project.PedersenPointsY))
    statements = sender.deploy(project.StarkStatements)
    verifier = sender.deploy(project.StarkVerifier, air, min_security_bits, statements)
    registry = sender.deploy(project.CairoFactRegistry, verifier, programs)
    return CairoVerifierStack(programs, statements, verifier, registry)


def register_program(store, sender, bytecode: Sequence[int]) -> bytes:
    """Writes a program's bytecode into the store (in chunks) unless it is there; returns its code
    hash."""
    code = [int(w) for w in bytecode]
    code_hash = program_code_hash(code)
    if int(store.length(code_hash)) == len(code):
        return code_hash
    size = int(store.MAX_CHUNK_WORDS())
    chunks = []
    for start in range(0, len(code), size):
        receipt = store.storeChunk(code[start:start + size], sender=sender)
        chunks.append(receipt.events.filter(store.ChunkStored)[0].chunk)
    store.register(chunks, sender=sender)
    if int(store.length(code_hash)) != len(code):
        raise RuntimeError("the program store did not register the program under its code hash")
    return code_hash


def local_verifier_chain(project, deployer, chain, compiled: Path, run_cairo: bool, fact_registry=None,
                         make_prover=None) -> tuple[CairoVerifierStack | None, object]:
    """A local stack's verifier chain (offchain/perpetual/local.py, offchain/spot/local.py): the
    STARK verifier with the compiled program registered, or a test's own fact_registry, which comes
    with the make_prover that feeds it and is needed when no Cairo runs (nothing to prove).
    Returns (the STARK stack or None, the registry)."""
    if chain.chain_id != LOCAL_CHAIN_ID:
        raise RuntimeError("a local stack deploys test accounts' contracts: local node only")
    if (fact_registry is None) != (make_prover is None):
        raise ValueError("a test's fact_registry comes with the make_prover that feeds it")
    if not run_cairo and fact_registry is None:
        raise ValueError("batches the model alone executes cannot be proven: run_cairo=False needs a test's "
                         "fact_registry and make_prover")
    if fact_registry is not None:
        return None, fact_registry
    stark = deploy_cairo_verifier(project, deployer)
    register_program(stark.programs, deployer, program_bytecode(compiled))
    return stark, stark.registry


@dataclass
class Registration:
    fact: bytes  # the Cairo fact (offchain/core/facts.py) registered
    transactions: list[str]  # the hashes of the transactions this call sent
    gas: int  # their gas
    statements: int  # statement transactions the proof needs in all


def register_proof(stack: CairoVerifierStack, sender, proof: bytes, programs: Programs | Sequence[Sequence[int]],
                   split_proof: SplitProof | None = None, on_statements: Callable[[], None] | None = None) -> Registration:
    """Registers the proof's statements that are not registered yet, then verifies it on-chain and
    registers its fact. Raises ProofError if the Python verifier refuses the proof (nothing sent).
    on_statements: called once every statement is on L1, before the main verification."""
    if not isinstance(programs, Programs):
        programs = Programs(programs)
    split_proof = split_proof or split(proof, CairoAir.knowing(programs))
    sent, gas = [], 0
    for statement, fact in zip(split_proof.deep, split_proof.deep_facts):
        if not stack.statements.isValid(fact):
            receipt = stack.statements.registerDeep(*statement.args(), sender=sender, gas=STATEMENT_GAS)
            sent.append(str(receipt.txn_hash))
            gas += int(receipt.gas_used)
    for statement, fact in zip(split_proof.fri, split_proof.fri_facts):
        if not stack.statements.isValid(fact):
            receipt = stack.statements.registerMerkle(*statement.args(), sender=sender, gas=STATEMENT_GAS)
            sent.append(str(receipt.txn_hash))
            gas += int(receipt.gas_used)
    if on_statements is not None:
        on_statements()
    receipt = stack.registry.verifySplitProofAndRegister(split_proof.compact, sender=sender, gas=STATEMENT_GAS)
    sent.append(str(receipt.txn_hash))
    gas += int(receipt.gas_used)
    fact = receipt.events.filter(stack.registry.FactRegistered)[0].fact
    log.info("proof registered in %d transactions, %d gas", len(sent), gas)
    return Registration(bytes(fact), sent, gas, split_proof.transactions)


class ProofMismatch(RuntimeError):
    """The proof registered a fact other than the executed batch's: its output differs."""


class StarkFactProver:
    """The pipeline's Prover (offchain/core/batching/pipeline.py): proves a batch's Cairo run (the
    executor's folder `batch-<id>` in runs_dir) with this project's prover and registers its fact
    through the on-chain STARK verifier (register_proof).

    Nothing here depends on the application: program_file is its compiled batch program
    (offchain/core/batch_program.py compiled_program of cairo/perpetual or cairo/spot; both use
    the small layout's output, pedersen, range_check and ecdsa builtins, which the Cairo AIR
    proves), whose bytecode must be in the stack's CairoProgramStore (register_program) and whose
    hash the exchange holds. tests/spot/test_spot_proven.py proves a Spot batch this way.

    Every step is safe to repeat after a crash: the proof is written to the run's folder
    (proof.bin, whole or not at all) before anything is sent, so a restarted operator does not
    prove again; statements already on L1 are not sent again; a fact already valid is not
    registered again."""

    def __init__(self, stack: CairoVerifierStack, sender, program_file: Path, runs_dir: Path,
                 params: ProofParams = ProofParams()):
        self.stack = stack
        self.sender = sender
        self.program_file = Path(program_file)
        self.program = program_bytecode(self.program_file)
        self.program_hash = program_hash(self.program_file)
        self.runs_dir = Path(runs_dir)
        self.params = params

    def run_dir(self, batch_id: int) -> Path:
        return self.runs_dir / f"{RUN_PREFIX}{batch_id}"

    def proof_file(self, batch_id: int) -> Path:
        return self.run_dir(batch_id) / "proof.bin"

    def prove(self, batch: BatchRecord) -> dict:
        fact = statement_fact(self.program_hash, batch.data["output"])
        result = {"fact": "0x" + fact.hex(), "prover": "stark"}
        if self.stack.registry.isValid(fact):  # a retried step: registered before a crash or a reorg
            return result
        proof = self._proof(batch)
        registration = register_proof(self.stack, self.sender, proof, [self.program], on_statements=lambda:
                                      crash.crash_point(crash.STATEMENTS_REGISTERED))
        if registration.fact != fact:
            raise ProofMismatch(f"batch {batch.batch_id}: the proof registered 0x{registration.fact.hex()}, "
                                f"the executed batch's fact is 0x{fact.hex()}")
        return {**result, "proof_size": len(proof), "registration_transactions": registration.transactions,
                "registration_gas": registration.gas}

    def _proof(self, batch: BatchRecord) -> bytes:
        path = self.proof_file(batch.batch_id)
        if path.exists():
            return path.read_bytes()
        run_dir = self.run_dir(batch.batch_id)
        if not (run_dir / "air_public_input.json").exists():
            raise RuntimeError(f"batch {batch.batch_id}: its Cairo run ({run_dir}) is not there to prove")
        files = RunnerFiles.from_run(CairoRun.at(self.program_file, run_dir))
        with stage(log, "stark_prove", batch_id=batch.batch_id):
            proof = prove_run(files, self.params).to_bytes()
        partial = path.with_suffix(".partial")
        partial.write_bytes(proof)
        os.replace(partial, path)
        crash.crash_point(crash.PROOF_WRITTEN)
        return proof
