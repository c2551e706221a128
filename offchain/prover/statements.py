"""A proof as several L1 transactions: statements first, then the main verification.

A node refuses a transaction over 128 KiB, and a proof of a batch is larger (a 1-transfer batch:
~280 KiB, most of it the queried rows). As StarkWare's verifier does with its Merkle and FRI
statements, the parts that grow with the width and the depth go first, each in transactions of
their own that register a fact on the statements contract
(contracts/verifier/stark/StarkStatements.sol), and the main verification checks those facts:

- DEEP statements: for a run of consecutive queries, the decommitted trace and composition rows
  with their Merkle paths; the contract checks the paths and computes DEEP(x_q) (README step 6)
  for each query, and registers deep_fact(commitment, positions, values). The commitment binds
  everything DEEP depends on: the trace length and blowup, the roots, the widths, z, gamma, the
  mask and the out-of-domain values.
- FRI layer statements: for each committed FRI layer, the queried cosets with their Merkle
  paths; the contract checks the paths and registers merkle_fact(root, depth, indices, leaves).
- the main verification reads the compact proof (`compact_proof`): the proof without rows and
  paths, with the chunking of the queries and their DEEP values; it replays the channel, checks
  the out-of-domain composition, draws the positions, recomputes each chunk's fact and each
  layer's fact (from the coset values it has) and checks them registered, and walks FRI.

Nothing a forger chooses is left out: the facts bind the commitments and the transcript's
values, and the main verification derives those itself. `split` makes the transactions of a
proof; the facts' formats are defined here and in the Solidity (tests/verifier checks both agree).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Type

from eth_abi import encode

from offchain.prover.air import Air
from offchain.prover.kernels import keccak256
from offchain.prover.merkle import hash_row
from offchain.prover.params import DEFAULT_MIN_SECURITY_BITS
from offchain.prover.proof import Proof
from offchain.prover.verifier import Transcript, replay

DEEP_TAG = keccak256(b"stark.deep-statement.v1")
MERKLE_TAG = keccak256(b"stark.merkle-statement.v1")
# Calldata a statement transaction may fill: under the 128 KiB a node accepts, with room for the
# call's envelope.
MAX_CALLDATA = 120 * 1024
WORD = 32


def pack_mask(mask: list[tuple[int, int]]) -> bytes:
    """The mask as (column, offset) pairs of two 16-bit big-endian numbers each."""
    if any(not (0 <= c < 1 << 16 and 0 <= o < 1 << 16) for c, o in mask):
        raise ValueError("mask columns and offsets must fit 16 bits")
    return b"".join(c.to_bytes(2, "big") + o.to_bytes(2, "big") for c, o in mask)


def _words(values: list[int]) -> bytes:
    return b"".join(int(v).to_bytes(WORD, "big") for v in values)


def deep_commitment(t: Transcript) -> bytes:
    """What every DEEP value of the proof depends on besides its query's rows."""
    p, air = t.proof, t.air
    return keccak256(encode(
        ["bytes32", "uint256", "uint256", "bytes32[]", "bytes32", "uint256[]", "uint256", "uint256", "uint256",
         "bytes32", "bytes32"],
        [DEEP_TAG, p.trace_length, p.params.blowup, list(p.trace_roots), p.composition_root,
         [air.main_width, air.aux_width][:len(p.trace_roots)], len(p.ood_composition), t.z, t.gamma,
         keccak256(pack_mask(air.mask())), keccak256(_words(p.ood_trace + p.ood_composition))]))


def deep_fact(commitment: bytes, positions: list[int], values: list[int]) -> bytes:
    return keccak256(encode(["bytes32", "uint256[]", "uint256[]"], [commitment, positions, values]))


def merkle_fact(root: bytes, depth: int, indices: list[int], leaves: list[bytes]) -> bytes:
    return keccak256(encode(["bytes32", "bytes32", "uint256", "uint256[]", "bytes32[]"],
                            [MERKLE_TAG, root, depth, indices, leaves]))


@dataclass
class DeepStatement:
    """StarkStatements.registerDeep's arguments for a run of queries."""

    trace_length: int
    blowup: int
    trace_roots: list[bytes]
    composition_root: bytes
    widths: list[int]
    z: int
    gamma: int
    mask: bytes  # pack_mask
    ood_trace: list[int]
    ood_composition: list[int]
    positions: list[int]
    rows: list[list[int]]  # per query: the segments' rows, concatenated
    paths: list[list[int]]  # per query: each segment's path then the composition's, as words
    composition_rows: list[list[int]]

    def args(self) -> tuple:
        return ((self.trace_length, self.blowup, list(self.trace_roots), self.composition_root, self.widths,
                 self.z, self.gamma, self.mask, self.ood_trace, self.ood_composition),
                [(q, row, composition, path) for q, row, composition, path
                 in zip(self.positions, self.rows, self.composition_rows, self.paths)])


@dataclass
class MerkleStatement:
    """StarkStatements.registerMerkle's arguments: rows of one tree at indices, with paths."""

    root: bytes
    depth: int
    indices: list[int]
    rows: list[list[int]]
    paths: list[list[int]]

    def args(self) -> tuple:
        return self.root, self.depth, self.indices, self.rows, self.paths

    def fact(self) -> bytes:
        return merkle_fact(self.root, self.depth, self.indices, [hash_row(r) for r in self.rows])


@dataclass
class SplitProof:
    deep: list[DeepStatement]
    fri: list[MerkleStatement]
    compact: bytes  # the main verification's proof (compact_proof)
    deep_facts: list[bytes]
    fri_facts: list[bytes]

    @property
    def transactions(self) -> int:
        return len(self.deep) + len(self.fri) + 1


def _deep_bytes(n_rows: int, widths: list[int], n_parts: int, depth: int, ood: int, mask: int) -> int:
    """An upper bound of the calldata of a DEEP statement of n_rows queries."""
    per_query = WORD * (sum(widths) + n_parts + (len(widths) + 1) * depth + 8)
    return WORD * (40 + ood) + mask + n_rows * per_query


def compact_proof(t: Transcript, chunks: list[int], deep_values: list[int]) -> bytes:
    """The main verification's proof: proof.py's layout up to the proof-of-work nonce, then the
    queries per DEEP statement (an array), the DEEP values (an array), and for each query each
    FRI layer's coset values (arrays)."""
    p = t.proof
    words = [*p.params.to_words(), p.trace_length, len(p.public_inputs), *p.public_inputs,
             len(p.trace_roots), *(int.from_bytes(r, "big") for r in p.trace_roots),
             int.from_bytes(p.composition_root, "big"), len(p.ood_trace), *p.ood_trace,
             len(p.ood_composition), *p.ood_composition, len(p.fri_roots),
             *(int.from_bytes(r, "big") for r in p.fri_roots), len(p.fri_remainder), *p.fri_remainder,
             p.pow_nonce, len(chunks), *chunks, len(deep_values), *deep_values]
    for d in p.queries:
        for values in d.fri_values:
            words += [len(values), *values]
    return _words(words)


def split(proof: Proof | bytes, air_class: Type[Air], min_security_bits: int = DEFAULT_MIN_SECURITY_BITS,
          max_calldata: int = MAX_CALLDATA) -> SplitProof:
    """The transactions of a proof the Python verifier accepts (raises ProofError otherwise)."""
    from offchain.prover.verifier import verify

    air = verify(proof, air_class, min_security_bits)  # refuse to relay what we would not accept
    t = replay(proof, air_class, min_security_bits)
    p = t.proof
    depth = t.lde_size.bit_length() - 1
    widths = [air.main_width, air.aux_width][:len(p.trace_roots)]
    n_parts = len(p.ood_composition)
    mask = pack_mask(air.mask())
    ood_words = len(p.ood_trace) + n_parts
    per_chunk = 1
    while per_chunk < len(p.queries) and _deep_bytes(per_chunk + 1, widths, n_parts, depth, ood_words,
                                                     len(mask)) <= max_calldata:
        per_chunk += 1
    if _deep_bytes(per_chunk, widths, n_parts, depth, ood_words, len(mask)) > max_calldata:
        raise ValueError("one query's DEEP statement exceeds the calldata limit")
    commitment = deep_commitment(t)
    deep, deep_facts, chunks, values = [], [], [], []
    for start in range(0, len(p.queries), per_chunk):
        queries = p.queries[start:start + per_chunk]
        positions = t.positions[start:start + per_chunk]
        chunk_values = [t.deep_value(q, d.trace_rows, d.composition_row) for q, d in zip(positions, queries)]
        deep.append(DeepStatement(
            p.trace_length, p.params.blowup, list(p.trace_roots), p.composition_root, widths, t.z, t.gamma, mask,
            p.ood_trace, p.ood_composition, positions,
            [[v for row in d.trace_rows for v in row] for d in queries],
            [[int.from_bytes(h, "big") for path in (*d.trace_paths, d.composition_path) for h in path]
             for d in queries],
            [d.composition_row for d in queries]))
        deep_facts.append(deep_fact(commitment, positions, chunk_values))
        chunks.append(len(queries))
        values += chunk_values
    fri, fri_facts = [], []
    k = t.fri_layout.folding_factor
    for layer, (root, size) in enumerate(zip(p.fri_roots, t.fri_layout.layer_sizes)):
        m = size // k
        indices, positions = [], t.positions
        rows, paths = [], []
        for qi, d in enumerate(p.queries):
            position = positions[qi]
            for _ in range(layer):
                position %= t.fri_layout.layer_sizes[_] // k
            indices.append(position % m)
            rows.append(d.fri_values[layer])
            paths.append([int.from_bytes(h, "big") for h in d.fri_paths[layer]])
        statement = MerkleStatement(root, m.bit_length() - 1, indices, rows, paths)
        fri.append(statement)
        fri_facts.append(statement.fact())
    return SplitProof(deep, fri, compact_proof(t, chunks, values), deep_facts, fri_facts)
