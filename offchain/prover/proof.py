"""The proof and its byte layout.

Every item is a 32-byte big-endian word; an array is its length (one word) followed by its items.
Field elements must be canonical (< P). In order:

  params            5 words: blowup, n_queries, grinding_bits, folding_factor,
                    last_layer_degree_bound
  trace_length      1 word
  public_inputs     array of field elements
  trace_roots       array of hashes: main trace, then the interaction (aux) trace if any
  composition_root  1 word
  ood_trace         array of field elements: column values at z * g^offset, in the AIR's mask
                    order (offsets in `Air.offsets` order, columns increasing)
  ood_composition   array of field elements: composition parts H_i(z)
  fri_roots         array of hashes, one per committed FRI layer
  fri_remainder     array of field elements: coefficients of the last FRI layer, low degree first
  pow_nonce         1 word (< 2^64)
  queries           array (length = number of queries) of:
                      for each trace segment (count = len(trace_roots)): row array, path array
                      composition row array, composition path array
                      for each FRI layer (count = len(fri_roots)): coset values array, path array

Query positions are not in the proof: the verifier draws them from the channel. A Merkle path
lists siblings from the leaf level up (see merkle.py).
"""
from dataclasses import dataclass, field

from offchain.prover.errors import ProofError
from offchain.prover.field import P
from offchain.prover.params import ProofParams

WORD = 32


@dataclass
class QueryDecommitment:
    trace_rows: list[list[int]]
    trace_paths: list[list[bytes]]
    composition_row: list[int]
    composition_path: list[bytes]
    fri_values: list[list[int]]
    fri_paths: list[list[bytes]]


@dataclass
class Proof:
    params: ProofParams
    trace_length: int
    public_inputs: list[int]
    trace_roots: list[bytes]
    composition_root: bytes
    ood_trace: list[int]
    ood_composition: list[int]
    fri_roots: list[bytes]
    fri_remainder: list[int]
    pow_nonce: int
    queries: list[QueryDecommitment] = field(default_factory=list)

    def to_bytes(self) -> bytes:
        return _Writer().proof(self).bytes()

    def layout(self) -> list[tuple[str, int, int]]:
        """(section name, first word, number of words) of every section of to_bytes(): for tests
        and for whoever writes a parser."""
        return _Writer().proof(self).sections

    @classmethod
    def from_bytes(cls, data: bytes) -> "Proof":
        return _Reader(data).proof()


class _Writer:
    def __init__(self) -> None:
        self.words: list[int] = []
        self.sections: list[tuple[str, int, int]] = []

    def bytes(self) -> bytes:
        return b"".join(w.to_bytes(WORD, "big") for w in self.words)

    def _section(self, name: str, words: list[int]) -> None:
        self.sections.append((name, len(self.words), len(words)))
        self.words.extend(words)

    def _array(self, name: str, items: list[int]) -> None:
        self._section(name, [len(items), *items])

    def _hashes(self, name: str, items: list[bytes]) -> None:
        self._array(name, [int.from_bytes(h, "big") for h in items])

    def proof(self, p: Proof) -> "_Writer":
        self._section("params", p.params.to_words())
        self._section("trace_length", [p.trace_length])
        self._array("public_inputs", p.public_inputs)
        self._hashes("trace_roots", p.trace_roots)
        self._section("composition_root", [int.from_bytes(p.composition_root, "big")])
        self._array("ood_trace", p.ood_trace)
        self._array("ood_composition", p.ood_composition)
        self._hashes("fri_roots", p.fri_roots)
        self._array("fri_remainder", p.fri_remainder)
        self._section("pow_nonce", [p.pow_nonce])
        self._section("n_queries", [len(p.queries)])
        for q, d in enumerate(p.queries):
            for s, (row, path) in enumerate(zip(d.trace_rows, d.trace_paths)):
                self._array(f"query {q} trace {s} row", row)
                self._hashes(f"query {q} trace {s} path", path)
            self._array(f"query {q} composition row", d.composition_row)
            self._hashes(f"query {q} composition path", d.composition_path)
            for i, (values, path) in enumerate(zip(d.fri_values, d.fri_paths)):
                self._array(f"query {q} fri layer {i} values", values)
                self._hashes(f"query {q} fri layer {i} path", path)
        return self


class _Reader:
    def __init__(self, data: bytes):
        if len(data) % WORD:
            raise ProofError("proof length is not a multiple of 32 bytes")
        self.data = data
        self.pos = 0
        self.n_words = len(data) // WORD

    def word(self, what: str) -> int:
        if self.pos >= self.n_words:
            raise ProofError(f"proof ends inside {what}")
        w = int.from_bytes(self.data[self.pos * WORD:(self.pos + 1) * WORD], "big")
        self.pos += 1
        return w

    def small(self, what: str, bound: int = 1 << 64) -> int:
        w = self.word(what)
        if w >= bound:
            raise ProofError(f"{what} is out of range")
        return w

    def length(self, what: str) -> int:
        n = self.word(f"length of {what}")
        if n > self.n_words - self.pos:
            raise ProofError(f"length of {what} exceeds the proof")
        return n

    def felts(self, what: str) -> list[int]:
        out = [self.word(what) for _ in range(self.length(what))]
        if any(v >= P for v in out):
            raise ProofError(f"{what} holds a non-canonical field element")
        return out

    def hashes(self, what: str) -> list[bytes]:
        return [self.word(what).to_bytes(WORD, "big") for _ in range(self.length(what))]

    def proof(self) -> Proof:
        params = ProofParams.from_words([self.small("params", 1 << 32) for _ in range(5)])
        trace_length = self.small("trace_length")
        public_inputs = self.felts("public inputs")
        trace_roots = self.hashes("trace roots")
        composition_root = self.word("composition root").to_bytes(WORD, "big")
        ood_trace = self.felts("out-of-domain trace values")
        ood_composition = self.felts("out-of-domain composition values")
        fri_roots = self.hashes("FRI roots")
        fri_remainder = self.felts("FRI remainder")
        pow_nonce = self.small("proof-of-work nonce")
        queries = []
        for _ in range(self.length("queries")):
            trace_rows, trace_paths = [], []
            for _ in trace_roots:
                trace_rows.append(self.felts("trace row"))
                trace_paths.append(self.hashes("trace path"))
            composition_row = self.felts("composition row")
            composition_path = self.hashes("composition path")
            fri_values, fri_paths = [], []
            for _ in fri_roots:
                fri_values.append(self.felts("FRI values"))
                fri_paths.append(self.hashes("FRI path"))
            queries.append(QueryDecommitment(trace_rows, trace_paths, composition_row, composition_path,
                                             fri_values, fri_paths))
        if self.pos != self.n_words:
            raise ProofError("trailing bytes after the proof")
        return Proof(params, trace_length, public_inputs, trace_roots, composition_root, ood_trace,
                     ood_composition, fri_roots, fri_remainder, pow_nonce, queries)
