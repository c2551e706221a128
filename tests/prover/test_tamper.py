"""Every part of a serialized proof matters: flipping a bit anywhere makes the verifier reject."""
import re

import pytest

from offchain.prover import Proof, ProofError, verify
from offchain.prover.airs.fibonacci import FibonacciAir
from offchain.prover.airs.memory import MemoryAir

from .helpers import TEST_MIN_SECURITY, fibonacci_proof, memory_proof

CASES = {"fibonacci": (FibonacciAir, lambda: fibonacci_proof(64)), "memory": (MemoryAir, lambda: memory_proof(32))}


def flipped(data: bytes, word: int, bit: int) -> bytes:
    out = bytearray(data)
    byte = word * 32 + 31 - bit // 8
    out[byte] ^= 1 << (bit % 8)
    return bytes(out)


def sections(data: bytes) -> list[tuple[str, int, int]]:
    """Every header section; query sections of the first and last query only (the others are
    the same code), to keep the suite fast."""
    proof = Proof.from_bytes(data)
    last = len(proof.queries) - 1
    keep = []
    for name, start, count in proof.layout():
        m = re.match(r"query (\d+) ", name)
        if m and int(m.group(1)) not in (0, last):
            continue
        keep.append((name, start, count))
    return keep


def targets(case: str) -> list[tuple[str, str, int, int]]:
    air, make = CASES[case]
    data = make()
    out = []
    for name, start, count in sections(data):
        words = sorted({start, start + count - 1, start + count // 2})
        for w in words:
            for bit in (0, 255):
                out.append((case, name, w, bit))
    return out


def test_sections_cover_the_whole_proof():
    for air, make in CASES.values():
        data = make()
        layout = Proof.from_bytes(data).layout()
        covered = sum(count for _, _, count in layout)
        assert covered * 32 == len(data)
        names = {re.sub(r"\d+", "#", name) for name, _, _ in layout}
        for expected in ("params", "trace_length", "public_inputs", "trace_roots", "composition_root", "ood_trace",
                         "ood_composition", "fri_roots", "fri_remainder", "pow_nonce", "query # trace # path",
                         "query # composition row", "query # fri layer # values", "query # fri layer # path"):
            assert expected in names


@pytest.mark.parametrize("case", sorted(CASES))
def test_untampered_proof_verifies(case):
    air, make = CASES[case]
    verify(make(), air, min_security_bits=TEST_MIN_SECURITY)


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_flipped_bit_is_rejected(case):
    air, make = CASES[case]
    data = make()
    accepted = []
    checked = 0
    for _, name, word, bit in targets(case):
        try:
            verify(flipped(data, word, bit), air, min_security_bits=TEST_MIN_SECURITY)
            accepted.append((name, word, bit))
        except ProofError:
            checked += 1
    assert not accepted, f"tampered proofs accepted: {accepted}"
    assert checked > 100


@pytest.mark.parametrize("case", sorted(CASES))
def test_truncated_or_extended_proof_is_rejected(case):
    air, make = CASES[case]
    data = make()
    for bad in (data[:-32], data[:-1], data + bytes(32), data[:32 * 7], b""):
        with pytest.raises(ProofError):
            verify(bad, air, min_security_bits=TEST_MIN_SECURITY)


def test_verifier_names_what_failed():
    data = fibonacci_proof(64)
    layout = dict((name, start) for name, start, _ in Proof.from_bytes(data).layout())
    expectations = {
        "query 0 fri layer 2 values": "FRI layer 2 decommitment does not match commitment",
        "query 0 trace 0 row": "trace 0 decommitment does not match commitment",
        "query 0 composition path": "composition decommitment does not match commitment",
        "ood_trace": "out-of-domain composition value does not match",
    }
    for section, message in expectations.items():
        with pytest.raises(ProofError, match=message):
            verify(flipped(data, layout[section] + 1, 0), FibonacciAir, min_security_bits=TEST_MIN_SECURITY)


def test_every_word_of_a_small_proof_matters():
    """Exhaustive: flip the low bit of each word of a whole (small) proof."""
    data = fibonacci_proof(16)
    accepted = []
    for word in range(len(data) // 32):
        try:
            verify(flipped(data, word, 0), FibonacciAir, min_security_bits=TEST_MIN_SECURITY)
            accepted.append(word)
        except ProofError:
            pass
    assert not accepted, f"words whose flip was accepted: {accepted}"
