"""The benchmarks must run: every bench module imports, and the gas benchmark measures every
call of its table on the test node (a benchmark that cannot run is a broken measurement, not a
missing one)."""
import importlib
import pkgutil

import bench


def test_every_bench_module_imports():
    names = [m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_")]
    assert "gas" in names
    for name in names:
        assert callable(importlib.import_module(f"bench.{name}").main), name


def test_gas_benchmark_measures_its_table():
    from bench import gas

    rows = dict(gas.measure())
    assert set(rows) >= set(gas.ROWS)
    assert all(value > 21_000 for value in rows.values()), rows


def test_registration_benchmark_measures_its_alternatives():
    from bench import registration

    rows = dict(registration.measure())
    assert set(rows) == set(registration.ROWS)
    # The exchange's verification is the cheapest of the three it was measured against.
    ours, no_comb, former = (rows[name] for name in registration.ROWS[1:4])
    assert ours < no_comb < former, rows
