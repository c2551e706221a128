"""Readers for what `cairo-run --proof_mode` writes: trace, memory, AIR public and private input."""
from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from pathlib import Path

from offchain.prover.field import P


@dataclass(frozen=True)
class RegisterState:
    """The registers at the start of one Cairo step."""

    pc: int
    ap: int
    fp: int


@dataclass(frozen=True)
class Segment:
    begin: int
    stop: int

    @property
    def size(self) -> int:
        return self.stop - self.begin


@dataclass(frozen=True)
class PublicMemoryCell:
    address: int
    value: int
    page: int = 0


@dataclass(frozen=True)
class AirPublicInput:
    """The runner's AIR public input. In proof mode the program segment runs from the initial pc
    (begin) to the final pc (stop, the `jmp rel 0` at __end__), the execution segment from the
    initial ap (= initial fp) to the final ap."""

    layout: str
    rc_min: int
    rc_max: int
    n_steps: int
    segments: dict[str, Segment]
    public_memory: tuple[PublicMemoryCell, ...]

    @property
    def initial_pc(self) -> int:
        return self.segments["program"].begin

    @property
    def final_pc(self) -> int:
        return self.segments["program"].stop

    @property
    def initial_ap(self) -> int:
        return self.segments["execution"].begin

    @property
    def final_ap(self) -> int:
        return self.segments["execution"].stop


@dataclass(frozen=True)
class RangeCheckInstance:
    index: int
    value: int


@dataclass(frozen=True)
class AirPrivateInput:
    range_check: tuple[RangeCheckInstance, ...] = ()
    other_builtins: dict[str, list] = field(default_factory=dict)


def read_trace(path: Path) -> list[RegisterState]:
    """Trace entries are (ap, fp, pc), each a little-endian u64."""
    data = Path(path).read_bytes()
    if len(data) % 24:
        raise ValueError(f"trace file size {len(data)} is not a multiple of 24")
    return [RegisterState(pc=pc, ap=ap, fp=fp) for ap, fp, pc in struct.iter_unpack("<QQQ", data)]


def read_memory(path: Path) -> dict[int, int]:
    """Memory entries are (address u64 LE, value 32 bytes LE)."""
    data = Path(path).read_bytes()
    if len(data) % 40:
        raise ValueError(f"memory file size {len(data)} is not a multiple of 40")
    memory: dict[int, int] = {}
    for offset in range(0, len(data), 40):
        address = int.from_bytes(data[offset : offset + 8], "little")
        value = int.from_bytes(data[offset + 8 : offset + 40], "little")
        if value >= P:
            raise ValueError(f"memory value at {address} is not a field element")
        if memory.setdefault(address, value) != value:
            raise ValueError(f"memory address {address} written twice with different values")
    return memory


def _int(value) -> int:
    return int(value, 16) if isinstance(value, str) else int(value)


def read_public_input(path: Path) -> AirPublicInput:
    raw = json.loads(Path(path).read_text())
    segments = {
        name: Segment(int(seg["begin_addr"]), int(seg["stop_ptr"])) for name, seg in raw["memory_segments"].items()
    }
    cells = tuple(
        PublicMemoryCell(int(c["address"]), _int(c["value"]), int(c.get("page", 0))) for c in raw["public_memory"]
    )
    return AirPublicInput(
        layout=raw["layout"],
        rc_min=int(raw["rc_min"]),
        rc_max=int(raw["rc_max"]),
        n_steps=int(raw["n_steps"]),
        segments=segments,
        public_memory=cells,
    )


def read_private_input(path: Path) -> AirPrivateInput:
    raw = json.loads(Path(path).read_text())
    rc = tuple(RangeCheckInstance(int(e["index"]), _int(e["value"])) for e in raw.get("range_check", []))
    others = {k: v for k, v in raw.items() if k not in ("range_check", "trace_path", "memory_path")}
    return AirPrivateInput(range_check=rc, other_builtins=others)


@dataclass(frozen=True)
class RunnerFiles:
    """Everything one proof-mode run wrote, parsed, and the program's builtin list (from the
    compiled program: the runner's files do not say which builtins the program uses)."""

    trace: list[RegisterState]
    memory: dict[int, int]
    public_input: AirPublicInput
    private_input: AirPrivateInput
    builtins: tuple[str, ...]
    # The trace and memory files' bytes, kept for the native trace builder (which parses them
    # itself); None for files built in memory.
    raw: tuple[bytes, bytes] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, program_file: Path, trace_file: Path, memory_file: Path, public_input_file: Path,
             private_input_file: Path) -> "RunnerFiles":
        trace_bytes, memory_bytes = Path(trace_file).read_bytes(), Path(memory_file).read_bytes()
        return cls(
            trace=read_trace(trace_file),
            memory=read_memory(memory_file),
            public_input=read_public_input(public_input_file),
            private_input=read_private_input(private_input_file),
            builtins=tuple(json.loads(Path(program_file).read_text())["builtins"]),
            raw=(trace_bytes, memory_bytes),
        )

    @classmethod
    def from_run(cls, run) -> "RunnerFiles":
        """From an `offchain.core.cairo_runner.CairoRun`."""
        return cls.load(run.program_file, run.trace_file, run.memory_file, run.public_input_file,
                        run.private_input_file)
