"""cairo-lang's proof-mode run (`cairo-run --proof_mode`, cairo-lang 0.14.0.1) in a process that
serves run after run (`python -m offchain.core.cairo_inprocess`, started by offchain/core/cairo_runner.py for
a program holding a hint cairo-vm's runner, native/cairo_runner/, does not know, and to decide a
refusal).

The same steps as `starkware.cairo.lang.vm.cairo_run.cairo_run` with the output files it writes,
minus what costs time and decides nothing (a profile of a 100-transfer batch showed each):
- the program is parsed (marshmallow) once per process and file version, not once per run;
- the pedersen builtin hashes with fast-stark-crypto (identical results, about 40x faster than
  cairo-lang's Python curve arithmetic); the ECDSA builtin accepts a signature when
  fast-stark-crypto verifies it and cairo-lang's range preconditions hold, and asks cairo-lang's
  own `verify` otherwise, so a rejection and its message are cairo-lang's;
- a hint's `ids.<name>` resolves the name (identifier search, reference, type simplification)
  once per hint and name, not on every access: that resolution depends only on the program and
  the hint's flow-tracking data; only the final evaluation at the current ap and fp is repeated;
- proof mode pads the trace to a power of two by running the final `jmp rel 0`: a step that
  leaves pc, ap and fp unchanged and has no hint is a fixed point (it reads the memory it read
  before and writes nothing new), so the padding's trace entries are appended, not executed;
- the range-check limits decode each executed instruction once, not once per step, and the trace
  is relocated and written without a function call per value.
Everything else (the VM, hints, builtins' checks, memory relocation, the AIR public and private
input) is cairo-lang's own code. What remains is the VM's stepping: bench/cairo_runner.py prints
its floor on a program without hints.
"""
from __future__ import annotations

import json
import math
import os
import sys
import threading
import time
import traceback
from collections import OrderedDict
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

import fast_stark_crypto
import numpy as np
from starkware.cairo.lang.compiler.ast.cairo_types import TypeFelt, TypePointer, TypeStruct
from starkware.cairo.lang.compiler.ast.expr import ExprCast, ExprConst, ExprDeref
from starkware.cairo.lang.compiler.expression_evaluator import ExpressionEvaluator
from starkware.cairo.lang.compiler.identifier_manager import (
    IdentifierScope, IdentifierSearchResult, MissingIdentifierError)
from starkware.cairo.lang.compiler.instruction import decode_instruction_values
from starkware.cairo.lang.compiler.program import Program
from starkware.cairo.lang.compiler.references import Reference
from starkware.cairo.lang.compiler.scoped_name import ScopedName
from starkware.cairo.lang.compiler.type_system_visitor import simplify_type_system
from starkware.cairo.lang.instances import LAYOUTS
from starkware.cairo.lang.vm import cairo_run as _cairo_run
from starkware.cairo.lang.vm import cairo_runner as _cairo_runner_module
from starkware.cairo.lang.vm import vm_consts as _vm_consts
from starkware.cairo.lang.vm.cairo_runner import CairoRunner
from starkware.cairo.lang.vm.memory_dict import MemoryDict
from starkware.cairo.lang.vm.relocatable import RelocatableValue, relocate_value
from starkware.cairo.lang.vm.trace_entry import TraceEntry
from starkware.cairo.lang.vm.utils import RunResources
from starkware.cairo.lang.vm.vm_exceptions import VmException
from starkware.crypto.signature import signature as _signature

if TYPE_CHECKING:
    from offchain.core.cairo_runner import CairoRun

_EC_ORDER = _signature.EC_ORDER
_ECDSA_BOUND = 2**_signature.N_ELEMENT_BITS_ECDSA


class RunFailed(Exception):
    """The run failed; the message is what `cairo-run` prints on stderr for the same failure."""


def _fast_verify_ecdsa(msg_hash: int, r: int, s: int, public_key: int) -> bool:
    # cairo-lang's verify asserts these before any curve arithmetic; when one fails, or
    # fast-stark-crypto rejects, cairo-lang's verify decides (and phrases the failure).
    if (isinstance(public_key, int) and 1 <= s < _EC_ORDER and 1 <= r < _ECDSA_BOUND
            and 0 <= msg_hash < _ECDSA_BOUND and 1 <= pow(s, -1, _EC_ORDER) < _ECDSA_BOUND):
        try:
            if fast_stark_crypto.verify(public_key, msg_hash, r, s):
                return True
        except Exception:  # noqa: BLE001 - an unusable key or signature: cairo-lang decides
            pass
    return _signature.verify(msg_hash, r, s, public_key)


# The builtin factories in cairo_runner.py read these module globals when a runner is built.
_cairo_runner_module.pedersen_hash = fast_stark_crypto.pedersen_hash
_cairo_runner_module.verify_ecdsa = _fast_verify_ecdsa


def _resolution_cache(identifiers) -> dict:
    # Lives on the program's IdentifierManager: its keys hold ids of the same program's objects.
    cache = identifiers.__dict__.get("_vm_consts_cache")
    if cache is None:
        cache = identifiers.__dict__["_vm_consts_cache"] = {}
    return cache


def _get_or_set_value(self, name: str, set_value):
    """VmConsts.get_or_set_value with the identifier search done once per scope list and name."""
    identifiers = self._context.identifiers
    cache = _resolution_cache(identifiers)
    key = ("search", type(self), tuple(self._accessible_scopes), name)
    found = cache.get(key)
    if found is None:
        try:
            result = _vm_consts.search_identifier_or_scope(
                identifiers=identifiers, accessible_scopes=self._accessible_scopes,
                name=ScopedName.from_string(name))
        except MissingIdentifierError as exc:
            raise MissingIdentifierError(self._path + exc.fullname) from None
        if isinstance(result, IdentifierSearchResult):
            value = result.identifier_definition
            found = (f"handle_{type(value).__name__}", value, result.get_canonical_name(), value.TYPE)
        elif isinstance(result, IdentifierScope):
            found = ("handle_scope", None, result.fullname, "scope")
        else:
            raise NotImplementedError(f"Unexpected type {type(result).__name__}.")
        cache[key] = found
    handler_name, value, scope, identifier_type = found
    # Looked up on the class: a missing attribute of an instance would resolve as an identifier.
    handler = getattr(type(self), handler_name, None)
    if handler is None:
        self.raise_unsupported_error(name=self._path + name, identifier_type=identifier_type)
    return handler(self, name, value, scope, set_value)


def _evaluable(expr, context):
    """`expr` as ExpressionEvaluator.eval would visit it: type-simplified, of a felt or pointer type
    (else (expr,): `_evaluate` lets eval raise its own error)."""
    simplified, expr_type = simplify_type_system(expr, identifiers=context.identifiers)
    if isinstance(expr_type, (TypeFelt, TypePointer)):
        return simplified, True
    return expr, False


def _evaluate(evaluable, context):
    """ExpressionEvaluator.eval(expr) on the form `_evaluable` prepared."""
    expr, simplified = evaluable
    evaluator = getattr(context.evaluator, "__self__", None)
    if not simplified or not isinstance(evaluator, ExpressionEvaluator):
        return context.evaluator(expr)
    res = evaluator.visit(expr)
    assert isinstance(res, ExprConst), f"Unable to evaluate expression '{expr.format()}'."
    return res.val % evaluator.prime


def _handle_reference(self, name: str, identifier, scope, set_value):
    """VmConsts.handle_ReferenceDefinition with the reference's expression built once per hint."""
    context = self._context
    flow = context.flow_tracking_data
    cache = _resolution_cache(context.identifiers)
    key = ("get" if set_value is None else "set", id(flow), identifier.full_name)
    found = cache.get(key)
    if found is None:
        reference = flow.resolve_reference(reference_manager=context.reference_manager,
                                           name=identifier.full_name)
        if set_value is None:
            expr = reference.eval(flow.ap_tracking)
            expr, expr_type = simplify_type_system(expr, identifiers=context.identifiers)
            if isinstance(expr_type, TypeStruct):
                # A reference of type T: its address, as a T*.
                assert isinstance(expr, ExprDeref), \
                    f"Expected expression of type '{expr_type.format()}' to have an address."
                expr = expr.addr
                expr_type = TypePointer(pointee=expr_type)
            found = (_evaluable(expr, context), expr_type, _vm_consts.is_simple_type(expr_type))
        else:
            assert str(scope[-1:]) == name, "Expecting scope to end with name."
            value, value_type = simplify_type_system(reference.value, identifiers=context.identifiers)
            assert isinstance(value, ExprDeref), \
                f"{scope} (= {value.format()}) does not reference memory and cannot be assigned."
            value_ref = Reference(pc=reference.pc, value=ExprCast(expr=value.addr, dest_type=value_type),
                                  ap_tracking_data=reference.ap_tracking_data)
            found = (_evaluable(value_ref.eval(flow.ap_tracking), context), None, None)
        cache[key] = found
    expr, expr_type, simple = found
    if set_value is not None:
        context.memory[_evaluate(expr, context)] = set_value
        return None
    val = _evaluate(expr, context)
    if simple:
        return val
    assert isinstance(expr_type, TypePointer) and isinstance(expr_type.pointee, TypeStruct), \
        "Type must be of the form T*."
    return _vm_consts.VmConstsReference(context=context, struct_name=expr_type.pointee.scope,
                                        reference_value=val)


_vm_consts.VmConsts.get_or_set_value = _get_or_set_value
_vm_consts.VmConsts.handle_ReferenceDefinition = _handle_reference


class _PaddedRunner(CairoRunner):
    """CairoRunner whose step loop appends the trace of a fixed-point step instead of re-running it."""

    def run_for_steps(self, steps: int):
        vm = self.vm
        while steps > 0:
            ctx = vm.run_context
            before = (ctx.pc, ctx.ap, ctx.fp)
            self.vm_step()
            steps -= 1
            ctx = vm.run_context
            if (steps > 0 and (ctx.pc, ctx.ap, ctx.fp) == before and ctx.pc != self.final_pc
                    and not vm.hints.get(ctx.pc)):
                vm.trace.extend(TraceEntry(pc=ctx.pc, ap=ctx.ap, fp=ctx.fp) for _ in range(steps))
                vm.current_step += steps
                steps = 0

    def get_perm_range_check_limits(self):
        """CairoRunner's, with each executed instruction's offsets decoded once, not once per step."""
        offsets = [offset for pc in {entry.pc for entry in self.vm.trace}
                   for offset in decode_instruction_values(self.vm_memory[pc])[1:]]
        rc_min, rc_max = min(offsets), max(offsets)
        for builtin_runner in self.builtin_runners.values():
            usage = builtin_runner.get_range_check_usage(self)
            if usage is not None:
                rc_min, rc_max = min(rc_min, usage[0]), max(rc_max, usage[1])
        return rc_min, rc_max

    def relocate(self):
        """CairoRunner's, with the trace's registers (relocatable values) relocated inline."""
        self.enable_instruction_trace = False  # super() then relocates memory and builtins only
        try:
            super().relocate()
        finally:
            self.enable_instruction_trace = True
        trace = self.vm.trace
        offsets = self.segment_offsets
        prime = self.program.prime

        def at(value):
            if isinstance(value, RelocatableValue):
                return offsets[value.segment_index] + value.offset
            return relocate_value(value, offsets, prime)

        self.relocated_trace = [TraceEntry(pc=at(e.pc), ap=at(e.ap), fp=at(e.fp)) for e in trace]


# Parsed programs, least recently used first: a runner process serves both applications' batch
# programs (Perpetual's and Spot's; parsing them costs 2.3 and 1.0 CPU s), and each compiled
# version is a new file, so the oldest are dropped.
_programs: OrderedDict[tuple[str, int, int], Program] = OrderedDict()
_programs_lock = threading.Lock()
KEPT_PROGRAMS = 4


def load_program(path: Path) -> Program:
    """The parsed program, parsed once per process and file version (the last KEPT_PROGRAMS kept)."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    with _programs_lock:
        program = _programs.get(key)
        if program is None:
            program = Program.load(data=json.loads(path.read_text()))
            _programs[key] = program
            while len(_programs) > KEPT_PROGRAMS:
                _programs.popitem(last=False)
        _programs.move_to_end(key)
    return program


def _write_trace(path: Path, trace: list) -> None:
    # cairo_run.write_binary_trace's format: per step, ap, fp, pc as little-endian u64.
    words = np.fromiter((v for e in trace for v in (e.ap, e.fp, e.pc)), dtype="<u8",
                        count=3 * len(trace))
    path.write_bytes(words.tobytes())


def _write_memory(path: Path, memory: MemoryDict, field_bytes: int) -> None:
    # MemoryDict.serialize's format: per cell, the address (8 bytes) and value, little-endian.
    path.write_bytes(b"".join(addr.to_bytes(8, "little") + value.to_bytes(field_bytes, "little")
                              for addr, value in memory.items()))


def run(compiled: Path, program_input: dict, layout: str, files: "CairoRun | SimpleNamespace") -> None:
    """Runs `compiled` on `program_input` as `cairo-run --proof_mode --layout <layout>` with the
    trace, memory, AIR public and private input files of `files`. Raises RunFailed."""
    program = load_program(compiled)
    try:
        runner = _PaddedRunner(program=program, layout=LAYOUTS[layout], memory=MemoryDict(),
                               proof_mode=True, allow_missing_builtins=True)
        runner.initialize_segments()
        end = runner.initialize_main_entrypoint()
        runner.initialize_zero_segment()
        runner.initialize_vm(hint_locals={"program_input": program_input})
        runner.run_until_pc(end, run_resources=RunResources(n_steps=None))
        # As cairo-run: one more step, so that the last pc executed is __end__.
        runner.run_for_steps(1)
        runner.original_steps = runner.vm.current_step
        runner.end_run(disable_trace_padding=False)
        runner.read_return_values()
        runner.finalize_segments()
        runner.relocate()
    except VmException as error:
        raise RunFailed(str(error)) from None
    except AssertionError as error:
        raise RunFailed(f"Error: {error}") from None

    _write_trace(files.trace_file, runner.relocated_trace)
    _write_memory(files.memory_file, runner.relocated_memory, math.ceil(program.prime.bit_length() / 8))
    rc_min, rc_max = runner.get_perm_range_check_limits()
    with open(files.public_input_file, "w") as public_input_file:
        _cairo_run.write_air_public_input(
            layout=layout,
            public_input_file=public_input_file,
            memory=runner.relocated_memory,
            public_memory_addresses=runner.segments.get_public_memory_addresses(
                segment_offsets=runner.get_segment_offsets()),
            memory_segment_addresses=runner.get_memory_segment_addresses(),
            trace=runner.relocated_trace,
            rc_min=rc_min,
            rc_max=rc_max,
        )
    with open(files.private_input_file, "w") as private_input_file:
        json.dump({"trace_path": os.path.abspath(files.trace_file),
                   "memory_path": os.path.abspath(files.memory_file),
                   **runner.get_air_private_input()}, private_input_file, indent=4)
        print(file=private_input_file)


def serve() -> None:
    """A runner process (offchain/core/cairo_runner.py): one JSON request per line on stdin, naming the
    compiled program, the program input file, the layout and the four output files; one JSON
    answer per line: {"failure": cairo-run's error text} or {"crash": a traceback} or, when the
files are written, {"cpu_seconds": the run's CPU time}.
    What the program or cairo-lang print goes to stderr: stdout carries only the answers."""
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    for line in sys.stdin:
        request = json.loads(line)
        files = SimpleNamespace(trace_file=Path(request["trace"]), memory_file=Path(request["memory"]),
                                public_input_file=Path(request["public_input"]),
                                private_input_file=Path(request["private_input"]))
        start = time.process_time()
        try:
            program_input = json.loads(Path(request["program_input"]).read_text())
            run(Path(request["program"]), program_input, request["layout"], files)
            answer = {"cpu_seconds": time.process_time() - start}
        except RunFailed as failure:
            answer = {"failure": str(failure).strip()}
        except Exception:  # noqa: BLE001 - reported to the caller, the process serves on
            answer = {"crash": traceback.format_exc()}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


if __name__ == "__main__":
    serve()
