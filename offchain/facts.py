"""The statement the L1 contracts trust, defined once.

programHash = keccak256 over the program's bytecode words, each a 32-byte big-endian word
(cheap to recompute on-chain from the public memory); outputHash = keccak256 over the output
words packed the same way; fact = keccak256(abi.encode(programHash, outputHash)).
"""
from __future__ import annotations

import json
from pathlib import Path

from eth_utils import keccak


def words_hash(words: list[int]) -> bytes:
    return keccak(b"".join(int(w).to_bytes(32, "big") for w in words))


def program_bytecode(compiled_program: Path) -> list[int]:
    return [int(w, 16) for w in json.loads(Path(compiled_program).read_text())["data"]]


def program_hash(compiled_program: Path) -> bytes:
    return words_hash(program_bytecode(compiled_program))


def fact(program_hash_: bytes, output: list[int]) -> bytes:
    return keccak(program_hash_ + words_hash(output))
