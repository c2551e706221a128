"""Compiles and runs Cairo 0 programs with cairo-lang, in proof mode, and reads what they wrote.

The runner's files (trace, memory, AIR public and private input) are what the STARK prover
consumes; the program output is read back from the public memory of the output segment,
which is exactly the data the L1 contract receives.
"""
from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CAIRO_ROOT = PROJECT_ROOT / "cairo"
_BIN = Path(sys.executable).parent


class CairoRunError(RuntimeError):
    """cairo-compile or cairo-run failed; the message carries the tool's own error."""


@dataclass(frozen=True)
class CairoRun:
    """The files written by one proof-mode run and the public facts read from them."""

    program_file: Path  # the compiled program that ran
    trace_file: Path
    memory_file: Path
    public_input_file: Path
    private_input_file: Path
    public_input: dict

    @classmethod
    def at(cls, program_file: Path, workdir: Path) -> "CairoRun":
        """The run run_program wrote into workdir (for the prover, which reads it back later)."""
        workdir = Path(workdir)
        public_input_file = workdir / "air_public_input.json"
        return cls(program_file=Path(program_file), trace_file=workdir / "trace.bin", memory_file=workdir / "memory.bin",
                   public_input_file=public_input_file, private_input_file=workdir / "air_private_input.json",
                   public_input=json.loads(public_input_file.read_text()))

    @property
    def n_steps(self) -> int:
        return int(self.public_input["n_steps"])

    def segment(self, name: str) -> tuple[int, int]:
        seg = self.public_input["memory_segments"][name]
        return int(seg["begin_addr"]), int(seg["stop_ptr"])

    def output(self) -> list[int]:
        begin, stop = self.segment("output")
        by_address = {int(e["address"]): int(e["value"], 16) for e in self.public_input["public_memory"]}
        return [by_address[address] for address in range(begin, stop)]


def _run(cmd: list[str]) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        # The last lines of stderr name the failing assertion or hint.
        raise CairoRunError(f"{Path(cmd[0]).name} failed:\n{result.stderr.strip() or result.stdout.strip()}")
    return result


def compile_program(source: Path, output: Path, proof_mode: bool = True) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    cmd = [str(_BIN / "cairo-compile"), str(source), "--output", str(output), "--cairo_path", str(CAIRO_ROOT)]
    if proof_mode:
        cmd.append("--proof_mode")
    _run(cmd)
    return output


def run_program(compiled: Path, program_input: dict, workdir: Path, layout: str = "small") -> CairoRun:
    workdir.mkdir(parents=True, exist_ok=True)
    input_file = workdir / "program_input.json"
    input_file.write_text(json.dumps(program_input))
    run = CairoRun(
        program_file=compiled,
        trace_file=workdir / "trace.bin",
        memory_file=workdir / "memory.bin",
        public_input_file=workdir / "air_public_input.json",
        private_input_file=workdir / "air_private_input.json",
        public_input={},
    )  # the file names CairoRun.at reads back
    _run(
        [
            str(_BIN / "cairo-run"),
            "--program", str(compiled),
            "--program_input", str(input_file),
            "--layout", layout,
            "--proof_mode",
            "--trace_file", str(run.trace_file),
            "--memory_file", str(run.memory_file),
            "--air_public_input", str(run.public_input_file),
            "--air_private_input", str(run.private_input_file),
        ]
    )
    public_input = json.loads(run.public_input_file.read_text())
    return CairoRun(
        program_file=compiled,
        trace_file=run.trace_file,
        memory_file=run.memory_file,
        public_input_file=run.public_input_file,
        private_input_file=run.private_input_file,
        public_input=public_input,
    )
