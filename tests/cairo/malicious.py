"""A malicious prover for the batch program: the same compiled program (the same bytecode, so the
same program hash and the same statement on L1) run by cairo-lang with edited hint bodies.

A STARK proves only that the program ran to completion; every value a hint writes is the
prover's choice. A `Tamper` appends Python to one hint's body (never an instruction), so a test
can choose what that hint writes: rewrite a position read from the previous state, lie about an
order's filled amount, a median, a root. Program-input fields are the prover's choice as well:
tests pass an edited input. `run_tampered` runs the result like the operator runs the honest
program; the attack is refused when the run fails.
"""
from __future__ import annotations

import functools
import json
import os
import tempfile
import textwrap
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from offchain.core.batch_program import PROGRAM_DIR, BatchRejected, BatchRun, compiled_program, run_batch
from offchain.core.facts import program_hash

HELPERS_SCOPE = "perpetual.hints.define_hint_helpers"


@dataclass(frozen=True)
class Tamper:
    """Python appended to the body of the one hint of function `scope` (its full name, e.g.
    "perpetual.state.fill_order"): it runs after the honest hint code, in the same scope, and may
    overwrite what that code wrote (`ids.x = ...`) or redefine a helper."""
    scope: str
    code: str


@functools.lru_cache(maxsize=1)
def _honest(path: Path) -> tuple[str, bytes]:
    """The compiled program's text and program hash."""
    return path.read_text(), program_hash(path)


def tampered_program(tampers: tuple[Tamper, ...] | list[Tamper], directory: Path,
                     program_dir: Path = PROGRAM_DIR) -> Path:
    """The compiled batch program (of `program_dir`: Perpetual's, or cairo/spot) with the tampers'
    code appended to their hints, written into `directory`. Its bytecode, hence its program hash,
    is the honest program's."""
    text, honest_hash = _honest(compiled_program(program_dir))
    program = json.loads(text)
    for tamper in tampers:
        hints = [hint for at_pc in program["hints"].values() for hint in at_pc
                 if hint["accessible_scopes"][-1] == tamper.scope]
        assert len(hints) == 1, f"{tamper.scope} has {len(hints)} hints, not one"
        hints[0]["code"] += "\n" + textwrap.dedent(tamper.code).strip()
    path = directory / "tampered.json"
    path.write_text(json.dumps(program))
    assert program_hash(path) == honest_hash, "a tamper changed an instruction"
    return path


def run_tampered(batch_input: dict, tampers: tuple[Tamper, ...] | list[Tamper] = (),
                 program_dir: Path = PROGRAM_DIR) -> BatchRun | BatchRejected:
    """Runs the program with the tampers on `batch_input`: its output, or the refusal."""
    with tempfile.TemporaryDirectory(prefix="perp-tampered-") as workdir:
        program = (tampered_program(tampers, Path(workdir), program_dir) if tampers
                   else compiled_program(program_dir))
        try:
            return run_batch(batch_input, Path(workdir), program=program)
        except BatchRejected as rejected:
            return rejected


def nth_call(scope: str, site: str, n: int, code: str) -> Tamper:
    """Runs `code` at the n-th execution (from 1) of `scope`'s hint only; `site` names the
    counter, so tampers of different hints count apart."""
    body = textwrap.indent(textwrap.dedent(code).strip(), "    ")
    return Tamper(scope, f"""
_tamper_calls = globals().setdefault("_tamper_calls", {{}})
_tamper_calls[{site!r}] = _tamper_calls.get({site!r}, 0) + 1
if _tamper_calls[{site!r}] == {n}:
{body}
""")


def stored_position(position_id: int, edit: str) -> Tamper:
    """Rewrites position `position_id` as the hint writes it to memory from the previous state;
    `edit` is Python changing `raw`, the Position struct's fields: "public_key",
    "collateral_balance", "n_assets" and "assets", a list of [asset_id, cached_funding_index,
    balance] in the stored order. The previous-root hint still hashes the honest position."""
    body = textwrap.indent(textwrap.dedent(edit).strip(), "        ")
    return Tamper(HELPERS_SCOPE, f"""
_honest_missing = _LazyPositions.__missing__
def _tampered_missing(self, key):
    if key != {position_id}:
        return _honest_missing(self, key)
    stored = program_input["previous_state"]["positions"].get(str(key), _EMPTY_POSITION)
    raw = {{"public_key": int(stored["public_key"]),
           "collateral_balance": int(stored["collateral_balance"]),
           "n_assets": len(stored.get("assets", {{}})),
           "assets": [[asset_id, int(a["cached_funding_index"]), int(a["balance"])]
                      for asset_id, a in _sorted_assets(stored)]}}
    if True:
{body}
    self[key] = segments.gen_arg([
        _felt(raw["public_key"]), _felt(raw["collateral_balance"]), _felt(raw["n_assets"]),
        [_felt(x) for asset in raw["assets"] for x in asset]])
    return self[key]
_LazyPositions.__missing__ = _tampered_missing
""")


def run_all(jobs: dict[str, tuple[dict, tuple[Tamper, ...]]], program_dir: Path = PROGRAM_DIR
            ) -> dict[str, BatchRun | BatchRejected]:
    """Runs several (batch input, tampers) jobs at once, one cairo-run process per core."""
    names = list(jobs)
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        results = pool.map(lambda name: run_tampered(*jobs[name], program_dir=program_dir), names)
        return dict(zip(names, results))
