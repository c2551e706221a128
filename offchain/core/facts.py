"""The statement the L1 contracts trust, defined once.

A program is its builtin list and its bytecode: the builtins decide which memory segments carry
which rules (a range_check pointer's cells are range-checked, an output pointer's cells are the
output), so two programs with the same bytecode and different builtins are different programs.

programHash = keccak256 over the words [number of builtins, each builtin's name, each bytecode
word], each a 32-byte big-endian word; a builtin's name is its ASCII bytes as a big-endian integer
('output' = 0x6f7574707574), as StarkWare's program header writes it. outputHash = keccak256 over
the output words packed the same way; fact = keccak256(abi.encode(programHash, outputHash)).
contracts/verifier/stark/cairo/CairoFactRegistry.sol computes the same from a proven statement.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from eth_utils import keccak


def words_hash(words: Sequence[int]) -> bytes:
    return keccak(b"".join(int(w).to_bytes(32, "big") for w in words))


def builtin_word(name: str) -> int:
    """A builtin's name as one word: its ASCII bytes, big-endian."""
    return int.from_bytes(name.encode("ascii"), "big")


def program_bytecode(compiled_program: Path) -> list[int]:
    return [int(w, 16) for w in json.loads(Path(compiled_program).read_text())["data"]]


def program_builtins(compiled_program: Path) -> list[str]:
    """The program's builtin list (its %builtins directive), in the layout's order."""
    return list(json.loads(Path(compiled_program).read_text())["builtins"])


def program_words(builtins: Sequence[str], bytecode: Sequence[int]) -> list[int]:
    """What programHash hashes: [len(builtins), *names, *bytecode]."""
    return [len(builtins), *map(builtin_word, builtins), *bytecode]


def program_hash_of(builtins: Sequence[str], bytecode: Sequence[int]) -> bytes:
    return words_hash(program_words(builtins, bytecode))


def program_hash(compiled_program: Path) -> bytes:
    return program_hash_of(program_builtins(compiled_program), program_bytecode(compiled_program))


def fact(program_hash_: bytes, output: Sequence[int]) -> bytes:
    return keccak(program_hash_ + words_hash(output))
