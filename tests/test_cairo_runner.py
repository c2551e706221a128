import subprocess
import sys
from pathlib import Path

import pytest

from offchain import __version__
from offchain.core.cairo_runner import CAIRO_ROOT, CairoRunError, compile_program, run_program


@pytest.fixture(scope="module")
def fibonacci(tmp_path_factory):
    return compile_program(CAIRO_ROOT / "examples" / "fibonacci.cairo", tmp_path_factory.mktemp("build") / "fib.json")


@pytest.mark.parametrize("n,expected", [(0, 0), (1, 1), (10, 55), (90, 2880067194370816120)])
def test_proof_mode_run_output_is_read_back(fibonacci, tmp_path, n, expected):
    run = run_program(fibonacci, {"n": n}, tmp_path)
    assert run.output() == [n, expected]
    # Proof mode pads the trace to a power of two: what the prover needs.
    assert run.n_steps & (run.n_steps - 1) == 0
    assert run.trace_file.stat().st_size == 24 * run.n_steps


def test_failing_program_reports_the_error(fibonacci, tmp_path):
    with pytest.raises(CairoRunError, match="n"):
        run_program(fibonacci, {}, tmp_path)


def test_a_runner_process_that_dies_fails_its_run_and_is_replaced(fibonacci, tmp_path):
    from offchain.core import cairo_runner

    dying = cairo_runner._RunnerProcess()
    dying.process.kill()
    with pytest.raises(CairoRunError, match="runner process died"):
        dying.run({"program": str(fibonacci)})
    run_program(fibonacci, {"n": 1}, tmp_path / "first")  # leaves an idle runner process
    with cairo_runner._idle_lock:
        idle = list(cairo_runner._idle)
    for runner in idle:
        runner.process.kill()
        runner.process.wait()
    assert run_program(fibonacci, {"n": 10}, tmp_path / "second").output() == [10, 55]
    with cairo_runner._idle_lock:
        assert not set(idle) & set(cairo_runner._idle)


def test_console_entry_point_prints_version():
    exe = Path(sys.executable).parent / "starkex-operator"
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=True).stdout
    assert out.strip() == f"starkex-operator {__version__}"
