"""Validium on the local node: a real Committee contract (2 of 3 members, Ethereum keys) must
vouch for a batch's roots before L1 takes its state update. Members fetch the batch from the
availability gateway, replay it on their own state and sign; short of a quorum the batch waits
at its step, durable, and goes through once the quorum is there. The batch is run by the Cairo
program too (validium output layout), and its long steps log their progress."""
import json
import logging
import re

import pytest
from eth_account import Account
from clients import gateway_client

from offchain.crypto.signature import private_to_public_key
from offchain.core.l1.committee import AvailabilityClaim, AvailabilityMismatch, CommitteeGatedUpdater, CommitteeMember
from offchain.core.l1.state_update import NO_BATCH
from offchain.core.logs import JsonFormatter, TextFormatter
from offchain.perpetual import signing
from offchain.perpetual.position import Position
from offchain.core.storage import BatchStatus
from test_operator_l1 import alice_and_bob

ALICE_KEY, BOB_KEY, FEE_KEY = 0xA11CE, 0xB0B, 0xFEE
ALICE, BOB, FEE = (private_to_public_key(k) for k in (ALICE_KEY, BOB_KEY, FEE_KEY))
ALICE_POSITION, BOB_POSITION = 11, 12
MEMBER_KEYS = ["0x" + f"{0xC0FFEE00 + i:064x}" for i in (1, 2, 3)]


@pytest.fixture
def validium(project, accounts, chain, tmp_path):
    committee = accounts[0].deploy(project.Committee, [Account.from_key(k).address for k in MEMBER_KEYS], 2)
    stack = alice_and_bob(project, accounts, chain, tmp_path, committee=committee)
    return stack, committee


def test_validium_batch_waits_for_the_committee_quorum_then_is_accepted(validium, accounts, caplog):
    stack, committee = validium
    exchange = stack.deployment.exchange
    assert stack.genesis.config.data_availability_mode == 0
    assert list(exchange.getAvailabilityVerifiers()) == [committee.address]
    operator = stack.operator()
    assert isinstance(operator.pipeline.updater, CommitteeGatedUpdater)
    gateway = gateway_client(operator)
    operator.watcher.poll()
    expiration = stack.chain.pending_timestamp // 3600 + 24
    transfer = signing.transfer(ALICE_KEY, asset_id=stack.deployment.collateral_asset_type, sender_position_id=ALICE_POSITION,
                                receiver_position_id=BOB_POSITION, receiver_public_key=BOB, amount=300, nonce=1,
                                expiration_timestamp=expiration)
    assert gateway.post("/gateway/add_transaction", json={"tx_id": 1, "tx": transfer.to_json()}).status_code == 200

    with caplog.at_level(logging.INFO, logger="offchain"):
        assert operator.drain() == []  # no member signed: proved, but not submitted
    batch = operator.store.get_batch(0)
    claim = AvailabilityClaim.of_batch(batch)
    assert batch.status is BatchStatus.PROVED and batch.tx_ids == range(0, 2)
    assert exchange.lastBatchId() == NO_BATCH and not committee.isValid(claim.fact())

    members = [CommitteeMember(key, stack.genesis, gateway) for key in MEMBER_KEYS]
    assert members[2].review_next()
    assert operator.drain() == []  # 1 of 2: still waiting, still there
    assert operator.store.get_batch(0).status is BatchStatus.PROVED and exchange.lastBatchId() == NO_BATCH
    assert members[0].review_next()
    assert not members[0].review_next()  # nothing after batch 0 yet

    accepted = operator.drain()
    assert [b.batch_id for b in accepted] == [0]
    assert committee.isValid(claim.fact()) and exchange.lastBatchId() == 0
    assert exchange.positionsRoot() == members[0].state.positions_root == members[2].state.positions_root
    assert operator.store.get_batch(0).data["availability_fact"] == "0x" + claim.fact().hex()
    # In validium mode L1 holds no balances of positions, only the deposit it consumed.
    assert exchange.getPendingDeposit(ALICE, stack.deployment.collateral_asset_type, ALICE_POSITION) == 0

    # A member whose own replay gives other roots refuses to sign.
    forked = stack.genesis.copy()
    forked.set_position(99, Position(public_key=BOB, collateral_balance=1))
    with pytest.raises(AvailabilityMismatch):
        CommitteeMember(MEMBER_KEYS[1], forked, gateway).review_next()

    waits = [r for r in caplog.records if getattr(r, "waiting_for", None)]
    assert waits and waits[0].waiting_for == "0 of 2 committee signatures"
    # The Cairo run reports its progress: a start line and an end line with the elapsed time.
    cairo = [r for r in caplog.records if getattr(r, "stage", None) == "cairo_run"]
    assert (cairo[0].event, cairo[0].elapsed_s) == ("started", 0.0) and cairo[-1].event == "done" and cairo[-1].elapsed_s > 0
    # ... and the CLI's text form of the same line: stage, event, elapsed time, fields.
    assert re.fullmatch(r"\d\d:\d\d:\d\d cairo_run +done +\d+\.\d\ds  batch_id=0", TextFormatter().format(cairo[-1]))
    assert json.loads(JsonFormatter().format(cairo[-1]))["stage"] == "cairo_run"
