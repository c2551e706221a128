"""The native constraint evaluator's program, emitted from the AIR's own Python `evaluate`: the
third evaluator of one source (the Python reference runs `evaluate` on ints and numpy arrays,
tools/stark_codegen/cairo_air.py emits the same tape as Solidity, this emits it for the native
core's tape interpreter, native/src/tape.rs). New constraints need no native code."""
from __future__ import annotations

import stark_native

from offchain.prover.air import Air
from offchain.prover.field import P
from offchain.prover.symbolic import Recording, record

_OPS = {"add": 0, "sub": 1, "mul": 2}


def emit(recording: Recording, air: Air) -> stark_native.Program:
    """Encodes a recording for native/src/tape.rs: node operands (0 node, 1 input, 2 constant),
    inputs (0, column, row offset) for mask entries and (1, k, 0) for periodic column k."""
    mask = air.mask()
    inputs: dict[str, int] = {}
    input_specs: list[tuple[int, int, int]] = []
    consts: dict[int, int] = {}

    def operand(ref: tuple) -> tuple[int, int]:
        kind, v = ref
        if kind == "t":
            return 0, v
        if kind == "c":
            return 2, consts.setdefault(v % P, len(consts))
        if v not in inputs:
            inputs[v] = len(input_specs)
            what, _, index = v.partition(":")
            column, offset = mask[int(index)] if what == "m" else (int(index), 0)
            input_specs.append((0 if what == "m" else 1, column, offset))
        return 1, inputs[v]

    nodes = [(_OPS[op], *operand(a), *operand(b)) for op, a, b in recording.tape.nodes]
    outputs = [operand(ref) for ref in recording.numerators]
    words = b"".join(v.to_bytes(32, "big") for v in consts)
    return stark_native.Program(nodes, input_specs, words, outputs)


def constraint_program(air: Air, challenges: list[int]) -> tuple[stark_native.Program, list[int]]:
    """The program of `air`'s numerators under these challenges, and each numerator's degree."""
    recording = record(air, challenges)
    return emit(recording, air), recording.degrees()
