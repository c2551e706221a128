"""File-backed columns (native/src/store.rs) and a prover that takes its trace: the path of a
tall trace (2^20 rows and more: a 1,000-transfer batch), exercised here on small runs by lowering
STARK_MAPPED_ROWS in a fresh process. With file-backed columns nothing of the LDE is spilled: the
composition extends its cosets again from the coefficients and the queries' rows are evaluated
from them. The proof must not change by a byte."""
import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from offchain.prover import ProofError, ProverIoError, prove, verify
from offchain.prover.airs.fibonacci import FibonacciAir, fibonacci_public_inputs, fibonacci_trace
from offchain.prover.cairo.air import CairoAir
from offchain.prover.cairo.examples import EXAMPLE_PROGRAMS, run_example
from offchain.prover.cairo.prove import prove_run, verify_run
from offchain.prover.native import NativeBackend
from offchain.prover.native.cairo import build_trace
from offchain.prover.params import TEST_PARAMS, ProofParams

from .helpers import TEST_MIN_SECURITY, cairo_air_class

ROOT = Path(__file__).resolve().parents[2]
NATIVE = NativeBackend()
CAIRO_CASES = ["pedersen_chain", "signatures"]  # pedersen and ecdsa lanes: their columns take the file-backed path too
PARAMS = ProofParams(blowup=8, n_queries=8, grinding_bits=2)

MAPPED_PROVER = """
import json, sys
from offchain.prover import prove
from offchain.prover.airs.fibonacci import FibonacciAir, fibonacci_public_inputs, fibonacci_trace
from offchain.prover.cairo.air import CairoAir
from offchain.prover.cairo.examples import EXAMPLE_PROGRAMS, run_example
from offchain.prover.native import from_ints
from offchain.prover.native.cairo import build_trace
from offchain.prover.params import TEST_PARAMS, ProofParams

params = ProofParams(blowup=8, n_queries=8, grinding_bits=2)
out = dict(mapped=[], cairo=[])
for case in sys.argv[1:]:
    trace = build_trace(run_example(case, EXAMPLE_PROGRAMS[case][0]))
    out["mapped"].append(trace.main.mapped)
    out["cairo"].append(prove(CairoAir.for_trace(trace), trace.main, params, consume_trace=True).to_bytes().hex())
# A forger on files, at blowup 2 (the composition's cosets are the whole LDE domain, so only FRI
# stands between a false trace and a proof): one cell of a step changed, the prover's checks off.
trace = build_trace(run_example(sys.argv[1], EXAMPLE_PROGRAMS[sys.argv[1]][0]))
forged = trace.main.replaced(1, 5, (int.from_bytes(trace.main.cell(1, 5), "big") + 1).to_bytes(32, "big"))
out["forged"] = prove(CairoAir.for_trace(trace), forged, ProofParams.parse("2:80:16"), check=False,
                      consume_trace=True).to_bytes().hex()
fib = fibonacci_trace(64)
fib_columns = from_ints(fib)
out["mapped"].append(fib_columns.mapped)
out["fibonacci"] = prove(FibonacciAir(64, fibonacci_public_inputs(fib)), fib_columns, TEST_PARAMS).to_bytes().hex()
print(json.dumps(out))
"""


def _prove_mapped(tmp_path, rows: int) -> dict:
    env = dict(os.environ, STARK_MAPPED_ROWS=str(rows), STARK_LDE_DIR=str(tmp_path), PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", MAPPED_PROVER, *CAIRO_CASES], env=env, capture_output=True,
                          text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_file_backed_columns_prove_the_same_bytes(tmp_path):
    mapped = _prove_mapped(tmp_path, 16)
    assert all(mapped["mapped"]), "STARK_MAPPED_ROWS=16 must put the traces' columns in files"
    for case, proof in zip(CAIRO_CASES, mapped["cairo"]):
        files = run_example(case, EXAMPLE_PROGRAMS[case][0])
        trace = build_trace(files)
        assert not trace.main.mapped  # the default keeps a small trace on the heap
        on_heap = prove(CairoAir.for_trace(trace), trace.main, PARAMS, backend=NATIVE).to_bytes()
        assert bytes.fromhex(proof) == on_heap, case
        statement = verify(on_heap, cairo_air_class(files), min_security_bits=PARAMS.security_bits).statement
        assert statement.output() == EXAMPLE_PROGRAMS[case][1]
    fib = fibonacci_trace(64)
    fib_air = FibonacciAir(64, fibonacci_public_inputs(fib))
    assert bytes.fromhex(mapped["fibonacci"]) == prove(fib_air, fib, TEST_PARAMS, backend=NATIVE).to_bytes()
    with pytest.raises(ProofError):
        verify_run(bytes.fromhex(mapped["forged"]), cairo_air_class(run_example(
            CAIRO_CASES[0], EXAMPLE_PROGRAMS[CAIRO_CASES[0]][0])).programs)
    # Every column file is unlinked when it is made: nothing is left behind.
    assert list(tmp_path.iterdir()) == []


def test_a_consumed_trace_is_taken_and_proven_the_same():
    files = run_example(CAIRO_CASES[0], EXAMPLE_PROGRAMS[CAIRO_CASES[0]][0])
    kept, taken = build_trace(files), build_trace(files)
    air = CairoAir.for_trace(kept)
    width = kept.main.width
    proof = prove(air, kept.main, TEST_PARAMS, backend=NATIVE)
    assert kept.main.width == width  # not consumed: the caller's trace is untouched
    consumed = prove(CairoAir.for_trace(taken), taken.main, TEST_PARAMS, backend=NATIVE, consume_trace=True)
    assert taken.main.width == 0  # moved out, and freed once committed
    with pytest.raises(ValueError, match="trace must be"):  # a consumed trace cannot be proven again
        prove(air, taken.main, TEST_PARAMS, backend=NATIVE)
    assert consumed.to_bytes() == proof.to_bytes()
    assert prove_run(files, TEST_PARAMS).to_bytes() == proof.to_bytes()  # prove_run consumes its own trace
    verify(proof.to_bytes(), cairo_air_class(files), min_security_bits=TEST_MIN_SECURITY)


# A full disk in a fresh process: RLIMIT_FSIZE caps every file the prover writes (CPython ignores
# SIGXFSZ, so a write past the cap fails with EFBIG, as a write to a full disk fails with ENOSPC).
FULL_DISK_PROVER = """
import json, resource, sys
from offchain.prover.cairo.examples import EXAMPLE_PROGRAMS, run_example
from offchain.prover.cairo.prove import prove_run
from offchain.prover.params import ProofParams

files = run_example(sys.argv[1], EXAMPLE_PROGRAMS[sys.argv[1]][0])
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[2]), resource.RLIM_INFINITY))
try:
    prove_run(files, ProofParams(blowup=8, n_queries=8, grinding_bits=2))
    print(json.dumps(dict(raised=None)))
except Exception as error:  # what an operator's retry loop catches
    print(json.dumps(dict(raised=type(error).__name__, os_error=isinstance(error, OSError),
                          errno=getattr(error, "errno", None), message=str(error))))
"""


@pytest.mark.parametrize("mapped_rows, cap, where", [
    (1 << 20, 4 << 20, "writing the LDE spill file"),  # 2,048 rows x 60 columns x 8: a 31 MiB spill
    (16, 32 << 10, "reserving a column file's space"),  # 64 KiB columns, each in its own file
])
def test_a_full_disk_is_an_os_error_an_operator_retries(tmp_path, mapped_rows, cap, where):
    """The disk filling up under the prover (the LDE spill written by its own thread, or the
    file-backed columns of a tall trace) is an OSError naming the operation and the directory:
    an Exception, which the operator's loop retries, where a Rust panic (a BaseException) would
    end its batching for good. Nothing is left on the disk."""
    env = dict(os.environ, STARK_MAPPED_ROWS=str(mapped_rows), STARK_LDE_DIR=str(tmp_path), PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", FULL_DISK_PROVER, CAIRO_CASES[0], str(cap)], env=env,
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["raised"] == "ProverIoError" and outcome["os_error"], outcome
    assert outcome["errno"] == errno.EFBIG and f"{where} in {tmp_path}" in outcome["message"], outcome
    assert list(tmp_path.iterdir()) == []


def test_a_missing_spill_directory_is_an_os_error_and_a_retry_proves_the_same(tmp_path, monkeypatch):
    """STARK_LDE_DIR gone (or unwritable): ProverIoError with ENOENT, and the same process proves
    the same bytes once the directory is back, as a retried batch does."""
    files = run_example(CAIRO_CASES[0], EXAMPLE_PROGRAMS[CAIRO_CASES[0]][0])
    expected = prove_run(files, PARAMS).to_bytes()
    monkeypatch.setenv("STARK_LDE_DIR", str(tmp_path / "gone"))
    with pytest.raises(ProverIoError) as raised:
        prove_run(files, PARAMS)
    assert raised.value.errno == errno.ENOENT and f"creating the LDE spill file in {tmp_path / 'gone'}" in str(raised.value)
    (tmp_path / "gone").mkdir()
    assert prove_run(files, PARAMS).to_bytes() == expected
