"""A hypothesis state machine over the whole path — gateway intake → batch → L1 — on the local
node, with operator restarts (a new Operator over the same store and chain, as after kill -9),
L1 deposits and forced withdrawals arriving at any time, valid and invalid client transactions,
replacements and the clock moving on.

Invariants, at the end of every run: every acknowledged transaction lands in a batch L1 accepted
(or was replaced, and its alternatives landed), exactly once; L1's positions root is the model's
over exactly those transactions; no request got a 5xx. An acknowledged transaction that does not
land is counted as wrongly accepted in the adversarial tally.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from clients import Gateway
from offchain.core.batching.pipeline import BatchPolicy
from offchain.perpetual.local import ETH_QUANTUM, LocalStack
from offchain.core.l1.users import register_user
from offchain.perpetual import signing
from offchain.perpetual.batch import execute_batch
from offchain.perpetual.transactions import transaction_from_json
from offchain.core.storage import BatchStatus
from tally import TALLY
from test_operator_l1 import FEE
from dev_registry import dev_registry

USERS = {"alice": (0xA11CE, 2, 11), "bob": (0xB0B, 3, 12)}  # stark private key, account index, position
CLASS = "stateful: intake -> batch -> L1 with restarts"


@pytest.mark.slow
def test_intake_batch_l1_with_restarts(project, accounts, chain, tmp_path_factory):
    class Machine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            workdir = tmp_path_factory.mktemp("stateful")
            self.stack = LocalStack.deploy(project, accounts[0], accounts[1], chain, workdir, fee_public_key=FEE,
                                           run_cairo=False, **dev_registry(project, accounts[0]), batch_policy=BatchPolicy(max_size=4, max_age_seconds=0))
            self.exchange = self.stack.deployment.exchange
            self.collateral = self.stack.deployment.collateral_asset_type
            for key, account, _ in USERS.values():
                register_user(self.exchange, accounts[account], key)
            self.operator = self.stack.operator()
            self.gateway = Gateway(self.operator)
            self.acknowledged: set[int] = set()
            self.nonce = 0

        def _post(self, tx: dict) -> None:
            tx_id, response = self.gateway.post(tx)
            TALLY.record(CLASS, response.status_code, must_refuse=False)
            assert response.status_code < 500, response.text
            if response.status_code == 200:
                self.acknowledged.add(tx_id)
            else:
                assert response.status_code in (400, 409, 503), response.text

        def _signed(self, user: str):
            self.nonce += 1
            key, _, position = USERS[user]
            return key, position, self.nonce, chain.pending_timestamp // 3600 + 24

        @rule(user=st.sampled_from(sorted(USERS)), amount=st.integers(1, 2000))
        def l1_deposit(self, user, amount):
            key, account, position = USERS[user]
            self.exchange.deposit(signing.private_to_public_key(key), self.collateral, position, amount,
                                  value=amount * ETH_QUANTUM, sender=accounts[account])

        @rule(user=st.sampled_from(sorted(USERS)), amount=st.integers(1, 3000))
        def forced_withdrawal(self, user, amount):
            key, account, position = USERS[user]
            self.exchange.forcedWithdrawalRequest(signing.private_to_public_key(key), position, amount, False,
                                                  sender=accounts[account])

        @rule(sender=st.sampled_from(sorted(USERS)), amount=st.integers(0, 2500))
        def transfer(self, sender, amount):
            key, position, nonce, expiration = self._signed(sender)
            receiver = next(u for u in USERS if u != sender)
            self._post(signing.transfer(key, asset_id=self.collateral, sender_position_id=position,
                                        receiver_position_id=USERS[receiver][2],
                                        receiver_public_key=signing.private_to_public_key(USERS[receiver][0]),
                                        amount=amount, nonce=nonce, expiration_timestamp=expiration).to_json())

        @rule(user=st.sampled_from(sorted(USERS)), amount=st.integers(0, 2500))
        def withdrawal(self, user, amount):
            key, position, nonce, expiration = self._signed(user)
            self._post(signing.withdrawal(key, collateral_asset_id=self.collateral, position_id=position, amount=amount,
                                          nonce=nonce, expiration_timestamp=expiration).to_json())

        @rule(field=st.sampled_from(["amount", "nonce", "sender_public_key", "signature"]),
              value=st.one_of(st.floats(allow_nan=False), st.booleans(), st.text(max_size=5), st.integers(-2**300, 2**300)))
        def tampered_transfer(self, field, value):
            key, position, nonce, expiration = self._signed("alice")
            tx = signing.transfer(key, asset_id=self.collateral, sender_position_id=position, receiver_position_id=12,
                                  receiver_public_key=signing.private_to_public_key(0xB0B), amount=1, nonce=nonce,
                                  expiration_timestamp=expiration).to_json()
            self._post({**tx, field: value})

        @precondition(lambda self: self.acknowledged)
        @rule(data=st.data())
        def application_replaces(self, data):
            pending = [t.tx_id for t in self.operator.store.pending_transactions() if t.origin is None]
            if not pending:
                return
            tx_id = data.draw(st.sampled_from(pending))
            client = self.gateway.client
            marked = client.post("/gateway/mark_transaction_for_replacement", json={"tx_id": tx_id})
            assert marked.status_code in (200, 409), marked.text
            for stored in self.operator.store.pending_transactions():
                if stored.awaiting_replacement:
                    answer = client.post("/gateway/add_alternative_transactions", json={"tx_id": stored.tx_id, "alternative_txs": []})
                    assert answer.status_code == 200, answer.text

        @rule(steps=st.integers(1, 6))
        def operator_steps(self, steps):
            for _ in range(steps):
                self.operator.tick(force_close=True)

        @rule()
        def restart(self):
            self.operator = self.stack.operator()
            self.gateway = Gateway(self.operator)

        @rule(minutes=st.integers(1, 90))
        def time_passes(self, minutes):
            chain.mine(1, deltatime=minutes * 60)

        @invariant()
        def nothing_batched_twice(self):
            ids = [i for b in self.operator.store.iter_batches() for i in b.tx_ids]
            assert len(ids) == len(set(ids))

        def teardown(self):
            operator = self.operator
            operator.drain()
            for stored in operator.store.pending_transactions():  # replaced by the operator while draining
                if stored.awaiting_replacement and stored.origin is None:
                    self.gateway.client.post("/gateway/add_alternative_transactions",
                                             json={"tx_id": stored.tx_id, "alternative_txs": []})
            operator.drain()
            store = operator.store
            batches = list(store.iter_batches())
            assert all(b.status is BatchStatus.ACCEPTED for b in batches)
            landed = {i for b in batches for i in b.tx_ids}
            lost = self.acknowledged - landed
            TALLY.wrongly_accepted(CLASS, len(lost))
            assert not lost, f"acknowledged but never landed: {sorted(lost)}"
            executed = store.effective_transactions_in(0, store.first_unused_tx_id())
            model = execute_batch(self.stack.genesis, [transaction_from_json(t) for t in executed]).state
            if batches:
                assert self.exchange.lastBatchId() == batches[-1].batch_id
            assert self.exchange.positionsRoot() == model.positions_root

    run_state_machine_as_test(Machine, settings=settings(max_examples=4, stateful_step_count=12, deadline=None,
                                                         derandomize=True, suppress_health_check=list(HealthCheck)))
