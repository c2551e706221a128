"""The Cairo AIR's trace built by the native core from the runner's files: the same columns as
offchain/prover/cairo/trace.py (`build_trace`, `build_aux_columns`, the reference it is tested
against), without a Python int per cell. The geometry (trace length, lanes), the statement and
the curve's constants come from the Python modules; the columns, the lanes' curve arithmetic
included, are computed natively (native/src/cairo.rs, native/src/lanes.rs)."""
from __future__ import annotations

import struct
from functools import lru_cache

import stark_native

from offchain.prover.cairo import curve
from offchain.prover.cairo.layout import MAX_RC_FILL, CairoLayout
from offchain.prover.cairo.runner_files import RunnerFiles
from offchain.prover.cairo.statement import CairoStatement
from offchain.prover.cairo.trace import CairoTrace, TraceBuildError, choose_geometry, idle_signature
from offchain.prover.native import words


def _raw(files: RunnerFiles) -> tuple[bytes, bytes]:
    """The runner's file bytes (kept by RunnerFiles.load, else written back from the parsed files)."""
    if files.raw is not None:
        return files.raw
    trace = b"".join(struct.pack("<QQQ", s.ap, s.fp, s.pc) for s in files.trace)
    memory = b"".join(a.to_bytes(8, "little") + v.to_bytes(32, "little") for a, v in files.memory.items())
    return trace, memory


@lru_cache(maxsize=1)
def curve_constants() -> "stark_native.CurveConstants":
    def point(p):
        return words([p[0]]), words([p[1]])

    return stark_native.CurveConstants(words([curve.ALPHA]), words([curve.BETA]), point(curve.SHIFT_POINT),
                                       point(curve.GENERATOR), [[point(p) for p in k] for k in curve.HASH_POINTS])


def _int(value) -> int:
    return int(value, 16) if isinstance(value, str) else int(value)


def build_trace(files: RunnerFiles, n_rc_fill: int | None = None, trace_length: int | None = None) -> CairoTrace:
    """As offchain.prover.cairo.trace.build_trace (same geometry, statement rules and errors),
    with `main` as native columns."""
    pi = files.public_input
    geometry = choose_geometry(files, trace_length)
    n = geometry.trace_length
    statement = CairoStatement.from_run(files, 1, geometry.n_pedersen_lanes, geometry.n_ecdsa_lanes)
    statement.check(n)
    trace_bytes, memory_bytes = _raw(files)
    segments = {name: (begin, stop) for name, begin, stop in statement.builtin_segments()}
    lanes = {"pedersen": geometry.n_pedersen_lanes, "ecdsa": geometry.n_ecdsa_lanes}
    lane_segment = {name: (*segments[name], lanes[name]) if name in segments else None for name in lanes}
    signatures = [(int(e["index"]), words([_int(e["signature_input"]["r"])]), words([_int(e["signature_input"]["w"])]))
                  for e in files.private_input.other_builtins.get("ecdsa", [])]
    public = [(address, words([value])) for address, value in statement.public_cells()]
    try:
        main, n_rc_fill = stark_native.cairo_main_trace(
            trace_bytes, memory_bytes, pi.rc_min, pi.rc_max, pi.n_steps, n, segments.get("range_check"),
            lane_segment["pedersen"], lane_segment["ecdsa"], signatures, words(idle_signature()), public,
            curve_constants(), MAX_RC_FILL, n_rc_fill)
    except stark_native.TraceBuildError as e:
        raise TraceBuildError(str(e)) from None
    statement = CairoStatement.from_run(files, n_rc_fill, geometry.n_pedersen_lanes, geometry.n_ecdsa_lanes)
    return CairoTrace(statement, statement.layout_of(), main)


def aux_trace(layout: CairoLayout, main: "stark_native.Columns", challenges: list[int]) -> "stark_native.Columns":
    """As offchain.prover.cairo.trace.build_aux_columns, on native columns."""
    return stark_native.cairo_aux_trace(main, layout.n_rc_fill, layout.n_pedersen_lanes, layout.n_ecdsa_lanes,
                                        words(challenges))
