import subprocess
import sys
from pathlib import Path

import pytest

from offchain import __version__
from offchain.core import cairo_runner
from offchain.core.cairo_runner import (
    CAIRO_ROOT, CairoRunError, compile_program, run_program, run_program_cairo_lang, run_program_cairo_vm,
    unsupported_hints)

RUNNERS = {"cairo-vm": run_program_cairo_vm, "cairo-lang": run_program_cairo_lang}


@pytest.fixture(scope="module")
def fibonacci(tmp_path_factory):
    return compile_program(CAIRO_ROOT / "examples" / "fibonacci.cairo", tmp_path_factory.mktemp("build") / "fib.json")


def test_a_program_whose_hints_are_all_known_runs_on_cairo_vm(fibonacci, tmp_path):
    assert unsupported_hints(fibonacci) == []
    assert run_program(fibonacci, {"n": 3}, tmp_path).runner == "cairo-vm"


def test_a_program_with_a_hint_cairo_vm_lacks_runs_on_cairo_lang(tmp_path):
    source = tmp_path / "squares.cairo"
    source.write_text("""%builtins output
func main{output_ptr: felt*}() {
    tempvar x;
    %{ ids.x = sum(i * i for i in range(4)) %}
    assert [output_ptr] = x;
    let output_ptr = output_ptr + 1;
    return ();
}
""")
    compiled = compile_program(source, tmp_path / "squares.json")
    assert unsupported_hints(compiled) == ["ids.x = sum(i * i for i in range(4))"]
    run = run_program(compiled, {}, tmp_path / "run")
    assert run.runner == "cairo-lang" and run.output() == [14]


@pytest.mark.parametrize("runner", list(RUNNERS))
@pytest.mark.parametrize("n,expected", [(0, 0), (1, 1), (10, 55), (90, 2880067194370816120)])
def test_proof_mode_run_output_is_read_back(fibonacci, tmp_path, runner, n, expected):
    run = RUNNERS[runner](fibonacci, {"n": n}, tmp_path)
    assert run.runner == runner
    assert run.output() == [n, expected]
    # Proof mode pads the trace to a power of two: what the prover needs.
    assert run.n_steps & (run.n_steps - 1) == 0
    assert run.trace_file.stat().st_size == 24 * run.n_steps


@pytest.mark.parametrize("runner", list(RUNNERS))
def test_failing_program_reports_the_error(fibonacci, tmp_path, runner):
    with pytest.raises(CairoRunError, match="KeyError: 'n'"):
        RUNNERS[runner](fibonacci, {}, tmp_path)


def test_a_runner_process_that_dies_fails_its_run_and_is_replaced(fibonacci, tmp_path):
    dying = cairo_runner._RunnerProcess()
    dying.process.kill()
    with pytest.raises(CairoRunError, match="runner process died"):
        dying.run({"program": str(fibonacci)})
    run_program_cairo_lang(fibonacci, {"n": 1}, tmp_path / "first")  # leaves an idle runner process
    with cairo_runner._idle_lock:
        idle = list(cairo_runner._idle)
    for runner in idle:
        runner.process.kill()
        runner.process.wait()
    assert run_program_cairo_lang(fibonacci, {"n": 10}, tmp_path / "second").output() == [10, 55]
    with cairo_runner._idle_lock:
        assert not set(idle) & set(cairo_runner._idle)


def test_console_entry_point_prints_version():
    exe = Path(sys.executable).parent / "starkex-operator"
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=True).stdout
    assert out.strip() == f"starkex-operator {__version__}"


def test_the_batch_programs_hint_forms_are_unknown_outside_a_program_defining_their_helpers(tmp_path):
    # `_load_tx(...)` means what the batch program's helper hint defines; elsewhere cairo-vm must
    # not guess: the program runs on cairo-lang (where it fails: no `_load_tx`).
    source = tmp_path / "loads.cairo"
    source.write_text("""struct Pair {
    a: felt,
}
func main() {
    alloc_locals;
    local pair: Pair;
    %{ _load_tx(ids.pair, tx, ["a"]) %}
    return ();
}
""")
    compiled = compile_program(source, tmp_path / "loads.json")
    assert unsupported_hints(compiled) == ['_load_tx(ids.pair, tx, ["a"])']
    with pytest.raises(CairoRunError, match="_load_tx"):
        run_program(compiled, {}, tmp_path / "run")
