"""Runs the small Cairo programs of cairo/examples/ in proof mode and loads their files (used by
the Cairo AIR tests and as the first statements the prover proves)."""
from __future__ import annotations

import json
import tempfile
from functools import lru_cache
from pathlib import Path

from offchain.core.cairo_runner import CAIRO_ROOT, compile_program, run_program
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
    # The pedersen builtin on inputs with the top bits the canonical-decomposition checks watch
    # (P - 1 = 2^251 + 17·2^192, and 2^251 + 2^196 + 5); two 512-row blocks need 1,024 steps.
    "pedersen_chain": ({"values": [1, 2, 2**251 + 17 * 2**192, 2**251 + 2**196 + 5], "idle": 400}, [
        0x46C9AEB066CC2F41C7124AF30514F9E607137FBAC950524F5FDACE5788F9D43,
        0x7546BE9ECB576C12CD00962356AFD90B615D8EF50605BC13BADFD1FD218C0D5,
        0x3E8580420F8439B850C3970D57AA65FF8D5B251C23B5882C2D173B8DED48C78,
        0x762893E804179E40CCA7D240BC1BD2B5F3F5EFFCC8B6261C8B756D590491383]),
    # The ecdsa builtin on two signatures (keys 5 and 7, fast-stark-crypto's RFC 6979 nonces);
    # two 1,024-row blocks need 2,048 steps.
    "signatures": ({"signatures": [
        [0x788435D61046D3EEC54D77D25BD194525F4FA26EBE6575536BC6F656656B74C, 0x1234,
         0xE05795D2ED0DC0327A5FBE174B5610D8877A28CAA72735D9FBC9F2BAABAA92,
         0x3B97F4B9889CB3696381DAAFE964AA5917FF8B81F78B5C830B944F886F1D918],
        [0x743829E0A179F8AFE223FC8112DFC8D024AB6B235FD42283C4F5970259CE7B7, 2**250 + 99,
         0x282FA171112E5EB7FBFCC1993D4C21A072D68D36EDE08288E1681A918A31078,
         0x7D807744E8725AA699D700B66DDCE5943701F134058F28315853C1BAAA65CD9]], "idle": 900},
        [0x1234, 2**250 + 99]),
}
# Programs the statement attack tests (tests/verifier/test_cairo_statement.py) forge proofs of:
# name -> (program input, the output an honest run gives).
ATTACK_PROGRAMS: dict[str, tuple[dict, list[int]]] = {
    "loop_then_output": ({}, [7]),
    "range_check_only": ({}, []),
    # pedersen(1, 2), StarkWare's hash, in 512 steps: too short for a pedersen lane's two blocks.
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
