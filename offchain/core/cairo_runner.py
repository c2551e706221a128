"""Compiles and runs Cairo 0 programs with cairo-lang, in proof mode, and reads what they wrote.

The runner's files (trace, memory, AIR public and private input) are what the STARK prover
consumes; the program output is read back from the public memory of the output segment,
which is exactly the data the L1 contract receives.

Three runners write the same files (tests/cairo/test_runner_differential.py compares them):
- `run_program` (the operator's path) runs a program whose hints are all known to
  native/cairo_runner/ (the `starkex_cairo_vm` module: lambdaclass' cairo-vm, its common-library
  hints, and the Perpetual program's own and merkle_multi_update's in Rust, each under its exact
  text) in this process, the GIL released; it writes cairo-run's trace byte for byte, the same
  memory cells (ordered by address: cairo-run writes its VM dict's insertion order, which no
  reader depends on), and the same AIR public and private input;
- any other program (an edited hint, a program whose hints are not ported yet, such as Spot's)
  runs on cairo-lang's VM in runner processes this process keeps (offchain/core/cairo_inprocess.py):
  the program is parsed once per process, the pedersen and ECDSA builtins compute with
  fast-stark-crypto, hints resolve their `ids` once, and proof mode's padding is appended;
  its files are byte-identical to cairo-run's;
- `run_program_reference` runs the `cairo-run` command as shipped.
bench/cairo_runner.py prints all three.
"""
from __future__ import annotations

import dataclasses
import json
import logging
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

try:
    import starkex_cairo_vm
except ImportError:  # not built (make setup builds it): every program runs on cairo-lang
    starkex_cairo_vm = None

_log = logging.getLogger(__name__)
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
    cpu_seconds: float | None = None  # the run's CPU time in its runner (run_program)
    runner: str = "cairo-run"  # which ran it: "cairo-vm", "cairo-lang" (kept process), "cairo-run"

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


def _with_public_input(run: CairoRun, cpu_seconds: float | None = None, runner: str = "cairo-run") -> CairoRun:
    return dataclasses.replace(run, public_input=json.loads(run.public_input_file.read_text()),
                               cpu_seconds=cpu_seconds, runner=runner)


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


_supported: dict[tuple[str, int, int], bool] = {}
_supported_lock = threading.Lock()


def unsupported_hints(compiled: Path) -> list[str]:
    """The hint codes of `compiled` that the cairo-vm runner cannot execute (all of them when the
    `starkex_cairo_vm` module is not built)."""
    if starkex_cairo_vm is None:
        program = json.loads(Path(compiled).read_text())
        return sorted({hint["code"] for hints in program["hints"].values() for hint in hints})
    return starkex_cairo_vm.unsupported_hints(str(compiled))


def runs_on_cairo_vm(compiled: Path) -> bool:
    """Whether run_program runs `compiled` on cairo-vm: every hint it holds is known there."""
    stat = Path(compiled).stat()
    key = (str(Path(compiled).resolve()), stat.st_mtime_ns, stat.st_size)
    with _supported_lock:
        known = _supported.get(key)
    if known is None:
        known = not unsupported_hints(compiled)
        with _supported_lock:
            _supported[key] = known
    return known


def _vm_input(value):
    """The program input for cairo-vm's hints: every integer as a decimal string (Python's
    integers are unbounded; JSON readers' numbers are 64-bit). The hints read both forms."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        return {key: _vm_input(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_vm_input(item) for item in value]
    return value


def run_program_cairo_lang(compiled: Path, program_input: dict, workdir: Path, layout: str = "small") -> CairoRun:
    """Runs `compiled` in proof mode with cairo-lang's VM in a runner process this process keeps
    (offchain/core/cairo_inprocess.py; one per concurrent run); writes the files `cairo-run` writes,
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
    return _with_public_input(run, answer["cpu_seconds"], "cairo-lang")


def run_program_cairo_vm(compiled: Path, program_input: dict, workdir: Path, layout: str = "small") -> CairoRun:
    """Runs `compiled` in proof mode on cairo-vm (native/cairo_runner/) in this thread, the GIL
    released. Every hint of `compiled` must be known to it (runs_on_cairo_vm).

    Raises CairoRunError with cairo-vm's error text when the run fails; its `Error message:`
    lines (the program's with_attr scopes) are those cairo-run prints for the same failure.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    input_file = workdir / "program_input.json"
    input_file.write_text(json.dumps(program_input))
    run = _run_files(compiled, workdir)
    start = time.thread_time()
    try:
        starkex_cairo_vm.run(str(compiled), json.dumps(_vm_input(program_input)), layout,
                             str(run.trace_file), str(run.memory_file), str(run.public_input_file),
                             str(run.private_input_file))
    except starkex_cairo_vm.RunFailed as failure:
        raise CairoRunError(f"cairo-vm failed:\n{failure}") from None
    return _with_public_input(run, time.thread_time() - start, "cairo-vm")


def run_program(compiled: Path, program_input: dict, workdir: Path, layout: str = "small") -> CairoRun:
    """Runs `compiled` in proof mode and writes the files `cairo-run` writes: on cairo-vm when
    every hint of the program is known to it (runs_on_cairo_vm), else on cairo-lang's VM
    (run_program_cairo_lang).

    cairo-lang decides every refusal: a run cairo-vm fails (or crashes) runs again on cairo-lang,
    whose error text is raised (CairoRunError), so a refusal reads the same whichever VM ran
    first; and a batch the gateway acknowledged is never refused because of a difference between
    the VMs (that run's files are cairo-lang's, logged as a divergence)."""
    if runs_on_cairo_vm(compiled):
        try:
            return run_program_cairo_vm(compiled, program_input, workdir, layout)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as failure:  # noqa: BLE001 - pyo3's PanicException is a BaseException
            vm_failure = failure
        run = run_program_cairo_lang(compiled, program_input, workdir, layout)
        _log.warning("cairo-vm failed a run cairo-lang completed (%s): %s", compiled, vm_failure)
        return run
    return run_program_cairo_lang(compiled, program_input, workdir, layout)
