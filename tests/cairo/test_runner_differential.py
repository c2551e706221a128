"""The operator's Cairo runner (cairo-lang's VM in a runner process, offchain/cairo_inprocess.py)
against the reference (`cairo-run` as cairo-lang ships it): on every transaction type, LIQUIDATE and
DELEVERAGE, the malicious-prover harness's jobs (honest controls, tampered hints, edited inputs) and
refused batches (broken rules, bad signatures), both give the same output, byte-identical trace and
memory files, the same AIR public input and private input (but the files' own paths), or the same
refusal text. The same for the Spot program (cairo/spot, whose hints are its own): a batch of every
transaction type and token kind, the malicious-prover harness's controls and hint attacks, and
batches that break a rule (a bad signature among them)."""
import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bench.cairo_steps import batches, make_state as bench_state
from malicious import tampered_program
from offchain.core.batch_program import PROGRAM_DIR, SPOT_PROGRAM_DIR, BatchRejected, compiled_program, run_batch
from offchain.perpetual.batch import program_input
from perp_world import MIN_EXPIRATION
from spot.test_model import BREAKING as SPOT_BREAKING
from spot.test_model import full_batch as spot_full_batch
from spot.test_program_malicious import ATTACKS as SPOT_ATTACKS
from spot.test_program_malicious import BASE as SPOT_BASE
from test_perp_program_liquidation import REJECTED as LIQUIDATION_REJECTED
from test_perp_program_liquidation import VALID as LIQUIDATION_VALID
from test_perp_program_malicious import JOBS as MALICIOUS_JOBS
from test_perp_program_transfers import REJECTED as TRANSFERS_REJECTED

FILES = ("trace_file", "memory_file")
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
    workdir = Path(tempfile.mkdtemp(prefix="perp-differential-"))
    program = tampered_program(tampers, workdir, program_dir) if tampers else compiled_program(program_dir)
    try:
        return run_batch(batch_input, workdir / "run", program=program, reference=reference)
    except BatchRejected as rejected:
        return rejected


@pytest.fixture(scope="module")
def runs():
    def both(name):
        return name, (_run(*CASES[name], False), _run(*CASES[name], True))
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(both, CASES))


def test_the_cases_include_accepted_and_refused_batches(runs):
    refused = [name for name, (fast, _) in runs.items() if isinstance(fast, BatchRejected)]
    assert "every-type" not in refused and "liquidate" not in refused and "deleverage" not in refused
    assert "malicious-deposit-balance-alias" in refused and "liquidate-healthy" in refused
    assert {"withdrawal-signature", "transfer-signature", "conditional-signature"} <= set(refused)
    assert not {"spot-every-type", "spot-honest-trade", "spot-honest-transfer", "spot-honest-withdrawals"} & set(refused)
    assert {"spot-honest-trade2", "spot-honest-transfer2"} <= set(refused)  # an order or transfer filled twice
    assert {f"spot-{rule}" for rule in SPOT_REFUSED} | {f"spot-malicious-{n}" for n in SPOT_HINT_ATTACKS} <= set(refused)


@pytest.mark.parametrize("name", list(CASES))
def test_both_runners_agree(runs, name):
    fast, reference = runs[name]
    assert type(fast) is type(reference)
    if isinstance(reference, BatchRejected):
        assert str(fast) == str(reference)
        assert fast.rule == reference.rule
        return
    assert fast.output == reference.output
    for attribute in FILES:
        fast_bytes, reference_bytes = (getattr(r.run, attribute).read_bytes() for r in (fast, reference))
        assert fast_bytes == reference_bytes, attribute
    assert fast.run.public_input_file.read_text() == reference.run.public_input_file.read_text()
    fast_private, reference_private = (
        json.loads(r.run.private_input_file.read_text()) for r in (fast, reference))
    # As cairo-run writes them: os.path.abspath of the paths it was given.
    assert fast_private.pop("trace_path") == os.path.abspath(fast.run.trace_file)
    assert fast_private.pop("memory_path") == os.path.abspath(fast.run.memory_file)
    for key in ("trace_path", "memory_path"):
        reference_private.pop(key)
    assert fast_private == reference_private
