"""Every part of a Fibonacci proof, changed, makes both the Python and the Solidity verifier
reject it, and the registry registers nothing."""
import pytest
from hypothesis import given, settings, strategies as st

from offchain.prover import verify
from offchain.prover.airs.fibonacci import FibonacciAir
from offchain.prover.field import P

from . import rpc
from .proofs import bump, fibonacci_proof, replace_word, word_at, WORD

TRACE_LENGTH = 32
PROOF = fibonacci_proof(TRACE_LENGTH)
DATA = PROOF.to_bytes()
SECTIONS = {name: (start, count) for name, start, count in PROOF.layout()}
SMALL_SECTIONS = {"params", "trace_length", "pow_nonce", "n_queries"}
HASH_WORDS = ("trace_roots", "composition_root", "fri_roots", "path")


def _targets() -> list[tuple[str, int]]:
    """(label, word index) of the words to change: each item of the top-level sections, and the
    first and last item of every array of the first and the last query."""
    out = []
    for name, (start, count) in SECTIONS.items():
        if name.startswith("query"):
            if not (name.startswith("query 0 ") or name.startswith(f"query {PROOF.params.n_queries - 1} ")):
                continue
            items = {start + 1, start + count - 1} if count > 1 else set()
            out += [(f"{name} word {i - start}", i) for i in sorted(items)]
        elif name in ("params", "trace_length", "composition_root", "pow_nonce", "n_queries"):
            out += [(f"{name} word {i}", start + i) for i in range(count)]
        else:
            out += [(f"{name} item {i}", start + 1 + i) for i in range(count - 1)]
    return out


TARGETS = _targets()


def tampered(index: int, label: str) -> bytes:
    old = word_at(DATA, index)
    is_felt = not any(h in label for h in HASH_WORDS) and not any(label.startswith(s) for s in SMALL_SECTIONS)
    if label.startswith("pow_nonce"):
        return replace_word(DATA, index, old + 1)
    return replace_word(DATA, index, bump(old, is_felt))


def python_accepts(data: bytes) -> bool:
    try:
        verify(data, FibonacciAir)
        return True
    except Exception:
        return False


def test_untampered_proof_is_accepted(fibonacci_verifier):
    assert python_accepts(DATA)
    assert rpc.verify(fibonacci_verifier, DATA)[0] == TRACE_LENGTH


def test_targets_cover_every_part():
    labels = " ".join(label for label, _ in TARGETS)
    for part in ("params", "trace_length", "public_inputs", "trace_roots", "composition_root", "ood_trace",
                 "ood_composition", "fri_roots", "fri_remainder", "pow_nonce", "trace 0 row", "trace 0 path",
                 "composition row", "composition path", "fri layer 0 values", "fri layer 0 path",
                 f"fri layer {len(PROOF.fri_roots) - 1} path"):
        assert part in labels, part


@pytest.mark.parametrize("label,index", TARGETS, ids=[t[0] for t in TARGETS])
def test_tampered_word_is_rejected(fibonacci_registry, fibonacci_verifier, label, index):
    data = tampered(index, label)
    assert data != DATA
    assert not python_accepts(data)
    with pytest.raises(rpc.Reverted):
        rpc.verify(fibonacci_verifier, data)
    # A call, not a transaction: the local node keeps a step trace of each transaction (gigabytes
    # for a STARK verification); test_fibonacci.py sends the transaction that registers.
    with pytest.raises(rpc.Reverted):
        rpc.call(fibonacci_registry, "verifyProofAndRegister", data)


def test_truncated_or_extended_proof_is_rejected(fibonacci_verifier):
    for data in (DATA[:-WORD], DATA + bytes(WORD), DATA[:-1], DATA + b"\x00"):
        assert not python_accepts(data)
        with pytest.raises(rpc.Reverted):
            rpc.verify(fibonacci_verifier, data)


def test_non_canonical_field_element_is_rejected(fibonacci_verifier):
    start, _ = SECTIONS["ood_trace"]
    value = word_at(DATA, start + 1)
    data = replace_word(DATA, start + 1, value + P)  # same residue, not canonical
    assert not python_accepts(data)
    with pytest.raises(rpc.Reverted):
        rpc.verify(fibonacci_verifier, data)


@settings(max_examples=10, deadline=None)
@given(index=st.integers(min_value=0, max_value=len(DATA) // WORD - 1), value=st.integers(min_value=0, max_value=2**256 - 1))
def test_random_word_changes_agree_with_python(fibonacci_verifier, index, value):
    data = replace_word(DATA, index, value)
    if python_accepts(data):
        assert rpc.verify(fibonacci_verifier, data)[0] == TRACE_LENGTH
    else:
        with pytest.raises(rpc.Reverted):
            rpc.verify(fibonacci_verifier, data)
