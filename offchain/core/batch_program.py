"""Runs a Cairo batch program (cairo/perpetual/main.cairo, or cairo/spot/main.cairo) on a batch input.

Compiles once per source version (cached under build/cairo/, keyed by a hash of every .cairo file
of the program and of cairo/common/, which both programs import) and runs in proof mode with
offchain.core.cairo_runner, returning the output words that L1 receives. A rejected batch raises BatchRejected naming the broken rule, built from the
program's `with_attr error_message` scopes, outermost first ("TRANSFER: insufficient balance").
"""
from __future__ import annotations

import hashlib
import re
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from offchain.core.cairo_runner import (
    CAIRO_ROOT, PROJECT_ROOT, CairoRun, CairoRunError, compile_program, run_program, run_program_reference)

PROGRAM_DIR = CAIRO_ROOT / "perpetual"
MAIN = PROGRAM_DIR / "main.cairo"
SPOT_PROGRAM_DIR = CAIRO_ROOT / "spot"
COMMON_DIR = CAIRO_ROOT / "common"
BUILD_DIR = PROJECT_ROOT / "build" / "cairo"
DEFAULT_LAYOUT = "small"
_compile_lock = threading.Lock()


class BatchRejected(CairoRunError):
    """The program refused the batch; `rule` names the broken rule."""

    def __init__(self, message: str, rule: str):
        super().__init__(message)
        self.rule = rule


@dataclass(frozen=True)
class BatchRun:
    output: list[int]
    run: CairoRun

    @property
    def n_steps(self) -> int:
        return self.run.n_steps


def source_digest(program_dir: Path = PROGRAM_DIR) -> str:
    digest = hashlib.sha256()
    for path in sorted([*program_dir.rglob("*.cairo"), *COMMON_DIR.rglob("*.cairo")]):
        digest.update(str(path.relative_to(CAIRO_ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def compiled_program(program_dir: Path = PROGRAM_DIR) -> Path:
    """The compiled program, compiling only when the sources changed."""
    target = BUILD_DIR / f"{program_dir.name}-{source_digest(program_dir)}.json"
    with _compile_lock:
        if not target.exists():
            # Written aside and renamed: another process may be compiling the same sources.
            partial = target.with_name(f"{target.stem}.{os.getpid()}.tmp.json")
            compile_program(program_dir / "main.cairo", partial)
            partial.replace(target)
    return target


def rule_of(error_text: str) -> str:
    """Joins the error_message scopes of a failed run, outermost first, with ': '.

    cairo-run prints the failing pc's scopes first, then the traceback frames from the outermost
    call inward, each with its own scopes; each scope's line starts "Error message: ".
    """
    head, _, traceback = error_text.partition("Cairo traceback (most recent call last):")
    inner = re.findall(r"Error message: (.*)", head)
    outer = re.findall(r"Error message: (.*)", traceback)
    parts: list[str] = []
    for message in outer + inner:
        if message not in parts:
            parts.append(message)
    return ": ".join(parts)


def run_batch(batch_input: dict, workdir: Path | None = None, layout: str = DEFAULT_LAYOUT,
              program: Path | None = None, reference: bool = False) -> BatchRun:
    """Runs the batch program (or `program`, a compiled copy of it) on `batch_input` with
    `offchain.core.cairo_runner.run_program` (cairo-vm when every hint of the program is known to it,
    else cairo-lang's VM in a kept runner process), or with `cairo-run` when `reference`.

    Raises BatchRejected naming the broken rule when the run fails.
    """
    program = program or compiled_program()
    if workdir is None:
        workdir = Path(tempfile.mkdtemp(prefix="perp-batch-"))
    try:
        run = (run_program_reference if reference else run_program)(program, batch_input, workdir, layout=layout)
    except CairoRunError as error:
        raise BatchRejected(str(error), rule_of(str(error))) from error
    return BatchRun(output=run.output(), run=run)
