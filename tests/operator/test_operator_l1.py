"""The operator end to end on the local node: L1 deposit → watcher → gateway transactions →
batch run by the model and the Cairo program → fact → updateState accepted → withdrawal paid.
Then the same flow killed at every pipeline step, resumed by a new operator over the same store."""
import threading

import pytest
from clients import Gateway

from offchain.crypto.signature import private_to_public_key
from offchain.perpetual.local import ETH_QUANTUM, LocalStack
from offchain.core.l1.users import register_user
from offchain.perpetual import signing
from offchain.core.storage import BatchStatus

ALICE_KEY, BOB_KEY, FEE_KEY = 0xA11CE, 0xB0B, 0xFEE
ALICE, BOB, FEE = (private_to_public_key(k) for k in (ALICE_KEY, BOB_KEY, FEE_KEY))
ALICE_POSITION, BOB_POSITION = 11, 12


def alice_and_bob(project, accounts, chain, tmp_path, alice_deposit: int | None = 1000, **deploy) -> LocalStack:
    """A local stack where Alice (account 2) and Bob (account 3) registered their Stark keys and
    Alice deposited alice_deposit on L1 (None: no deposit); deploy: LocalStack.deploy's options."""
    stack = LocalStack.deploy(project, accounts[0], accounts[1], chain, tmp_path, fee_public_key=FEE, **deploy)
    exchange = stack.deployment.exchange
    register_user(exchange, accounts[2], ALICE_KEY)
    register_user(exchange, accounts[3], BOB_KEY)
    if alice_deposit is not None:
        exchange.deposit(ALICE, stack.deployment.collateral_asset_type, ALICE_POSITION, alice_deposit,
                         value=alice_deposit * ETH_QUANTUM, sender=accounts[2])
    return stack


@pytest.fixture
def stack(project, accounts, chain, tmp_path):
    return alice_and_bob(project, accounts, chain, tmp_path)


def user_transactions(stack):
    expiration = stack.chain.pending_timestamp // 3600 + 24
    collateral = stack.deployment.collateral_asset_type
    transfer = signing.transfer(ALICE_KEY, asset_id=collateral, sender_position_id=ALICE_POSITION,
                                receiver_position_id=BOB_POSITION, receiver_public_key=BOB, amount=300,
                                nonce=1, expiration_timestamp=expiration)
    withdrawal = signing.withdrawal(BOB_KEY, collateral_asset_id=collateral, position_id=BOB_POSITION,
                                    amount=120, nonce=2, expiration_timestamp=expiration)
    return [transfer.to_json(), withdrawal.to_json()]


def submit_user_transactions(operator, stack):
    gateway = Gateway(operator)
    for tx in user_transactions(stack):
        _, response = gateway.post(tx)
        assert response.status_code == 200, response.json()


def check_final_state(stack, operator, accounts):
    exchange = stack.deployment.exchange
    collateral = stack.deployment.collateral_asset_type
    assert exchange.lastBatchId() == 0
    assert exchange.getPendingDeposit(ALICE, collateral, ALICE_POSITION) == 0  # consumed exactly once
    assert exchange.getWithdrawalBalance(BOB, collateral) == 120  # credited exactly once
    assert exchange.positionsRoot() == operator.pipeline.executor.state.positions_root
    before = accounts[3].balance
    receipt = exchange.withdraw(BOB, collateral, sender=accounts[3])
    assert accounts[3].balance == before + 120 * ETH_QUANTUM - receipt.total_fees_paid
    assert [b.status for b in operator.store.iter_batches()] == [BatchStatus.ACCEPTED]


def test_deposit_transfer_withdrawal_accepted_on_l1(stack, accounts):
    operator = stack.operator()
    operator.watcher.poll()
    assert operator.store.get_transaction(0).tx["type"] == "DEPOSIT"
    submit_user_transactions(operator, stack)
    accepted = operator.drain()
    assert [b.batch_id for b in accepted] == [0]
    batch = operator.store.get_batch(0)
    assert batch.data["cairo_steps"] > 0 and batch.data["fact"].startswith("0x")
    check_final_state(stack, operator, accounts)
    # The Cairo run's folder (trace, memory) is gone once L1 accepted the batch (retention 0).
    assert not list(stack.settings.workdir.glob("batch-*"))


class Killed(BaseException):
    """Stands for kill -9: raised through everything, nothing after it runs."""


def crash_around(step: str, when: str):
    """Wraps prover or updater so that the process 'dies' right before or after its L1 effect."""

    def wrap(component):
        class Crashing:
            def __getattr__(self, name):
                return getattr(component, name)

        crashing = Crashing()
        method = getattr(component, step)

        def crashing_step(batch):
            if when == "before":
                raise Killed()
            method(batch)
            raise Killed()  # the effect happened on L1, but its result was never stored

        setattr(crashing, step, crashing_step)
        return crashing

    return wrap


@pytest.mark.parametrize("component, step, when", [
    ("prover", "prove", "before"),
    ("prover", "prove", "after"),
    ("updater", "submit", "before"),
    ("updater", "submit", "after"),
])
def test_operator_killed_at_a_pipeline_step_resumes_without_loss_or_double_apply(stack, accounts, component, step, when):
    first = stack.operator(**{component: crash_around(step, when)})
    first.watcher.poll()
    submit_user_transactions(first, stack)
    with pytest.raises(Killed):
        first.drain()
    # A new process: everything in memory is gone; only the store and L1 remain.
    resumed = stack.operator()
    resumed.watcher.poll()  # re-reading L1 must not make the deposit twice
    assert resumed.store.first_unused_tx_id() == 3
    resumed.drain()
    check_final_state(stack, resumed, accounts)


def test_forced_withdrawal_request_is_served_by_the_next_batch(stack, accounts):
    """Censorship resistance: a request made on L1 becomes a transaction without any client,
    and the batch that carries it marks it served on L1 before the freeze grace period."""
    exchange, collateral = stack.deployment.exchange, stack.deployment.collateral_asset_type
    operator = stack.operator()
    operator.drain()  # the deposit
    exchange.forcedWithdrawalRequest(ALICE, ALICE_POSITION, 400, False, sender=accounts[2])
    too_much = exchange.forcedWithdrawalRequest(ALICE, ALICE_POSITION, 5000, False, sender=accounts[2])
    keys = [exchange.forcedWithdrawalKey(ALICE, ALICE_POSITION, amount) for amount in (400, 5000)]
    assert all(exchange.forcedRequestTime(key) > 0 for key in keys) and too_much
    accepted = operator.drain()
    types = [t.tx["type"] for t in operator.store.transactions_in(1, 2)]
    assert types == ["FORCED_WITHDRAWAL", "FORCED_WITHDRAWAL"]
    # The impossible one (5000 > 1000) is served too, as invalid: nothing is paid for it.
    assert [t.tx["is_valid"] for t in operator.store.transactions_in(1, 2)] == [1, 0]
    assert [b.batch_id for b in accepted] == [1]
    assert all(exchange.forcedRequestTime(key) == 0 for key in keys)
    assert exchange.getWithdrawalBalance(ALICE, collateral) == 400


def serve_until_accepted(stack, caplog, **wrappers):
    """An operator over `stack` (wrappers: LocalStack.operator's) serving the user transactions
    in its service loop, run_forever, until the batch is accepted; its warnings in caplog."""
    operator = stack.operator(**wrappers)
    operator.watcher.poll()
    submit_user_transactions(operator, stack)
    stop = threading.Event()
    operator.pipeline.on_accepted = lambda batch, done=operator.pipeline.on_accepted: (done(batch), stop.set())
    # A hung loop fails the test instead of hanging it; the batch is executed and proven first
    # (minutes on a loaded 2-core machine), so the guard leaves room.
    deadline = threading.Timer(900, stop.set)
    deadline.start()
    with caplog.at_level("WARNING", logger="offchain.core.operator"):
        operator.run_forever(stop, idle_sleep=0.05)
    deadline.cancel()
    return operator


def test_service_loop_retries_a_failing_step_and_goes_on(stack, accounts, caplog):
    """The node refusing one updateState (a transient failure) does not end the service: the
    loop logs it, waits, and the retried step goes through."""
    failures = []

    def flaky(updater):
        class Flaky:
            def __getattr__(self, name):
                return getattr(updater, name)

            def submit(self, batch):
                if not failures:
                    failures.append(batch.batch_id)
                    raise ConnectionError("node unreachable")
                return updater.submit(batch)

        return Flaky()

    operator = serve_until_accepted(stack, caplog, updater=flaky)
    assert failures == [0]
    assert any("node unreachable" in r.getMessage() for r in caplog.records)
    check_final_state(stack, operator, accounts)


def test_service_loop_retries_a_batch_the_disk_could_not_hold(stack, accounts, caplog, tmp_path, monkeypatch):
    """The prover's spill directory unusable during one attempt (a full disk, a missing
    directory): the native prover's failure is a ProverIoError (an OSError), so the loop logs it
    and proves the batch again once the disk is back, rather than ending the service."""
    failures = []
    spill = tmp_path / "spill"

    def disk_gone_once(prover):
        class DiskGoneOnce:
            def __getattr__(self, name):
                return getattr(prover, name)

            def prove(self, batch):
                if failures:
                    return prover.prove(batch)
                failures.append(batch.batch_id)
                monkeypatch.setenv("STARK_LDE_DIR", str(spill))  # not there yet
                try:
                    return prover.prove(batch)
                finally:
                    spill.mkdir()

        return DiskGoneOnce()

    operator = serve_until_accepted(stack, caplog, prover=disk_gone_once)
    assert failures == [0]
    assert any("ProverIoError" in r.getMessage() and f"creating the LDE spill file in {spill}" in r.getMessage()
               for r in caplog.records)
    check_final_state(stack, operator, accounts)
