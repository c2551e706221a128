"""The Cairo AIR's trace built by the native core from the runner's files: the same columns as
offchain/prover/cairo/trace.py (`build_trace`, `build_aux_columns`, the reference it is tested
against), without a Python int per cell."""
from __future__ import annotations

import struct
from dataclasses import replace

import stark_native

from offchain.prover.cairo.layout import SUPPORTED_RC_FILL, CairoLayout
from offchain.prover.cairo.runner_files import RunnerFiles
from offchain.prover.cairo.statement import CairoStatement
from offchain.prover.cairo.trace import CairoTrace, TraceBuildError
from offchain.prover.native import words


def _raw(files: RunnerFiles) -> tuple[bytes, bytes]:
    """The runner's file bytes (kept by RunnerFiles.load, else written back from the parsed files)."""
    if files.raw is not None:
        return files.raw
    trace = b"".join(struct.pack("<QQQ", s.ap, s.fp, s.pc) for s in files.trace)
    memory = b"".join(a.to_bytes(8, "little") + v.to_bytes(32, "little") for a, v in files.memory.items())
    return trace, memory


def build_trace(files: RunnerFiles, n_rc_fill: int | None = None) -> CairoTrace:
    """As offchain.prover.cairo.trace.build_trace (same statement rules and errors), with `main` as
    native columns."""
    pi = files.public_input
    if pi.n_steps != len(files.trace):
        raise TraceBuildError(f"trace has {len(files.trace)} steps; expected n_steps={pi.n_steps}")
    statement = CairoStatement.from_run(files, SUPPORTED_RC_FILL[0])
    statement.check(pi.n_steps)
    trace_bytes, memory_bytes = _raw(files)
    rc_segment = {name: (begin, stop) for name, begin, stop in statement.builtin_segments()}.get("range_check")
    public = [(address, words([value])) for address, value in statement.public_memory]
    try:
        main, n_rc_fill = stark_native.cairo_main_trace(trace_bytes, memory_bytes, pi.rc_min, pi.rc_max, pi.n_steps,
                                                        rc_segment, public, n_rc_fill)
    except stark_native.TraceBuildError as e:
        raise TraceBuildError(str(e)) from None
    return CairoTrace(replace(statement, n_rc_fill=n_rc_fill), CairoLayout(n_rc_fill), main)


def aux_trace(layout: CairoLayout, main: "stark_native.Columns", challenges: list[int]) -> "stark_native.Columns":
    """As offchain.prover.cairo.trace.build_aux_columns, on native columns."""
    return stark_native.cairo_aux_trace(main, layout.n_rc_fill, words(challenges))
