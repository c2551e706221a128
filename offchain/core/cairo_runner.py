"""Compiles and runs Cairo 0 programs with cairo-lang, in proof mode, and reads what they wrote.

The runner's files (trace, memory, AIR public and private input) are what the STARK prover
consumes; the program output is read back from the public memory of the output segment,
which is exactly the data the L1 contract receives.

Two runners write byte-identical files (tests/cairo/test_runner_differential.py compares them):
- `run_program` (the operator's path) drives cairo-lang's VM in runner processes it keeps
  (offchain/cairo_inprocess.py): the program is parsed once per process, the pedersen and
  ECDSA builtins compute with fast-stark-crypto instead of cairo-lang's pure-Python curve
  arithmetic, hints resolve their `ids` once, and proof mode's padding, a fixed point of the
  final `jmp rel 0`, is appended to the trace instead of executed step by step;
- `run_program_reference` runs the `cairo-run` command as shipped.
What is left is cairo-lang's VM stepping (bench/cairo_runner.py prints its floor).
"""
from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
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
    cpu_seconds: float | None = None  # the run's CPU time in its runner process (run_program)

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


def _run_files(compiled: Path, workdir: Path) -> CairoRun:
    return CairoRun(
        program_file=compiled,
        trace_file=workdir / "trace.bin",
        memory_file=workdir / "memory.bin",
        public_input_file=workdir / "air_public_input.json",
        private_input_file=workdir / "air_private_input.json",
        public_input={},
    )  # the file names CairoRun.at reads back


def _with_public_input(run: CairoRun, cpu_seconds: float | None = None) -> CairoRun:
    return dataclasses.replace(run, public_input=json.loads(run.public_input_file.read_text()),
                               cpu_seconds=cpu_seconds)


def run_program_reference(compiled: Path, program_input: dict, workdir: Path,
                          layout: str = "small") -> CairoRun:
    """Runs `cairo-run --proof_mode` as cairo-lang ships it: the reference `run_program` must equal."""
    workdir.mkdir(parents=True, exist_ok=True)
    input_file = workdir / "program_input.json"
    input_file.write_text(json.dumps(program_input))
    run = _run_files(compiled, workdir)
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
    return _with_public_input(run)


class _RunnerProcess:
    """A `python -m offchain.core.cairo_inprocess` child that serves runs one at a time: a request
    and its answer are one JSON line each on the child's stdin and stdout."""

    def __init__(self):
        self.process = subprocess.Popen([sys.executable, "-m", "offchain.core.cairo_inprocess"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run(self, request: dict) -> dict:
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        except (BrokenPipeError, OSError):
            line = ""
        if not line:
            self.close()
            raise CairoRunError(f"the Cairo runner process died (exit code {self.process.returncode})")
        return json.loads(line)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


_idle: list[_RunnerProcess] = []
_idle_lock = threading.Lock()


def _serve(request: dict) -> dict:
    """Runs `request` in an idle runner process, or a new one; keeps it for the next run."""
    runner = None
    with _idle_lock:
        while _idle and runner is None:
            runner = _idle.pop()
            if runner.process.poll() is not None:  # died while idle: no run was lost
                runner.close()
                runner = None
    if runner is None:
        runner = _RunnerProcess()
    answer = runner.run(request)  # a dead runner raises and is not kept
    with _idle_lock:
        _idle.append(runner)
    return answer


def run_program(compiled: Path, program_input: dict, workdir: Path, layout: str = "small") -> CairoRun:
    """Runs `compiled` in proof mode with cairo-lang's VM in a runner process this process keeps
    (offchain/cairo_inprocess.py; one per concurrent run); writes the files `cairo-run` writes,
    byte for byte. A process, not a thread: a run holds its interpreter for seconds, which would
    stall the operator's gateway thread, and concurrent runs then use every core.

    Raises CairoRunError with the text `cairo-run` prints on stderr when the run fails (a failed
    assertion, hint or builtin check), so callers parse one format; or naming the runner's crash.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    input_file = workdir / "program_input.json"
    input_file.write_text(json.dumps(program_input))
    run = _run_files(compiled, workdir)
    answer = _serve({"program": str(compiled), "program_input": str(input_file), "layout": layout,
                     "trace": str(run.trace_file), "memory": str(run.memory_file),
                     "public_input": str(run.public_input_file),
                     "private_input": str(run.private_input_file)})
    if answer.get("crash"):
        raise CairoRunError(f"the Cairo runner crashed:\n{answer['crash']}")
    if answer.get("failure"):
        raise CairoRunError(f"cairo-run failed:\n{answer['failure']}")
    return _with_public_input(run, answer["cpu_seconds"])
