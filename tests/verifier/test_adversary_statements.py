"""An adversary against a split proof (offchain/prover/statements.py, StarkStatements.sol,
StarkVerifier.verifyWithStatements): statement registration is permissionless, so a forger may
register any statement it can make hold, in any order, for any proof, and then send a compact
proof of its choosing. Each test performs one such attack against the real contracts on anvil and
asserts that the main verification refuses it, with the error that names why.

What binds a statement to exactly one proof's transcript: a DEEP fact is keccak(commitment,
positions, values) where the commitment hashes the trace length, blowup, roots, widths, z, gamma,
mask and out-of-domain values, and the verifier recomputes every one of these and the positions
from its own channel replay; a FRI fact is keccak(root, depth, indices, leaf hashes) with the
indices and depth derived from the positions and the layout. (The Python verifier has no split
path: the operator verifies the whole proof before splitting it, statements.split.)"""
from __future__ import annotations

import dataclasses
from functools import lru_cache

import pytest
from eth_abi import decode, encode

from offchain.prover.cairo.air import CairoAir
from offchain.prover.channel import Channel
from offchain.prover.field import P
from offchain.prover.params import ProofParams
from offchain.prover.protocol import seed_words
from offchain.prover.statements import DeepStatement, MerkleStatement, split
from offchain.prover.verifier import replay

from . import rpc
from .cairo_proofs import cairo_proof, known
from .conftest import MIN_SECURITY

WORD = 32
# A small calldata budget, so that the proof's 27 queries go in several DEEP statements.
SMALL_CALLDATA = 40 * 1024


def _error(signature: str, types: list[str] | None = None, values: list | None = None) -> str:
    return rpc.selector(signature) + (encode(types, values).hex() if types else "")


def _air():
    return CairoAir.knowing(known())


@lru_cache(maxsize=None)
def _split(params: ProofParams = ProofParams(), max_calldata: int = SMALL_CALLDATA):
    proof = cairo_proof(params=params)
    return proof, split(proof, _air(), MIN_SECURITY, max_calldata)


@lru_cache(maxsize=None)
def _transcript(params: ProofParams = ProofParams()):
    return replay(cairo_proof(params=params), _air(), MIN_SECURITY)


@pytest.fixture
def stack(project, deployer, cairo_stack):
    """A fresh StarkStatements, with a StarkVerifier over the session's CairoAir and a
    CairoFactRegistry over that verifier: no statement registered yet."""
    statements = deployer.deploy(project.StarkStatements)
    verifier = deployer.deploy(project.StarkVerifier, cairo_stack.verifier.air(), MIN_SECURITY, statements)
    registry = deployer.deploy(project.CairoFactRegistry, verifier, cairo_stack.programs)
    return statements, verifier, registry


def _register(statements, deployer, split_proof, skip_deep=(), skip_fri=(), reverse=False) -> None:
    deep = [(i, s) for i, s in enumerate(split_proof.deep) if i not in skip_deep]
    fri = [(i, s) for i, s in enumerate(split_proof.fri) if i not in skip_fri]
    order = [*fri[::-1], *deep[::-1]] if reverse else [*deep, *fri]
    for _, s in order:
        method = "registerDeep" if isinstance(s, DeepStatement) else "registerMerkle"
        receipt = rpc.transact(statements, method, deployer, *s.args())
        assert receipt["status"] == 1, method


def _verify_split(verifier, compact: bytes):
    return rpc.call(verifier, "verifyWithStatements", compact)


def _refused(verifier, compact: bytes) -> str:
    with pytest.raises(rpc.Reverted) as e:
        _verify_split(verifier, compact)
    return e.value.data


def _words(data: bytes) -> list[int]:
    return [int.from_bytes(data[i:i + WORD], "big") for i in range(0, len(data), WORD)]


def _bytes(words: list[int]) -> bytes:
    return b"".join(w.to_bytes(WORD, "big") for w in words)


def _compact_sections(data: bytes) -> dict[str, tuple[int, int]]:
    """(index of the first word, count) of each field of a compact proof (statements.compact_proof);
    an array's first word is its length."""
    w = _words(data)
    out, at = {"params": (0, 5), "trace_length": (5, 1)}, 6
    for name in ("public_inputs", "trace_roots", "composition_root", "ood_trace", "ood_composition", "fri_roots",
                 "fri_remainder", "pow_nonce", "chunks", "deep_values"):
        if name in ("composition_root", "pow_nonce"):
            out[name] = (at, 1)
            at += 1
        else:
            out[name] = (at, 1 + w[at])
            at += 1 + w[at]
    out["fri_values"] = (at, len(w) - at)
    return out


def _set_word(data: bytes, index: int, value: int) -> bytes:
    return data[:index * WORD] + value.to_bytes(WORD, "big") + data[(index + 1) * WORD:]


def test_split_proof_registers_its_fact_whatever_the_statement_order(stack, deployer):
    """The baseline the attacks start from: the statements, sent by anyone in any order (FRI layers
    first, DEEP statements last to first), are facts of this proof, and the main verification
    accepts it. Registration order cannot matter: every registered fact was checked when it was
    registered, so it is true whoever sent it and whenever."""
    statements, verifier, registry = stack
    proof, split_proof = _split()
    assert len(split_proof.deep) >= 3 and len(split_proof.fri) >= 2
    _register(statements, deployer, split_proof, reverse=True)
    for fact in [*split_proof.deep_facts, *split_proof.fri_facts]:
        assert statements.isValid(fact)  # Python's fact formats are the contract's
    n, public_inputs = decode(["uint256", "uint256[]"], _verify_split(verifier, split_proof.compact))
    assert list(public_inputs) == proof.public_inputs
    assert n == proof.trace_length
    receipt = rpc.transact(registry, "verifySplitProofAndRegister", deployer, split_proof.compact)
    assert receipt["status"] == 1


def test_each_missing_statement_is_named(stack, deployer):
    """Leaving out any one statement (the forger cannot make it hold) is refused, naming the run of
    queries or the FRI layer whose fact is missing."""
    statements, verifier, _ = stack
    _, split_proof = _split()
    # Register every FRI statement and every DEEP statement but the last: the DEEP check comes
    # first, so the last chunk's fact is what is missing.
    last = len(split_proof.deep) - 1
    _register(statements, deployer, split_proof, skip_deep={last})
    assert _refused(verifier, split_proof.compact) == _error("DeepStatementMissing(uint256)", ["uint256"], [last])
    # The same statement, registered by anyone, completes it.
    assert rpc.transact(statements, "registerDeep", deployer, *split_proof.deep[last].args())["status"] == 1
    assert _verify_split(verifier, split_proof.compact)


@pytest.mark.parametrize("layer", [0, 1])
def test_a_missing_fri_layer_statement_is_named(stack, deployer, layer):
    statements, verifier, _ = stack
    _, split_proof = _split()
    _register(statements, deployer, split_proof, skip_fri={layer})
    assert _refused(verifier, split_proof.compact) == _error("FriStatementMissing(uint256)", ["uint256"], [layer])


def test_rechunked_queries_need_statements_of_their_own_runs(stack, deployer):
    """Statements registered for runs of queries (10, 10, 7) do not serve a compact proof that
    claims other runs (27 in one): a DEEP fact binds exactly its positions and values."""
    statements, verifier, _ = stack
    _, small = _split()
    _, whole = _split(max_calldata=10 ** 9)
    assert len(whole.deep) == 1 and [len(d.positions) for d in small.deep] != [len(whole.deep[0].positions)]
    _register(statements, deployer, small)
    assert _verify_split(verifier, small.compact)
    assert _refused(verifier, whole.compact) == _error("DeepStatementMissing(uint256)", ["uint256"], [0])


def _channel_before_pow(t) -> Channel:
    """The verifier's channel up to the proof of work (verifier.replay's order)."""
    p = t.proof
    ch = Channel(seed_words(p.params, p.trace_length, p.public_inputs))
    ch.absorb_root(p.trace_roots[0])
    ch.draw_felts(t.air.n_challenges)
    if t.air.aux_width:
        ch.absorb_root(p.trace_roots[1])
    ch.draw_felt()
    ch.absorb_root(p.composition_root)
    ch.draw_felt()
    ch.absorb(p.ood_trace + p.ood_composition)
    ch.draw_felt()
    for root in p.fri_roots:
        ch.absorb_root(root)
        ch.draw_felt()
    ch.absorb(p.fri_remainder)
    return ch


def test_statements_of_a_proof_with_the_same_roots_do_not_serve_another_nonce(stack, deployer):
    """Two proofs with every root and out-of-domain value the same but another valid proof-of-work
    nonce: the second draws other query positions, so the first's statements (for its positions) do
    not cover it, and its compact proof with the first's DEEP values is refused."""
    statements, verifier, _ = stack
    proof, split_proof = _split()
    t = _transcript()
    ch = _channel_before_pow(t)
    assert ch.pow_ok(proof.pow_nonce, proof.params.grinding_bits)
    nonce = proof.pow_nonce + 1
    while not ch.pow_ok(nonce, proof.params.grinding_bits):
        nonce += 1
    _register(statements, deployer, split_proof)
    sections = _compact_sections(split_proof.compact)
    other = _set_word(split_proof.compact, sections["pow_nonce"][0], nonce)
    assert _refused(verifier, other) == _error("DeepStatementMissing(uint256)", ["uint256"], [0])
    # The nonce itself is sound: the same proof with it replays to other positions.
    t2 = replay(dataclasses.replace(proof, pow_nonce=nonce), _air(), MIN_SECURITY)
    assert t2.positions != t.positions and (t2.z, t2.gamma) == (t.z, t.gamma)


def test_statements_of_another_proof_of_the_same_run_do_not_serve(stack, deployer):
    """The same run proven with one more query: the same trace LDE (its main trace root is the
    same), but the parameters are in the channel seed, so every challenge after it differs. Its
    statements registered, this proof's compact proof is refused."""
    statements, verifier, _ = stack
    proof, split_proof = _split()
    other_params = dataclasses.replace(proof.params, n_queries=proof.params.n_queries + 1)
    other, other_split = _split(other_params)
    assert other.trace_roots[0] == proof.trace_roots[0]
    _register(statements, deployer, other_split)
    assert _verify_split(verifier, other_split.compact)
    assert _refused(verifier, split_proof.compact) == _error("DeepStatementMissing(uint256)", ["uint256"], [0])


def _deep_commitment_variants(s: DeepStatement) -> dict[str, DeepStatement]:
    """The statement with one field of its commitment changed, the rows and paths kept: what a
    forger who wants the DEEP values of these rows under another reading would register."""
    mask = bytearray(s.mask)
    mask[3] ^= 1  # the first entry's offset
    return {
        "trace length x2, blowup /2": dataclasses.replace(s, trace_length=2 * s.trace_length, blowup=s.blowup // 2),
        "trace length x2": dataclasses.replace(s, trace_length=2 * s.trace_length),
        "blowup x2": dataclasses.replace(s, blowup=2 * s.blowup),
        "z": dataclasses.replace(s, z=(s.z + 1) % P),
        "gamma": dataclasses.replace(s, gamma=(s.gamma + 1) % P),
        "mask": dataclasses.replace(s, mask=bytes(mask)),
        "ood trace": dataclasses.replace(s, ood_trace=[(s.ood_trace[0] + 1) % P, *s.ood_trace[1:]]),
        "ood trace moved to composition": dataclasses.replace(
            s, ood_trace=s.ood_trace[:-1], mask=s.mask[:-4], ood_composition=[s.ood_trace[-1], *s.ood_composition],
            composition_rows=[[0, *r] for r in s.composition_rows]),
    }


def test_a_deep_statement_under_another_commitment_serves_no_proof(stack, deployer):
    """A DEEP statement with the proof's rows and paths but another trace length and blowup (the
    same LDE size, so the paths still verify), z, gamma, mask or out-of-domain values either fails
    to register or registers a fact under another commitment, which the verifier, computing the
    commitment from its own replay, never asks for."""
    statements, verifier, _ = stack
    _, split_proof = _split()
    first = split_proof.deep[0]
    registered = []
    for label, variant in _deep_commitment_variants(first).items():
        try:
            rpc.call(statements, "registerDeep", *variant.args())
        except rpc.Reverted:
            continue
        assert rpc.transact(statements, "registerDeep", deployer, *variant.args())["status"] == 1, label
        registered.append(label)
    # Every variant whose paths still verify was registered: the attack is performed, not skipped.
    assert {"trace length x2, blowup /2", "z", "gamma", "mask", "ood trace"} <= set(registered)
    _register(statements, deployer, split_proof, skip_deep={0})
    assert _refused(verifier, split_proof.compact) == _error("DeepStatementMissing(uint256)", ["uint256"], [0])


def _with_query(s: DeepStatement, qi: int, **changes) -> DeepStatement:
    fields = {"positions": list(s.positions), "rows": [list(r) for r in s.rows],
              "composition_rows": [list(r) for r in s.composition_rows], "paths": [list(p) for p in s.paths]}
    for name, value in changes.items():
        fields[name][qi] = value
    return dataclasses.replace(s, **fields)


def test_forged_rows_do_not_register(stack):
    """A registrant cannot put rows other than the committed ones into a DEEP statement: a changed
    trace value (or its non-canonical alias v + P, a different leaf), a changed composition value,
    another position for the same rows, or a position outside the LDE domain."""
    statements, _, _ = stack
    _, split_proof = _split()
    s = split_proof.deep[0]
    n_segments = len(s.trace_roots)
    row, q = s.rows[1], s.positions[1]
    lde_size = s.trace_length * s.blowup
    cases = {
        "trace value": (_with_query(s, 1, rows=[(row[0] + 1) % P, *row[1:]]), ("DeepPathMismatch", 1, 0)),
        "aux trace value": (_with_query(s, 1, rows=[*row[:-1], (row[-1] + 1) % P]), ("DeepPathMismatch", 1, 1)),
        "non-canonical alias": (_with_query(s, 1, rows=[row[0] + P, *row[1:]]), ("NonCanonicalValue", 1, 0)),
        "non-canonical composition": (_with_query(s, 1, composition_rows=[s.composition_rows[1][0] + P,
                                                                          *s.composition_rows[1][1:]]),
                                      ("NonCanonicalValue", 1, len(row))),
        "composition value": (_with_query(s, 1, composition_rows=[(s.composition_rows[1][0] + 1) % P,
                                                                    *s.composition_rows[1][1:]]),
                              ("DeepPathMismatch", 1, n_segments)),
        "other position": (_with_query(s, 1, positions=q ^ 1), ("DeepPathMismatch", 1, 0)),
        "position outside the domain": (_with_query(s, 1, positions=q + lde_size), ("BadDeepInput",)),
        "row longer than the widths": (_with_query(s, 1, rows=[*row, 0]), ("BadDeepInput",)),
    }
    for label, (variant, (error, *args)) in cases.items():
        with pytest.raises(rpc.Reverted) as e:
            rpc.call(statements, "registerDeep", *variant.args())
        expected = (_error(f"{error}(uint256,uint256)", ["uint256", "uint256"], args) if args
                    else _error(f"{error}()"))
        assert e.value.data == expected, label


def test_forged_fri_cosets_do_not_register(stack):
    """A Merkle statement holds only the committed cosets at their indices and depth."""
    statements, _, _ = stack
    _, split_proof = _split()
    s = split_proof.fri[0]
    coset = s.rows[0]

    def with_first(**changes) -> MerkleStatement:
        fields = {"indices": list(s.indices), "rows": [list(r) for r in s.rows]}
        for name, value in changes.items():
            fields[name][0] = value
        return dataclasses.replace(s, **fields)

    cases = {
        "coset value": with_first(rows=[(coset[0] + 1) % P, *coset[1:]]),
        "other index": with_first(indices=s.indices[0] ^ 1),
        "index outside the layer": with_first(indices=s.indices[0] + (1 << s.depth)),
        "one level shallower": dataclasses.replace(s, depth=s.depth - 1),
    }
    for label, variant in cases.items():
        with pytest.raises(rpc.Reverted) as e:
            rpc.call(statements, "registerMerkle", *variant.args())
        assert e.value.data == _error("MerklePathMismatch(uint256)", ["uint256"], [0]), label
    with pytest.raises(rpc.Reverted) as e:
        rpc.call(statements, "registerMerkle", *with_first(rows=[coset[0] + P, *coset[1:]]).args())
    assert e.value.data == _error("NonCanonicalValue(uint256,uint256)", ["uint256", "uint256"], [0, 0])


def test_a_shallower_opening_of_an_inner_node_serves_no_proof(stack, deployer):
    """Leaves and inner nodes are both keccak of words, so an inner node's two children (as a row
    of two words) open at one level less. Row words must be field elements, so most such rows (a
    hash is >= P with probability 15/16) do not register; one that does is a true statement about
    another tree shape, and its fact (the depth is in it) is not the one the verifier computes for
    the layer."""
    statements, verifier, _ = stack
    _, split_proof = _split()
    s = split_proof.fri[0]
    from offchain.prover.merkle import hash_row
    leaf = int.from_bytes(hash_row(s.rows[0]), "big")
    sibling = s.paths[0][0]
    children = [leaf, sibling] if s.indices[0] % 2 == 0 else [sibling, leaf]
    inner = MerkleStatement(s.root, s.depth - 1, [s.indices[0] >> 1], [children], [s.paths[0][1:]])
    if any(w >= P for w in children):
        with pytest.raises(rpc.Reverted) as e:
            rpc.call(statements, "registerMerkle", *inner.args())
        first = next(i for i, w in enumerate(children) if w >= P)
        assert e.value.data == _error("NonCanonicalValue(uint256,uint256)", ["uint256", "uint256"], [0, first])
        # The same opening with the children reduced is another leaf, refused by its path.
        inner = dataclasses.replace(inner, rows=[[w % P for w in children]])
        with pytest.raises(rpc.Reverted) as e:
            rpc.call(statements, "registerMerkle", *inner.args())
        assert e.value.data == _error("MerklePathMismatch(uint256)", ["uint256"], [0])
    else:
        assert rpc.transact(statements, "registerMerkle", deployer, *inner.args())["status"] == 1
    _register(statements, deployer, split_proof, skip_fri={0})
    assert _refused(verifier, split_proof.compact) == _error("FriStatementMissing(uint256)", ["uint256"], [0])


def test_tampered_compact_proofs_are_refused(stack, deployer):
    """With every statement of the proof registered, the compact proof a forger sends is refused
    when it claims another DEEP value or coset value, other chunks, non-canonical words, or has
    trailing or missing words."""
    statements, verifier, _ = stack
    proof, split_proof = _split()
    _register(statements, deployer, split_proof)
    data = split_proof.compact
    sec = _compact_sections(data)
    words = _words(data)
    deep_at, n_deep = sec["deep_values"][0] + 1, sec["deep_values"][1] - 1
    chunks_at = sec["chunks"][0] + 1
    fri_at = sec["fri_values"][0]  # query 0, layer 0: length then the coset
    k = proof.params.folding_factor
    t = _transcript()
    m = t.fri_layout.layer_sizes[0] // k
    slot = t.positions[0] // m  # the DEEP value's place in query 0's first coset
    other_slot = (slot + 1) % k
    malformed = rpc.selector("MalformedProof(uint256)")
    last_output = sum(sec["public_inputs"]) - 1
    cases = {
        "deep value": (_set_word(data, deep_at, (words[deep_at] + 1) % P),
                       _error("DeepStatementMissing(uint256)", ["uint256"], [0])),
        "deep value + P": (_set_word(data, deep_at, words[deep_at] + P), malformed),
        "coset value beside the DEEP value": (
            _set_word(data, fri_at + 1 + other_slot, (words[fri_at + 1 + other_slot] + 1) % P),
            _error("FriValueMismatch(uint256,uint256)", ["uint256", "uint256"], [0, 1])),
        "coset value at the DEEP value": (
            _set_word(data, fri_at + 1 + slot, (words[fri_at + 1 + slot] + 1) % P),
            _error("FriValueMismatch(uint256,uint256)", ["uint256", "uint256"], [0, 0])),
        "a zero chunk": (_set_word(data, chunks_at, 0), _error("WrongShape()")),
        "chunks beyond the queries": (_set_word(data, chunks_at, words[chunks_at] + n_deep), _error("WrongShape()")),
        "chunks short of the queries": (_set_word(data, chunks_at + sec["chunks"][1] - 2,
                                                  words[chunks_at + sec["chunks"][1] - 2] - 1),
                                        _error("DeepStatementMissing(uint256)", ["uint256"], [sec["chunks"][1] - 2])),
        "trailing word": (data + bytes(WORD), malformed),
        "last word missing": (data[:-WORD], malformed),
        "empty": (b"", malformed),
        # The last output word: no statement rule reads it, the channel seed does.
        "output value": (_set_word(data, last_output, (words[last_output] + 1) % P), _error("CompositionMismatch()")),
    }
    for label, (tampered, expected) in cases.items():
        got = _refused(verifier, tampered)
        if expected == malformed:
            assert got.startswith(malformed), label
        else:
            assert got == expected, label


PARAMETER_CASES = {
    # (field index in the header, value, error)
    "one query fewer (94 bits)": (1, 26, _error("SecurityTooLow(uint256,uint256)", ["uint256", "uint256"], [94, 96])),
    "no grinding (81 bits)": (2, 0, _error("SecurityTooLow(uint256,uint256)", ["uint256", "uint256"], [81, 96])),
    "grinding 41 bits": (2, 41, _error("BadParams()")),
    "blowup 512": (0, 512, _error("BadParams()")),
    "blowup 1": (0, 1, _error("BadParams()")),
    "blowup not a power of two": (0, 12, _error("BadParams()")),
    "folding 16": (3, 16, _error("BadParams()")),
    "folding 3": (3, 3, _error("BadParams()")),
    "last layer not a power of two": (4, 63, _error("BadParams()")),
    "last layer 2^17": (4, 1 << 17, _error("BadParams()")),
    "last layer 0": (4, 0, _error("BadParams()")),
    "zero queries": (1, 0, _error("BadParams()")),
    "one query more than sent": (1, 28, _error("WrongShape()")),
    # Well-formed and strong enough (98 bits), but the parameters seed the channel: every
    # challenge changes and the out-of-domain values no longer satisfy the constraints.
    "one more grinding bit than ground": (2, 17, _error("CompositionMismatch()")),
}


@pytest.mark.parametrize("label", list(PARAMETER_CASES))
def test_a_proof_header_cannot_lower_the_security(stack, deployer, label):
    """The parameters are the proof's own words, so a forger chooses them: both verification paths
    refuse malformed ones and fewer than 96 bits; a header that claims more queries than the
    compact proof carries values for is refused by shape."""
    _, verifier, _ = stack
    _, split_proof = _split()
    field, value, expected = PARAMETER_CASES[label]
    tampered = _set_word(split_proof.compact, field, value)
    assert _refused(verifier, tampered) == expected
    # The whole proof's header is the same five words, checked the same way.
    whole = _set_word(cairo_proof().to_bytes(), field, value)
    with pytest.raises(rpc.Reverted) as e:
        rpc.call(verifier, "verify", whole)
    assert e.value.data == expected



def _aliased_fibonacci_split(monkeypatch):
    """A Fibonacci proof whose prover committed its main trace with every value of column 0 as
    the non-canonical word v + P (the same field element), and its split proof with the DEEP rows
    opened as committed. Returns (proof, split proof)."""
    from offchain.prover import prove
    from offchain.prover.airs.fibonacci import FibonacciAir, fibonacci_public_inputs, fibonacci_trace
    from offchain.prover.merkle import MerkleTree
    from offchain.prover.reference import ReferenceBackend
    from offchain.prover import verifier as python_verifier

    from .proofs import FOLD2_PARAMS

    original = MerkleTree.from_columns.__func__
    calls = []

    def aliased(cls, columns):
        calls.append(len(columns))
        if len(calls) == 1:  # the main trace's commitment
            columns = [[v + P for v in columns[0]], *columns[1:]]
        return original(cls, columns)

    n = 64
    trace = fibonacci_trace(n, 1, 1)
    air = FibonacciAir(n, fibonacci_public_inputs(trace, 1, 1))
    with monkeypatch.context() as m:
        m.setattr(MerkleTree, "from_columns", classmethod(aliased))
        proof = prove(air, trace, FOLD2_PARAMS, backend=ReferenceBackend())
    with monkeypatch.context() as m:
        # statements.split relays only what the Python verifier accepts: bypass that here.
        m.setattr(python_verifier, "verify", lambda proof, air_class, bits: air)
        split_proof = split(proof, FibonacciAir, MIN_SECURITY)
    for s in split_proof.deep:
        for row in s.rows:
            row[0] += P
    return proof, split_proof


def test_a_trace_committed_in_non_canonical_words_is_refused_on_both_paths(project, deployer, fibonacci_air,
                                                                          monkeypatch):
    """The proof reader of both verifiers refuses a word >= P, and a Merkle leaf hashes the words,
    so a prover that committed v + P for v can open it neither as v (another leaf) nor as v + P
    (not a field element) in a whole proof. A DEEP statement's rows must be refused the same way:
    otherwise the split path accepts a proof that no encoding gets past the Python verifier."""
    from offchain.prover.airs.fibonacci import FibonacciAir
    from offchain.prover.errors import ProofError
    from offchain.prover.verifier import verify as python_verify

    proof, split_proof = _aliased_fibonacci_split(monkeypatch)
    with pytest.raises(ProofError, match="does not match commitment"):
        python_verify(proof, FibonacciAir, MIN_SECURITY)
    statements = deployer.deploy(project.StarkStatements)
    verifier = deployer.deploy(project.StarkVerifier, fibonacci_air, MIN_SECURITY, statements)
    with pytest.raises(rpc.Reverted) as e:
        rpc.verify(verifier, proof.to_bytes())
    assert e.value.selector == rpc.selector("TracePathMismatch(uint256,uint256)")
    s = split_proof.deep[0]
    with pytest.raises(rpc.Reverted) as e:
        rpc.call(statements, "registerDeep", *s.args())
    assert e.value.data == _error("NonCanonicalValue(uint256,uint256)", ["uint256", "uint256"], [0, 0])
    for s in split_proof.fri:
        assert rpc.transact(statements, "registerMerkle", deployer, *s.args())["status"] == 1
    assert _refused(verifier, split_proof.compact) == _error("DeepStatementMissing(uint256)", ["uint256"], [0])


def test_a_non_canonical_fri_coset_is_refused(stack):
    """The same rule for a Merkle statement's rows (a FRI layer's coset)."""
    statements, _, _ = stack
    _, split_proof = _split()
    s = split_proof.fri[1]
    rows = [list(r) for r in s.rows]
    rows[2][1] += P
    with pytest.raises(rpc.Reverted) as e:
        rpc.call(statements, "registerMerkle", *dataclasses.replace(s, rows=rows).args())
    assert e.value.data == _error("NonCanonicalValue(uint256,uint256)", ["uint256", "uint256"], [2, 1])
