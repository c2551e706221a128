"""Property-based requests over the gateway's own OpenAPI description (schemathesis), bounded.

Every operation gets generated requests, sent once as each kind of caller (the application, the
price source, and no one). Oracles: no response is a 5xx; anything acknowledged is batchable —
after each 2xx the whole pending queue is executed by the reference model at L1's clock (the
expiration policy and L1's system-time window included), as the next batch would be. Counted in
the adversarial tally.
"""
from __future__ import annotations

import tempfile

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from offchain.perpetual.expiration import EXECUTION_MARGIN_HOURS, SECONDS_PER_HOUR, check_admissible, minimum_expiration
from offchain.core.gateway.access import Role
from offchain.core.gateway.app import create_app
from offchain.core.gateway.intake import TransactionIntake
from offchain.perpetual.windows import check_tick
from offchain.perpetual.batch import execute_batch
from offchain.perpetual.transactions import transaction_from_json
from offchain.core.storage import OperatorStore
from tally import TALLY
from test_adversarial_inputs import ACCESS, NOW, genesis, transfer

EXAMPLES_PER_OPERATION = 40


def _gateway():
    store = OperatorStore(f"sqlite:///{tempfile.mkdtemp(prefix='schemathesis-')}/operator.sqlite")
    intake = TransactionIntake(store, genesis(), clock=lambda: NOW)
    # Something to mark, replace, look up and batch: a deposit and two transfers.
    intake.submit_from_l1({"type": "DEPOSIT", "position_id": 1, "public_key": transfer()["sender_public_key"],
                           "amount": 1000}, "0xd:0")
    intake.submit(1, transfer(10))
    intake.submit(2, transfer(20, nonce=2))
    store.close_batch(1)
    return intake, create_app(intake, ACCESS)


INTAKE, APP = _gateway()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
CALLERS = {"application": ACCESS.client(Role.APPLICATION).header(), "price_source": ACCESS.client(Role.PRICE_SOURCE).header(),
           "anonymous": {}}


def batchable_or_why() -> str | None:
    """Executes everything not yet batched as the next batch would be; None if it would pass."""
    store = INTAKE.store
    batched = [tx for b in store.iter_batches() for tx in store.effective_transactions_in(b.first_tx_id, b.last_tx_id)]
    pending = [tx for t in store.pending_transactions() if not t.awaiting_replacement for tx in t.effective]
    parsed = [transaction_from_json(t) for t in pending]
    try:
        state = execute_batch(genesis(), [transaction_from_json(t) for t in batched]).state
        for tx in parsed:
            check_admissible(tx, NOW, EXECUTION_MARGIN_HOURS)
            check_tick(tx, NOW, EXECUTION_MARGIN_HOURS * SECONDS_PER_HOUR)
        execute_batch(state, parsed, minimum_expiration(parsed, NOW))
    except Exception as error:  # noqa: BLE001 — any failure is the finding
        return f"{type(error).__name__}: {error}"
    return None


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_generated_requests_are_refused_cleanly_and_acknowledged_ones_batch(case):
    client = TestClient(APP)
    for caller, headers in CALLERS.items():
        response = case.call(session=client, headers=headers)
        input_class = f"schemathesis: {case.operation.method.upper()} {case.operation.path}"
        TALLY.record(input_class, response.status_code, must_refuse=False)
        assert response.status_code < 500, (caller, response.status_code, response.text[:500])
        if case.operation.method.upper() == "POST" and 200 <= response.status_code < 300 and case.operation.path.startswith("/gateway"):
            why = batchable_or_why()
            if why is not None:
                TALLY.wrongly_accepted(input_class)
            assert why is None, f"acknowledged but not batchable ({caller}): {why}"
