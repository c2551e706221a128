"""Runs the small Cairo programs of cairo/examples/ in proof mode and loads their files (used by
the Cairo AIR tests and as the first statements the prover proves)."""
from __future__ import annotations

import json
import tempfile
from functools import lru_cache
from pathlib import Path

from offchain.cairo_runner import CAIRO_ROOT, compile_program, run_program
from offchain.prover.cairo.runner_files import RunnerFiles

EXAMPLES_DIR = CAIRO_ROOT / "examples"
# name -> (the smallest program input that exercises its feature, the output it gives)
EXAMPLE_PROGRAMS: dict[str, tuple[dict, list[int]]] = {
    "fibonacci": ({"n": 9}, [9, 34]),
    "loop_jnz": ({"n": 7}, [7, 28]),
    "recursion": ({"n": 6}, [6, 720]),
    "memory_heavy": ({"n": 12}, [sum(i * i for i in range(12))]),
    "output_many": ({"n": 6}, [1, 3, 9, 27, 81, 243]),
    # Its limbs spread the range checks over [0, 2^16): 8 fill columns at 2^13 steps.
    "range_check": ({"values": [0, 5, 300, 70000, 2**20], "bound": 2**21}, [0 + 5 + 300 + 70000 + 2**20]),
}
# Programs the statement attack tests (tests/verifier/test_cairo_statement.py) forge proofs of:
# name -> (program input, the output an honest run gives).
ATTACK_PROGRAMS: dict[str, tuple[dict, list[int]]] = {
    "loop_then_output": ({}, [7]),
    "range_check_only": ({}, []),
    # pedersen(1, 2), StarkWare's hash; a builtin this AIR does not implement yet.
    "pedersen_hash": ({}, [0x5BB9440E27889A364BCB678B1F679ECD1347ACDEDCBF36E83494F857CC58026]),
}
_WORKDIR = Path(tempfile.mkdtemp(prefix="cairo-air-examples-"))


@lru_cache(maxsize=None)
def _compiled(name: str) -> Path:
    return compile_program(EXAMPLES_DIR / f"{name}.cairo", _WORKDIR / "build" / f"{name}.json")


@lru_cache(maxsize=None)
def _run(name: str, program_input_json: str, layout: str) -> RunnerFiles:
    workdir = _WORKDIR / "runs" / f"{name}-{abs(hash(program_input_json)):x}-{layout}"
    run = run_program(_compiled(name), json.loads(program_input_json), workdir, layout=layout)
    return RunnerFiles.from_run(run)


def compiled_example(name: str) -> Path:
    """The compiled cairo/examples/<name>.cairo (cached per process)."""
    return _compiled(name)


def run_example(name: str, program_input: dict, layout: str = "small") -> RunnerFiles:
    """The parsed runner files of cairo/examples/<name>.cairo on program_input (cached)."""
    return _run(name, json.dumps(program_input, sort_keys=True), layout)
