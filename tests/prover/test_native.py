"""The field kernels (native C and pure Python) against Python-int references and eth_utils."""
import ctypes
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from eth_utils import keccak as eth_keccak

from offchain.prover import native
from offchain.prover.native import P, build, list_kernels, root_of_unity, to_array, to_ints
from offchain.prover.native.native_backend import NativeBackend, load_library
from offchain.prover.native.python_backend import PythonBackend

EDGES = [0, 1, 2, P - 1, P - 2, 2**64 - 1, 2**64, 2**192, 2**251, P // 2]
BACKENDS = ["native", "python"]


@pytest.fixture(params=BACKENDS)
def field(request):
    return native.backend(request.param)


def random_elements(n: int, seed: int) -> list[int]:
    rng = random.Random(seed)
    return [rng.randrange(P) for _ in range(n)]


def direct_eval(coeffs: list[int], x: int) -> int:
    acc = 0
    for c in reversed(coeffs):
        acc = (acc * x + c) % P
    return acc


def direct_dft(values: list[int], root: int) -> list[int]:
    n = len(values)
    return [direct_eval(values, pow(root, i, P)) for i in range(n)]


# ----- format -----


def test_array_round_trip_keeps_values_and_layout():
    values = EDGES + random_elements(50, 1)
    array = to_array(values)
    assert array.dtype == np.uint64 and array.shape == (len(values), 4)
    assert to_ints(array) == values
    assert to_ints(to_array([2**64 + 5]))[0] == 2**64 + 5
    assert to_array([P - 1])[0].tolist() == [0, 0, 0, 0x0800000000000011]


def test_to_array_reduces_mod_p():
    assert to_ints(to_array([P, P + 5, -1, -P - 3])) == [0, 5, P - 1, P - 3]


# ----- elementwise -----


@pytest.mark.parametrize("op", ["add", "sub", "mul"])
def test_elementwise_matches_ints(field, op):
    xs = EDGES + EDGES[::-1] + random_elements(200, 2)
    ys = EDGES[::-1] + EDGES + random_elements(200, 3)
    reference = {"add": lambda x, y: (x + y) % P, "sub": lambda x, y: (x - y) % P,
                 "mul": lambda x, y: x * y % P}[op]
    out = getattr(field, op)(to_array(xs), to_array(ys))
    assert to_ints(out) == [reference(x, y) for x, y in zip(xs, ys)]


def carry_heavy_elements(n: int, seed: int) -> list[int]:
    """Values whose limbs are mostly 0 or all ones, to drive every carry chain to its ends."""
    rng = random.Random(seed)
    limbs = [0, 1, 2**63, 2**64 - 1, 2**64 - 2]
    out = []
    for _ in range(n):
        value = sum(rng.choice(limbs) << (64 * k) for k in range(4)) % P
        out.append(value if rng.random() < 0.8 else rng.randrange(P))
    return out


def test_native_mul_on_many_carry_heavy_values():
    xs = carry_heavy_elements(20000, 90) + EDGES
    ys = carry_heavy_elements(20000, 91) + EDGES[::-1]
    out = to_ints(native.backend("native").mul(to_array(xs), to_array(ys)))
    assert out == [x * y % P for x, y in zip(xs, ys)]


def test_portable_build_agrees_with_default_build(tmp_path):
    """The plain-C multiplication (machines without BMI2/ADX) against Python ints."""
    portable = NativeBackend(load_library(build.SOURCE, tmp_path, build.PORTABLE_CFLAGS))
    xs = carry_heavy_elements(3000, 92) + EDGES
    ys = carry_heavy_elements(3000, 93) + EDGES[::-1]
    assert to_ints(portable.mul(to_array(xs), to_array(ys))) == [x * y % P for x, y in zip(xs, ys)]
    coeffs = to_array(random_elements(64, 94))
    default = native.backend("native")
    assert np.array_equal(portable.coset_lde(coeffs, 4, 3), default.coset_lde(coeffs, 4, 3))


def test_elementwise_keeps_batch_shape(field):
    a = to_array(random_elements(24, 4)).reshape(3, 8, 4)
    b = to_array(random_elements(24, 5)).reshape(3, 8, 4)
    out = field.mul(a, b)
    assert out.shape == (3, 8, 4)
    assert to_ints(out) == [x * y % P for x, y in zip(to_ints(a), to_ints(b))]


def test_elementwise_rejects_mismatched_shapes(field):
    with pytest.raises(ValueError):
        field.add(to_array([1, 2]), to_array([1, 2, 3]))


@pytest.mark.parametrize("scalar", [0, 1, P - 1, 3**100])
def test_scalar_mul(field, scalar):
    xs = EDGES + random_elements(100, 6)
    assert to_ints(field.scalar_mul(to_array(xs), scalar)) == [x * scalar % P for x in xs]


@pytest.mark.parametrize("n", [1, 2, 7, 300])
def test_batch_inverse(field, n):
    xs = ([1, P - 1, 2, 2**251] + random_elements(n, 7))[:n]
    out = to_ints(field.batch_inverse(to_array(xs)))
    assert out == [pow(x, -1, P) for x in xs]
    assert all(x * y % P == 1 for x, y in zip(xs, out))


def test_batch_inverse_refuses_zero(field):
    with pytest.raises(ZeroDivisionError, match="element 2"):
        field.batch_inverse(to_array([5, 6, 0, 7]))


def test_powers(field):
    base = random_elements(1, 8)[0]
    assert to_ints(field.powers(base, 20)) == [pow(base, i, P) for i in range(20)]


# ----- transforms -----


def test_root_of_unity_has_exact_order():
    for log_n in [1, 4, 16, 192]:
        w = root_of_unity(2**log_n)
        assert pow(w, 2**log_n, P) == 1 and pow(w, 2 ** (log_n - 1), P) != 1
    with pytest.raises(ValueError):
        root_of_unity(12)


@pytest.mark.parametrize("n", [1, 2, 4, 8, 32, 64])
def test_ntt_matches_direct_dft(field, n):
    values = random_elements(n, 10 + n)
    values[: min(n, 3)] = [0, 1, P - 1][: min(n, 3)]
    w = root_of_unity(n)
    assert to_ints(field.ntt(to_array(values))) == direct_dft(values, w)
    n_inv = pow(n, -1, P)
    expected = [v * n_inv % P for v in direct_dft(values, pow(w, -1, P))]
    assert to_ints(field.intt(to_array(values))) == expected


@pytest.mark.parametrize("log_n", [1, 5, 10, 14, 15])  # above 2^12, the tiled stages
def test_native_ntt_round_trip(log_n):
    fast = native.backend("native")
    a = to_array(random_elements(2**log_n, 20 + log_n))
    spectrum = fast.ntt(a)
    coeffs, w = to_ints(a), root_of_unity(2**log_n)
    for i in random.Random(log_n).sample(range(2**log_n), min(4, 2**log_n)):
        assert to_ints(spectrum[i : i + 1]) == [direct_eval(coeffs, pow(w, i, P))]
    assert np.array_equal(fast.intt(spectrum), a)
    assert np.array_equal(fast.ntt(fast.intt(a)), a)


def test_native_ntt_equals_python_ntt():
    a = to_array(random_elements(2**10, 30))
    fast, slow = native.backend("native"), native.backend("python")
    assert np.array_equal(fast.ntt(a), slow.ntt(a))
    assert np.array_equal(fast.intt(a), slow.intt(a))


def test_ntt_of_column_batch_is_per_column(field):
    columns = to_array(random_elements(3 * 16, 31)).reshape(3, 16, 4)
    out = field.ntt(columns)
    assert out.shape == columns.shape
    for column, transformed in zip(columns, out):
        assert np.array_equal(transformed, field.ntt(column))
    assert np.array_equal(field.intt(out), columns)


def test_ntt_does_not_modify_its_input(field):
    a = to_array(random_elements(16, 32))
    before = a.copy()
    field.ntt(a)
    field.intt(a)
    assert np.array_equal(a, before)


def test_ntt_rejects_non_power_of_two(field):
    with pytest.raises(ValueError):
        field.ntt(to_array(random_elements(12, 33)))


@pytest.mark.parametrize("n,blowup", [(1, 4), (2, 2), (8, 1), (8, 4), (16, 8)])
def test_coset_lde_matches_direct_evaluation(field, n, blowup):
    coeffs = random_elements(n, 40 + n + blowup)
    shift = 3
    big_root = root_of_unity(n * blowup)
    points = [shift * pow(big_root, i, P) % P for i in range(n * blowup)]
    out = field.coset_lde(to_array(coeffs), blowup, shift)
    assert out.shape == (n * blowup, 4)
    assert to_ints(out) == [direct_eval(coeffs, x) for x in points]


def test_native_coset_lde_on_tiled_sizes_at_sampled_points():
    n, blowup, shift = 2**13, 4, 3
    coeffs = random_elements(n, 48)
    lde = native.backend("native").coset_lde(to_array(coeffs), blowup, shift)
    big_root = root_of_unity(n * blowup)
    for i in random.Random(49).sample(range(n * blowup), 6) + [0, n * blowup - 1]:
        assert to_ints(lde[i : i + 1]) == [direct_eval(coeffs, shift * pow(big_root, i, P) % P)]


def test_native_coset_lde_equals_python():
    coeffs = to_array(random_elements(256, 41))
    shift = random_elements(1, 42)[0]
    fast, slow = native.backend("native"), native.backend("python")
    assert np.array_equal(fast.coset_lde(coeffs, 4, shift), slow.coset_lde(coeffs, 4, shift))


def test_coset_lde_of_interpolant_extends_trace(field):
    """With shift 1 the LDE contains the trace itself at every blowup-th point."""
    trace = to_array(random_elements(32, 43))
    lde = field.coset_lde(field.intt(trace), 4, 1)
    assert np.array_equal(lde[::4], trace)


def test_threaded_column_batches_equal_one_thread():
    lib = native.backend("native").lib
    serial, threaded = NativeBackend(lib, threads=1), NativeBackend(lib, threads=3)
    columns = to_array(random_elements(5 * 32, 47)).reshape(5, 32, 4)
    assert np.array_equal(serial.ntt(columns), threaded.ntt(columns))
    assert np.array_equal(serial.intt(columns), threaded.intt(columns))
    assert np.array_equal(serial.coset_intt(columns, 7), threaded.coset_intt(columns, 7))
    lde = threaded.coset_lde(columns, 4, 3)
    assert np.array_equal(serial.coset_lde(columns, 4, 3), lde)
    assert all(np.array_equal(lde[c], serial.coset_lde(columns[c], 4, 3)) for c in range(5))


@pytest.mark.parametrize("n", [1, 4, 32])
def test_coset_intt_inverts_coset_evaluation(field, n):
    coeffs = random_elements(n, 45 + n)
    shift = random_elements(1, 46)[0]
    root = root_of_unity(n)
    evals = [direct_eval(coeffs, shift * pow(root, i, P) % P) for i in range(n)]
    assert to_ints(field.coset_intt(to_array(evals), shift)) == coeffs
    assert np.array_equal(field.coset_lde(field.coset_intt(to_array(evals), shift), 1, shift),
                          to_array(evals))


def test_coset_lde_batch(field):
    columns = to_array(random_elements(2 * 8, 44)).reshape(2, 8, 4)
    out = field.coset_lde(columns, 2, 5)
    assert out.shape == (2, 16, 4)
    assert np.array_equal(out[1], field.coset_lde(columns[1], 2, 5))


# ----- evaluation -----


@pytest.mark.parametrize("x", [0, 1, P - 1, 123456789 * 2**200 % P])
def test_poly_eval(field, x):
    coeffs = EDGES + random_elements(40, 50)
    assert field.poly_eval(to_array(coeffs), x) == direct_eval(coeffs, x)


def test_eval_columns_including_strided_views(field):
    columns = to_array(random_elements(5 * 33, 51)).reshape(5, 33, 4)
    x = random_elements(1, 52)[0]
    expected = [direct_eval(to_ints(c), x) for c in columns]
    assert field.eval_columns(columns, x) == expected
    row_major = np.ascontiguousarray(columns.transpose(1, 0, 2))
    assert field.eval_columns(row_major.transpose(1, 0, 2), x) == expected
    assert field.eval_columns(columns[::2], x) == expected[::2]


def test_linear_combination(field):
    columns = to_array(EDGES * 3 + random_elements(4 * 30 - 3 * len(EDGES), 53)).reshape(4, 30, 4)
    weights = [0, 1, P - 1, random_elements(1, 54)[0]]
    values = [to_ints(c) for c in columns]
    expected = [sum(w * col[i] for w, col in zip(weights, values)) % P for i in range(30)]
    assert to_ints(field.linear_combination(columns, weights)) == expected
    row_major = np.ascontiguousarray(columns.transpose(1, 0, 2))
    assert to_ints(field.linear_combination(row_major.transpose(1, 0, 2), weights)) == expected
    with pytest.raises(ValueError):
        field.linear_combination(columns, weights[:3])


# ----- hashing -----


def test_native_keccak_matches_eth_utils_on_many_lengths():
    fast = native.backend("native")
    rng = random.Random(60)
    for length in list(range(0, 300)) + [543, 544, 545, 1000, 4096]:
        data = bytes(rng.randrange(256) for _ in range(length))
        assert fast.keccak(data) == eth_keccak(data), length


@pytest.mark.parametrize("cols", [0, 1, 2, 3, 4, 5, 8, 9, 17, 34, 40])
def test_keccak_rows_matches_eth_utils(field, cols):
    values = random_elements(6 * cols, 61 + cols)
    if values:
        values[: min(len(values), 3)] = [0, 1, P - 1][: min(len(values), 3)]
    rows = to_array(values).reshape(6, cols, 4)
    digests = field.keccak_rows(rows)
    assert digests.shape == (6, 32) and digests.dtype == np.uint8
    for r in range(6):
        packed = b"".join(v.to_bytes(32, "big") for v in values[r * cols : (r + 1) * cols])
        assert digests[r].tobytes() == eth_keccak(packed)


def test_keccak_rows_reads_column_major_views(field):
    columns = to_array(random_elements(7 * 10, 62)).reshape(7, 10, 4)  # (cols, rows, 4)
    rows = columns.transpose(1, 0, 2)
    assert np.array_equal(field.keccak_rows(rows), field.keccak_rows(np.ascontiguousarray(rows)))
    assert np.array_equal(field.keccak_rows(rows[::3]), field.keccak_rows(rows)[::3])


@pytest.mark.parametrize("n", [1, 2, 8, 64])
def test_merkle_layers_match_eth_utils(field, n):
    rng = random.Random(70 + n)
    leaves = np.frombuffer(rng.randbytes(32 * n), dtype=np.uint8).reshape(n, 32)
    layers = field.merkle_layers(leaves)
    expected = [[bytes(leaf) for leaf in leaves]]
    while len(expected[-1]) > 1:
        below = expected[-1]
        expected.append([eth_keccak(below[i] + below[i + 1]) for i in range(0, len(below), 2)])
    assert [[bytes(node) for node in layer] for layer in layers] == expected
    assert layers[-1].shape == (1, 32)


def test_native_merkle_equals_python_on_larger_tree():
    leaves = native.backend("native").keccak_rows(to_array(range(1024)).reshape(1024, 1, 4))
    fast = native.backend("native").merkle_layers(leaves)
    slow = native.backend("python").merkle_layers(leaves)
    assert len(fast) == 11
    assert all(np.array_equal(a, b) for a, b in zip(fast, slow))


def test_threaded_hashing_equals_one_thread():
    lib = native.backend("native").lib
    serial, threaded = NativeBackend(lib, threads=1), NativeBackend(lib, threads=3)
    rows = to_array(random_elements(5000 * 3, 71)).reshape(5000, 3, 4)
    digests = threaded.keccak_rows(rows)
    assert np.array_equal(digests, serial.keccak_rows(rows))
    last_row = b"".join(v.to_bytes(32, "big") for v in to_ints(rows[4999]))
    assert digests[4999].tobytes() == eth_keccak(last_row)
    leaves = np.ascontiguousarray(digests[:4096])
    threaded_layers, serial_layers = threaded.merkle_layers(leaves), serial.merkle_layers(leaves)
    assert len(threaded_layers) == 13
    assert all(np.array_equal(a, b) for a, b in zip(threaded_layers, serial_layers))
    last_pair = leaves[4094].tobytes() + leaves[4095].tobytes()
    assert threaded_layers[1][2047].tobytes() == eth_keccak(last_pair)


def test_merkle_rejects_non_power_of_two(field):
    with pytest.raises(ValueError):
        field.merkle_layers(np.zeros((3, 32), dtype=np.uint8))


# ----- the list-of-ints interface -----


def test_list_kernels_match_references():
    values = EDGES[1:] + random_elements(64 - len(EDGES) + 1, 80)
    w = root_of_unity(64)
    assert list_kernels.ntt(values) == direct_dft(values, w)
    assert list_kernels.intt(list_kernels.ntt(values)) == values
    assert list_kernels.coset_lde(values[:16], 4, 3) == to_ints(
        native.backend("python").coset_lde(to_array(values[:16]), 4, 3))
    assert list_kernels.coset_intt(list_kernels.coset_lde(values[:16], 1, 5), 5) == values[:16]
    assert list_kernels.batch_inverse(values) == [pow(v, -1, P) for v in values]
    assert list_kernels.batch_inverse([]) == []
    assert list_kernels.keccak256(b"abc") == eth_keccak(b"abc")


def test_list_kernels_hash_rows_and_merkle():
    columns = [random_elements(8, 81 + c) for c in range(3)]
    leaves = list_kernels.hash_rows(columns)
    assert leaves == [
        eth_keccak(b"".join(column[i].to_bytes(32, "big") for column in columns)) for i in range(8)
    ]
    layers = list_kernels.merkle_layers(leaves)
    assert layers[0] == leaves and len(layers) == 4 and len(layers[-1]) == 1
    assert layers[1][2] == eth_keccak(leaves[4] + leaves[5])
    assert layers[3][0] == eth_keccak(layers[2][0] + layers[2][1])
    with pytest.raises(ValueError):
        list_kernels.merkle_layers(leaves[:3])


def test_list_kernels_agree_with_the_prover_python_kernels():
    """list_kernels can be installed with offchain.prover.kernels.install: same names, results."""
    from offchain.prover import kernels

    values = random_elements(32, 82)
    columns = [random_elements(16, 83 + c) for c in range(5)]
    inputs = {
        "ntt": (values,), "intt": (values,), "coset_lde": (values, 4, 3),
        "coset_intt": (values, 7), "batch_inverse": (values,), "hash_rows": (columns,),
        "merkle_layers": (kernels.hash_rows(columns),),
    }
    assert set(kernels.KERNEL_NAMES) <= set(inputs)
    for name in kernels.KERNEL_NAMES:
        python_result = getattr(kernels, name)(*inputs[name])
        assert getattr(list_kernels, name)(*inputs[name]) == python_result, name


# ----- build and backend selection -----


def test_build_caches_and_rebuilds_when_source_changes(tmp_path):
    # A tiny source keeps the three compilations fast; field.c itself is built by the backend.
    source = tmp_path / "marker.c"
    source.write_text("int f_marker(void) { return 41; }\n")
    out_dir = tmp_path / "out"
    first = build.build(source, out_dir)
    assert first.compiled and first.library.exists()
    again = build.build(source, out_dir)
    assert not again.compiled and again.library == first.library
    assert ctypes.CDLL(str(first.library)).f_marker() == 41
    source.write_text("int f_marker(void) { return 42; }\n")
    changed = build.build(source, out_dir)
    assert changed.compiled and changed.library != first.library
    assert ctypes.CDLL(str(changed.library)).f_marker() == 42
    assert list(out_dir.glob("*.so")) == [changed.library]  # the stale build is removed


def test_native_library_is_cached_under_the_source_hash():
    native.backend("native")  # builds on first use
    result = build.build()
    assert not result.compiled
    assert build.source_hash(build.SOURCE) in result.library.name
    assert result.library.parent == build.DEFAULT_BUILD_DIR


def test_concurrent_builds_agree(tmp_path):
    source = tmp_path / "marker.c"
    source.write_text("int f_marker(void) { return 7; }\n")
    out_dir = tmp_path / "out"
    script = (
        "import sys; from pathlib import Path; from offchain.prover.native import build; "
        "r = build.build(Path(sys.argv[1]), Path(sys.argv[2])); print(r.compiled, r.library)"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(source), str(out_dir)],
                         stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    results = [p.communicate(timeout=60)[0].split() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert sorted(r[0] for r in results) == ["False", "False", "True"]
    assert len({r[1] for r in results}) == 1
    assert [p.name for p in out_dir.iterdir() if p.suffix == ".so"] == [Path(results[0][1]).name]


def test_build_error_reports_compiler_message(tmp_path):
    source = tmp_path / "broken.c"
    source.write_text("this is not C\n")
    with pytest.raises(build.BuildError, match="broken.c"):
        build.build(source, tmp_path / "out")
    assert not list((tmp_path / "out").glob("*.so"))


def test_missing_compiler_selects_python_backend(monkeypatch, tmp_path):
    monkeypatch.setenv("CC", str(tmp_path / "no-such-gcc"))
    monkeypatch.delenv(native.BACKEND_ENV, raising=False)
    assert build.compiler() is None
    with pytest.raises(build.BuildError):
        build.build(build.SOURCE, tmp_path / "out")
    assert native.default_backend_name() == "python"
    with pytest.warns(RuntimeWarning, match="pure Python"):
        chosen = native._backend_named.__wrapped__("python")
    assert isinstance(chosen, PythonBackend)


def test_environment_selects_backend(monkeypatch):
    monkeypatch.setenv(native.BACKEND_ENV, "python")
    assert isinstance(native.backend(), PythonBackend)
    monkeypatch.setenv(native.BACKEND_ENV, "native")
    assert isinstance(native.backend(), NativeBackend)
    assert native.backend() is native.backend("native")
    with pytest.raises(ValueError):
        native.backend("fortran")


def test_module_level_functions_use_the_default_backend():
    values = random_elements(8, 100)
    assert to_ints(native.ntt(to_array(values))) == direct_dft(values, root_of_unity(8))
    assert native.poly_eval(to_array(values), 5) == direct_eval(values, 5)
    assert native.keccak(b"x") == eth_keccak(b"x")
