"""The gateway over HTTP, validating real signed transactions against the reference model."""
import pytest
from eth_account import Account
from fastapi.testclient import TestClient

from offchain.perpetual.expiration import ADMISSION_MARGIN_HOURS, minimum_expiration
from offchain.crypto.signature import Signature, private_to_public_key
from offchain.core.gateway.access import GatewayAccess, Role
from offchain.core.gateway.app import create_app
from offchain.core.gateway.intake import DepositGuard, IntakeRejected, TransactionIntake
from offchain.core.l1.committee import AvailabilityClaim, sign_claim
from offchain.perpetual.batch import execute_batch
from offchain.perpetual import signing
from offchain.perpetual.config import GeneralConfig
from offchain.perpetual.state import PerpetualState
from offchain.perpetual.transactions import transaction_from_json
from offchain.core.storage import BatchStatus, OperatorStore

COLLATERAL = 0x1
ALICE_KEY, BOB_KEY = 0xA11CE, 0xB0B
ALICE, BOB = private_to_public_key(ALICE_KEY), private_to_public_key(BOB_KEY)
NOW = 1_700_000_000
EXPIRATION = NOW // 3600 + 24
MEMBER_KEY, OTHER_KEY = "0x" + "11" * 32, "0x" + "22" * 32


@pytest.fixture
def store(tmp_path):
    return OperatorStore(f"sqlite:///{tmp_path}/operator.sqlite")


def genesis() -> PerpetualState:
    config = GeneralConfig(collateral_asset_id=COLLATERAL, fee_position_id=0, fee_public_key=0)
    return PerpetualState(config=config, system_time=NOW)


ACCESS = GatewayAccess.generate()


@pytest.fixture
def intake(store):
    return TransactionIntake(store, genesis(), clock=lambda: NOW)


@pytest.fixture
def client(intake):
    """The exchange's application: the gateway's caller, with its token."""
    return TestClient(create_app(intake, ACCESS), headers=ACCESS.client(Role.APPLICATION).header())


def add(client, tx_id, tx):
    return client.post("/gateway/add_transaction", json={"tx_id": tx_id, "tx": tx})


def deposit(amount, position_id=1, key=ALICE):
    return {"type": "DEPOSIT", "position_id": position_id, "public_key": key, "amount": amount}


def l1_deposit(intake, amount, position_id=1, key=ALICE):
    """What the L1 watcher makes of a deposit event (clients cannot send deposits)."""
    return intake.submit_from_l1(deposit(amount, position_id, key), origin=f"0xdeposit:{intake.store.first_unused_tx_id()}")


def transfer(amount, nonce=1, key=ALICE_KEY, expiration=EXPIRATION):
    return signing.transfer(key, asset_id=COLLATERAL, sender_position_id=1, receiver_position_id=2,
                            receiver_public_key=BOB, amount=amount, nonce=nonce,
                            expiration_timestamp=expiration).to_json()


def test_valid_transactions_are_acknowledged_and_stored(client, intake, store):
    assert client.get("/gateway/is_alive").status_code == 200
    assert l1_deposit(intake, 1000) == 0
    assert add(client, 1, transfer(400)).json() == {"code": "TRANSACTION_RECEIVED", "tx_id": 1}
    assert client.get("/gateway/testing/get_first_unused_tx_id").json() == 2
    assert client.get("/gateway/get_transaction", params={"tx_id": 1}).json()["status"] == "PENDING"
    assert store.get_transaction(1).tx == transfer(400)


@pytest.mark.parametrize(
    "make_bad, code",
    [
        (lambda: transfer(5000), "ILLEGAL_POSITION_TRANSITION_NO_RISK_REDUCED_VALUE"),
        (lambda: {**transfer(10), "signature": Signature(r=1, s=2).to_json()}, "INVALID_SIGNATURE"),
        (lambda: transfer(10, key=BOB_KEY), "INVALID_PUBLIC_KEY"),
        (lambda: {k: v for k, v in transfer(10).items() if k != "amount"}, "MALFORMED_TRANSACTION"),
        (lambda: {"type": "TELEPORT"}, "MALFORMED_TRANSACTION"),
        # Valid by the state's system time, but it would expire before a batch could be proven
        # and submitted: admitted, it would fail its batch.
        (lambda: transfer(10, expiration=NOW // 3600 + ADMISSION_MARGIN_HOURS - 1), "EXPIRED"),
    ],
)
def test_invalid_transaction_is_rejected_with_reason_and_leaves_nothing(client, intake, store, make_bad, code):
    l1_deposit(intake, 1000)
    response = add(client, 1, make_bad())
    assert response.status_code == 400
    assert response.json()["code"] == code, response.json()
    assert client.get("/gateway/testing/get_first_unused_tx_id").json() == 1
    assert store.get_transaction(1) is None
    # The pending state is untouched: the full balance can still move.
    assert add(client, 1, transfer(1000)).status_code == 200


def test_batch_minimum_expiration_is_the_earliest_of_its_transactions():
    txs = [transaction_from_json(t) for t in (deposit(5), transfer(1, expiration=EXPIRATION + 5), transfer(1, expiration=EXPIRATION))]
    assert minimum_expiration(txs, NOW) == EXPIRATION  # L1 takes the update until the first one expires
    assert minimum_expiration(txs[:1], NOW) == NOW // 3600 + ADMISSION_MARGIN_HOURS  # nothing expires


def test_tx_id_sequence_resend_and_reuse(client, intake):
    l1_deposit(intake, 10)
    assert add(client, 2, transfer(5)).json()["code"] == "INVALID_TRANSACTION_ID"
    assert add(client, 1, transfer(5)).status_code == 200
    assert add(client, 1, transfer(5)).status_code == 200  # a lost answer, resent: not applied twice
    reuse = add(client, 1, transfer(6))
    assert (reuse.status_code, reuse.json()["code"]) == (409, "TRANSACTION_ID_ALREADY_USED")
    # Only 5 were moved: 5 are left, so 6 more would break the balance rule.
    assert add(client, 2, transfer(6, nonce=2)).status_code == 400
    assert add(client, 2, transfer(5, nonce=2)).status_code == 200


def test_feeder_and_availability_gateways(client, intake, store):
    assert client.get("/feeder_gateway/get_last_batch_id").status_code == 404
    l1_deposit(intake, 1000)
    add(client, 1, transfer(10))
    batch = store.close_batch(10)
    member = Account.from_key(MEMBER_KEY)
    not_executed = client.post("/availability_gateway/approve_new_roots",
                               json={"batch_id": 0, "member_key": member.address, "signature": "0x1234"})
    assert not_executed.status_code == 409
    result = execute_batch(genesis(), [transaction_from_json(t.tx) for t in store.transactions_in(0, 1)], EXPIRATION)
    store.advance_batch(batch.batch_id, BatchStatus.EXECUTED, fact="0x01", minimum_expiration_timestamp=EXPIRATION,
                        new_positions_root=hex(result.state.positions_root), new_orders_root=hex(result.state.orders_root),
                        positions_height=64, orders_height=64)
    assert client.get("/feeder_gateway/get_last_batch_id").json() == 0
    info = client.get("/feeder_gateway/get_batch_info", params={"batch_id": 0}).json()
    assert info["status"] == "EXECUTED" and info["tx_ids"] == [0, 1] and info["fact"] == "0x01"
    data = client.get("/availability_gateway/get_batch_data", params={"batch_id": 0}).json()
    assert [t["type"] for t in data["transactions"]] == ["DEPOSIT", "TRANSFER"]
    claim = AvailabilityClaim.from_json(data["claim"])
    assert claim == AvailabilityClaim.of_state(result.state, 0)
    signature = sign_claim(MEMBER_KEY, claim)
    forged = client.post("/availability_gateway/approve_new_roots",
                         json={"batch_id": 0, "member_key": Account.from_key(OTHER_KEY).address, "signature": signature})
    assert forged.status_code == 400 and forged.json()["code"] == "INVALID_SIGNATURE"
    approved = client.post("/availability_gateway/approve_new_roots",
                           json={"batch_id": 0, "member_key": member.address, "signature": signature})
    assert approved.json() == {"code": "SIGNATURE_RECEIVED", "n_signatures": 1}
    assert store.get_batch(0).data["committee_signatures"] == {member.address: signature}


def test_openapi_description_lists_the_endpoints(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/gateway/add_transaction", "/gateway/get_transaction", "/feeder_gateway/get_batch_info",
                 "/availability_gateway/get_batch_data", "/availability_gateway/approve_new_roots"):
        assert path in paths


def test_restarted_intake_replays_stored_transactions(store):
    first = TransactionIntake(store, genesis(), clock=lambda: NOW)
    l1_deposit(first, 1000)
    first.submit(1, transfer(600))
    restarted = TransactionIntake(store, genesis(), clock=lambda: NOW)
    with pytest.raises(IntakeRejected):  # only 400 left after the replayed transfer
        restarted.submit(2, transfer(500, nonce=2))
    assert restarted.submit(2, transfer(400, nonce=2)) is True


def test_deposits_must_be_backed_by_unclaimed_l1_deposits(store):
    intake = TransactionIntake(store, genesis(), DepositGuard(), clock=lambda: NOW)
    intake.submit_from_l1(deposit(500), "0xa:0", l1_pending=700)
    with pytest.raises(IntakeRejected) as rejected:
        intake.submit_from_l1(deposit(300), "0xb:0", l1_pending=700)  # 500 of the 700 are already claimed
    assert rejected.value.code == "DEPOSIT_NOT_ON_L1"
    intake.submit_from_l1(deposit(200), "0xb:0", l1_pending=700)
    # L1 consumed the first batch's deposits: its pending amount drops by as much.
    intake.batch_accepted([deposit(500), deposit(200)])
    with pytest.raises(IntakeRejected):
        intake.submit_from_l1(deposit(1), "0xc:0", l1_pending=0)


def test_l1_made_transactions_are_made_once(store):
    intake = TransactionIntake(store, genesis(), clock=lambda: NOW)
    assert intake.submit_from_l1(deposit(5), origin="0xabc:0") == 0
    assert intake.submit_from_l1(deposit(5), origin="0xabc:0") is None
    assert TransactionIntake(store, genesis(), clock=lambda: NOW).submit_from_l1(deposit(5), origin="0xabc:0") is None
    assert store.first_unused_tx_id() == 1
