"""The operator's Cairo runners against the reference (`cairo-run` as cairo-lang ships it), on every
transaction type, LIQUIDATE and DELEVERAGE, the malicious-prover harness's jobs (honest controls,
tampered hints, edited inputs) and refused batches (broken rules, bad signatures):
- the honest Perpetual program (every hint known to native/cairo_runner/) runs on cairo-vm: the same
  output, a byte-identical trace, the same memory cells (cairo-vm writes them by address, cairo-run
  in its VM dict's insertion order), the same AIR public and private input (but the files' own
  paths); a batch cairo-run refuses, cairo-vm refuses naming the same rule (and the operator's path,
  which reruns a refusal on cairo-lang, raises cairo-run's text);
- a program with an edited hint (the malicious prover's), and the Spot program (cairo/spot, whose
  hints are not ported to cairo-vm), run on cairo-lang's VM in a kept runner process
  (offchain/core/cairo_inprocess.py): byte-identical files, or the same refusal text. The Spot cases:
  a batch of every transaction type and token kind, the malicious-prover harness's controls and hint
  attacks, and batches that break a rule (a bad signature among them)."""
import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bench.cairo_steps import batches, make_state as bench_state
from malicious import tampered_program
from offchain.core.batch_program import (PROGRAM_DIR, SPOT_PROGRAM_DIR, BatchRejected, compiled_program, rule_of,
                                         run_batch)
from offchain.core.cairo_runner import CairoRunError, run_program_cairo_vm, unsupported_hints
from offchain.perpetual.batch import program_input
from offchain.prover.cairo.runner_files import read_memory
from perp_world import MIN_EXPIRATION
from spot.test_model import BREAKING as SPOT_BREAKING
from spot.test_model import full_batch as spot_full_batch
from spot.test_program_malicious import ATTACKS as SPOT_ATTACKS
from spot.test_program_malicious import BASE as SPOT_BASE
from test_perp_program_liquidation import REJECTED as LIQUIDATION_REJECTED
from test_perp_program_liquidation import VALID as LIQUIDATION_VALID
from test_perp_program_malicious import JOBS as MALICIOUS_JOBS
from test_perp_program_transfers import REJECTED as TRANSFERS_REJECTED

# Spot batches that break a rule: a bad signature (fast-stark-crypto rejects, cairo-lang's verify
# words the error), a failed assertion in the rules, a refusal raised by a hint.
SPOT_REFUSED = ("signature", "balance_bound", "order_overfill", "expired", "full_withdrawal", "malformed")
SPOT_HINT_ATTACKS = ("richer_vault", "new_root", "table_unsorted", "empty_vault_with_a_key")


def _cases() -> dict[str, tuple[dict, tuple, Path]]:
    every_type = [tx for txs in batches(1).values() for tx in txs]
    cases = {"every-type": (program_input(bench_state(10), every_type, 0), ())}
    # A bad signature: fast-stark-crypto rejects, so cairo-lang's verify decides and words the error.
    bad_signatures = [case for case in TRANSFERS_REJECTED if case.name.endswith("-signature")]
    for case in LIQUIDATION_VALID + LIQUIDATION_REJECTED[:2] + bad_signatures:
        cases[case.name] = (program_input(case.state, case.transactions, MIN_EXPIRATION), ())
    cases.update({f"malicious-{name}": job for name, job in MALICIOUS_JOBS.items()})
    cases = {name: (batch_input, tampers, PROGRAM_DIR) for name, (batch_input, tampers) in cases.items()}
    cases["spot-every-type"] = (spot_full_batch(), (), SPOT_PROGRAM_DIR)
    cases.update({f"spot-honest-{name}": (batch_input, (), SPOT_PROGRAM_DIR) for name, batch_input in SPOT_BASE.items()})
    for name in SPOT_HINT_ATTACKS:
        base, tampers, _ = SPOT_ATTACKS[name]
        cases[f"spot-malicious-{name}"] = (SPOT_BASE[base], tuple(tampers), SPOT_PROGRAM_DIR)
    cases.update({f"spot-{rule}": (SPOT_BREAKING[rule](), (), SPOT_PROGRAM_DIR) for rule in SPOT_REFUSED})
    return cases


CASES = _cases()


def _run(batch_input: dict, tampers: tuple, program_dir: Path, reference: bool):
    workdir = Path(tempfile.mkdtemp(prefix="differential-"))
    program = tampered_program(tampers, workdir, program_dir) if tampers else compiled_program(program_dir)
    try:
        return run_batch(batch_input, workdir / "run", program=program, reference=reference)
    except BatchRejected as rejected:
        return rejected


def _refusal_on_cairo_vm(batch_input: dict) -> BatchRejected | None:
    """cairo-vm's own refusal (the operator's path reruns a refused batch on cairo-lang, whose
    text it raises)."""
    workdir = Path(tempfile.mkdtemp(prefix="perp-differential-vm-"))
    try:
        run_program_cairo_vm(compiled_program(), batch_input, workdir)
    except CairoRunError as error:
        return BatchRejected(str(error), rule_of(str(error)))
    return None


@pytest.fixture(scope="module")
def runs():
    def both(name):
        return name, (_run(*CASES[name], False), _run(*CASES[name], True))
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(both, CASES))


@pytest.fixture(scope="module")
def vm_refusals(runs):
    """cairo-vm's refusal of each honest Perpetual case that cairo-run refused."""
    return {name: _refusal_on_cairo_vm(CASES[name][0]) for name, (_, reference) in runs.items()
            if isinstance(reference, BatchRejected) and not CASES[name][1] and CASES[name][2] == PROGRAM_DIR}


def test_the_cases_include_accepted_and_refused_batches(runs):
    refused = [name for name, (fast, _) in runs.items() if isinstance(fast, BatchRejected)]
    assert "every-type" not in refused and "liquidate" not in refused and "deleverage" not in refused
    assert "malicious-deposit-balance-alias" in refused and "liquidate-healthy" in refused
    assert {"withdrawal-signature", "transfer-signature", "conditional-signature"} <= set(refused)
    assert not {"spot-every-type", "spot-honest-trade", "spot-honest-transfer", "spot-honest-withdrawals"} & set(refused)
    assert {"spot-honest-trade2", "spot-honest-transfer2"} <= set(refused)  # an order or transfer filled twice
    assert {f"spot-{rule}" for rule in SPOT_REFUSED} | {f"spot-malicious-{n}" for n in SPOT_HINT_ATTACKS} <= set(refused)


def test_the_honest_program_runs_on_cairo_vm_and_a_tampered_one_or_spot_on_cairo_lang(runs):
    assert unsupported_hints(compiled_program()) == []
    assert unsupported_hints(compiled_program(SPOT_PROGRAM_DIR))  # not ported: cairo-lang runs it
    for name, (fast, _) in runs.items():
        if isinstance(fast, BatchRejected):
            continue
        _, tampers, program_dir = CASES[name]
        assert fast.run.runner == ("cairo-vm" if program_dir == PROGRAM_DIR and not tampers else "cairo-lang"), name
    tampered = [name for name, (_, tampers, _) in CASES.items() if tampers]
    assert tampered and all(unsupported_hints(tampered_program(CASES[name][1], Path(tempfile.mkdtemp()), CASES[name][2]))
                            for name in tampered[:3])


def _memory_cells(path: Path) -> list[int]:
    data = path.read_bytes()
    return [int.from_bytes(data[i:i + 8], "little") for i in range(0, len(data), 40)]


def test_cairo_vm_refuses_what_cairo_run_refuses_naming_the_same_rule(runs, vm_refusals):
    assert len(vm_refusals) >= 5
    for name, refusal in vm_refusals.items():
        assert refusal is not None, f"{name}: cairo-vm accepted a batch cairo-run refuses"
        assert refusal.rule == runs[name][1].rule, name


@pytest.mark.parametrize("name", list(CASES))
def test_both_runners_agree(runs, name):
    fast, reference = runs[name]
    assert type(fast) is type(reference)
    if isinstance(reference, BatchRejected):
        # cairo-lang decides a refusal: the operator's text is cairo-run's. Perpetual's refusals name
        # their rule; some of Spot's come from a failed library assertion or a hint's KeyError.
        assert str(fast) == str(reference)
        assert fast.rule == reference.rule
        assert reference.rule or CASES[name][2] == SPOT_PROGRAM_DIR, name
        return
    assert fast.output == reference.output
    assert fast.run.trace_file.read_bytes() == reference.run.trace_file.read_bytes()
    if fast.run.runner == "cairo-vm":
        assert read_memory(fast.run.memory_file) == read_memory(reference.run.memory_file)
        addresses = _memory_cells(fast.run.memory_file)
        assert addresses == sorted(set(addresses))
        assert json.loads(fast.run.public_input_file.read_text()) == json.loads(
            reference.run.public_input_file.read_text())
    else:
        assert fast.run.memory_file.read_bytes() == reference.run.memory_file.read_bytes()
        assert fast.run.public_input_file.read_text() == reference.run.public_input_file.read_text()
    fast_private, reference_private = (
        json.loads(r.run.private_input_file.read_text()) for r in (fast, reference))
    # As cairo-run writes them: os.path.abspath of the paths it was given.
    assert fast_private.pop("trace_path") == os.path.abspath(fast.run.trace_file)
    assert fast_private.pop("memory_path") == os.path.abspath(fast.run.memory_file)
    for key in ("trace_path", "memory_path"):
        reference_private.pop(key)
    assert fast_private == reference_private
