"""Table-driven attacks on the gateway, one table per input class of issue 17, each row an input
that must be refused with a named code (and nothing stored). Every response is counted in the
adversarial tally; the test fails on any input acknowledged or answered with a 5xx.

The gateway runs in-process over a real store, the real reference model and real signatures; a
genesis with one synthetic asset (BTC, two oracles) so that ticks and trades are meaningful.
"""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from offchain.crypto.constants import EC_ORDER, FIELD_PRIME
from offchain.crypto.signature import Signature, is_stark_key, private_to_public_key
from offchain.core.gateway.access import GatewayAccess, Role
from offchain.core.gateway.app import create_app
from offchain.core.gateway.intake import TransactionIntake
from offchain.perpetual.local import LocalSynthetic
from offchain.perpetual.windows import MAX_SYSTEM_TIME_LAG, MAX_SYSTEM_TIME_LEAD
from offchain.perpetual import signing
from offchain.perpetual.config import GeneralConfig
from offchain.perpetual.constants import FXP_32_ONE
from offchain.perpetual.state import PerpetualState
from offchain.perpetual.transactions import FundingTick, Trade
from offchain.core.storage import OperatorStore
from tally import TALLY

COLLATERAL = 0x1
BTC = 0x4254432D3130000000000000000000
ORACLES = (0x0AC1E1, 0x0AC1E2)
MARKET = LocalSynthetic(asset_id=BTC, resolution=10**10, risk_factor=FXP_32_ONE // 10, oracle_private_keys=ORACLES, quorum=1)
ALICE_KEY, BOB_KEY = 0xA11CE, 0xB0B
ALICE, BOB = private_to_public_key(ALICE_KEY), private_to_public_key(BOB_KEY)
FEE = private_to_public_key(0xFEE)  # the fee position's owner: 0 owns nothing (issue 16)
NOW = 1_700_000_000
EXPIRATION = NOW // 3600 + 24
ACCESS = GatewayAccess.generate()
OFF_CURVE_KEY = next(x for x in range(2, 100) if not is_stark_key(x))
BIG_INVERSE_S = pow(2**251 + 7, -1, EC_ORDER)  # 0 < s < n, but s^-1 mod n >= 2^251


def genesis() -> PerpetualState:
    config = GeneralConfig(collateral_asset_id=COLLATERAL, fee_position_id=0, fee_public_key=FEE,
                           synthetic_assets=(MARKET.config(),), max_funding_rate=FXP_32_ONE - 1)
    return PerpetualState(config=config, system_time=NOW)


@pytest.fixture
def world(tmp_path):
    """An intake holding Alice's 1000 (a watcher-made deposit) and a price, and a client per role."""
    intake = TransactionIntake(OperatorStore(f"sqlite:///{tmp_path}/operator.sqlite"), genesis(), clock=lambda: NOW,
                               max_pending=50)
    intake.submit_from_l1({"type": "DEPOSIT", "position_id": 1, "public_key": ALICE, "amount": 1000}, "0xd:0")
    app = create_app(intake, ACCESS)
    clients = {role: TestClient(app, headers=ACCESS.client(role).header()) for role in Role}
    clients[None] = TestClient(app)
    price = signing.oracle_prices_tick({BTC: [signing.oracle_price(ORACLES[0], signed_asset_id=MARKET.signed_asset_id,
                                                                    external_price=10**18 * 10**4, timestamp=NOW)]}, NOW)
    post(clients[Role.PRICE_SOURCE], price.to_json()).raise_for_status()
    post(clients[Role.PRICE_SOURCE], funding_tick(NOW)).raise_for_status()
    return intake, clients


def post(client, tx):
    return client.post("/gateway/add_transaction", json={"tx_id": _first_unused(client), "tx": tx})


def _first_unused(client) -> int:
    return client.get("/gateway/testing/get_first_unused_tx_id",
                      headers=ACCESS.client(Role.APPLICATION).header()).json()


def transfer(amount=10, nonce=1, **overrides) -> dict:
    """Alice's transfer signed for `amount`, with fields then overridden as an attacker would."""
    tx = signing.transfer(ALICE_KEY, asset_id=COLLATERAL, sender_position_id=1, receiver_position_id=2,
                          receiver_public_key=BOB, amount=amount, nonce=nonce, expiration_timestamp=EXPIRATION).to_json()
    return {**tx, **overrides}


def withdrawal(amount) -> dict:
    return signing.withdrawal(ALICE_KEY, collateral_asset_id=COLLATERAL, position_id=1, amount=amount, nonce=3,
                              expiration_timestamp=EXPIRATION).to_json()


PAYEE = 0xC0FFEE0000000000000000000000000000C0FFEE


def withdrawal_to_address(amount=10, **overrides) -> dict:
    tx = signing.withdrawal_to_address(ALICE_KEY, collateral_asset_id=COLLATERAL, position_id=1, eth_address=PAYEE,
                                       amount=amount, nonce=4, expiration_timestamp=EXPIRATION).to_json()
    return {**tx, **overrides}


def conditional_transfer(src_fee_position_id) -> dict:
    """Alice's conditional transfer signed with fee position 5, then given src_fee_position_id."""
    tx = signing.transfer(ALICE_KEY, asset_id=COLLATERAL, sender_position_id=1, receiver_position_id=2,
                          receiver_public_key=BOB, amount=10, nonce=6, expiration_timestamp=EXPIRATION,
                          condition_of=(1, 2), src_fee_position_id=5).to_json()
    return {**tx, "src_fee_position_id": src_fee_position_id}


def order(key, buying, position_id) -> dict:
    return signing.limit_order(key, position_id=position_id, asset_id_synthetic=BTC, asset_id_collateral=COLLATERAL,
                               is_buying_synthetic=buying, amount_synthetic=10, amount_collateral=100, amount_fee=0,
                               nonce=5, expiration_timestamp=EXPIRATION).to_json()


def trade(**overrides) -> dict:
    a, b = order(ALICE_KEY, True, 1), order(BOB_KEY, False, 2)
    tx = {"type": "TRADE", "party_a_order": a, "party_b_order": b, "actual_collateral": 100,
          "actual_synthetic": 10, "actual_a_fee": 0, "actual_b_fee": 0}
    return {**tx, **overrides}


def funding_tick(timestamp) -> dict:
    return FundingTick(indices={BTC: 0}, timestamp=timestamp).to_json()


# --- the tables: (name, role sending it, request body or tx, expected status, expected code) -----------

L1_MADE = [
    ("DEPOSIT after a user's L1 deposit", {"type": "DEPOSIT", "position_id": 1, "public_key": ALICE, "amount": 1}),
    ("FORCED_WITHDRAWAL is_valid=1 with no L1 request",
     {"type": "FORCED_WITHDRAWAL", "position_id": 1, "public_key": ALICE, "amount": 5, "is_valid": 1}),
    ("FORCED_TRADE with no L1 request",
     {"type": "FORCED_TRADE", "public_key_party_a": ALICE, "public_key_party_b": BOB, "position_id_party_a": 1,
      "position_id_party_b": 2, "synthetic_asset_id": BTC, "amount_collateral": 1, "amount_synthetic": 1,
      "is_party_a_buying_synthetic": 1, "nonce": 1, "is_valid": 1}),
]


@pytest.mark.parametrize("role", list(Role))
def test_l1_made_types_are_refused_to_every_caller(world, role):
    intake, clients = world
    for name, tx in L1_MADE:
        response = post(clients[role], tx)
        TALLY.record("who: L1-made type from a client", response.status_code)
        assert (response.status_code, response.json()["code"]) == (403, "FORBIDDEN_TRANSACTION_TYPE"), name
    assert intake.store.first_unused_tx_id() == 3


def test_callers_authenticate_and_send_only_their_types(world):
    intake, clients = world
    cases = [
        (None, transfer(), 401, "UNAUTHENTICATED"),
        ("wrong-token", transfer(), 401, "UNAUTHENTICATED"),
        (Role.APPLICATION, funding_tick(NOW + 60), 403, "FORBIDDEN_TRANSACTION_TYPE"),
        (Role.APPLICATION, signing.oracle_prices_tick({}, NOW + 60).to_json(), 403, "FORBIDDEN_TRANSACTION_TYPE"),
        (Role.USER_DOOR, {"type": "LIQUIDATE"}, 403, "FORBIDDEN_TRANSACTION_TYPE"),
        (Role.USER_DOOR, {"type": "DELEVERAGE"}, 403, "FORBIDDEN_TRANSACTION_TYPE"),
        (Role.USER_DOOR, funding_tick(NOW + 60), 403, "FORBIDDEN_TRANSACTION_TYPE"),
        (Role.PRICE_SOURCE, transfer(), 403, "FORBIDDEN_TRANSACTION_TYPE"),
        (Role.PRICE_SOURCE, withdrawal_to_address(), 403, "FORBIDDEN_TRANSACTION_TYPE"),
    ]
    for role, tx, status, code in cases:
        client = TestClient(clients[None].app, headers={"Authorization": "Bearer not-a-token"}) if role == "wrong-token" \
            else clients[role]
        response = client.post("/gateway/add_transaction", json={"tx_id": 3, "tx": tx})
        TALLY.record("who: authentication and roles", response.status_code)
        assert (response.status_code, response.json()["code"]) == (status, code), (role, tx.get("type"))
    for path in ("/gateway/get_transaction?tx_id=0", "/gateway/testing/get_first_unused_tx_id"):
        response = clients[None].get(path)
        TALLY.record("who: authentication and roles", response.status_code)
        assert response.status_code == 401
    replace = clients[Role.USER_DOOR].post("/gateway/mark_transaction_for_replacement", json={"tx_id": 1})
    TALLY.record("who: authentication and roles", replace.status_code)
    assert replace.status_code == 403
    # The user door does take what users sign, a withdrawal to an address among them.
    assert post(clients[Role.USER_DOOR], transfer()).status_code == 200
    assert post(clients[Role.USER_DOOR], withdrawal_to_address()).status_code == 200
    assert intake.store.first_unused_tx_id() == 5


def test_ticks_outside_l1_system_time_window_are_refused(world):
    intake, clients = world
    price_source = clients[Role.PRICE_SOURCE]
    too_far, too_old = NOW + MAX_SYSTEM_TIME_LEAD, NOW - MAX_SYSTEM_TIME_LAG + 3600
    cases = [
        (funding_tick(2**40), "INVALID_FUNDING_TICK_TIMESTAMP"),
        (funding_tick(too_far), "INVALID_FUNDING_TICK_TIMESTAMP"),
        (signing.oracle_prices_tick({}, too_far).to_json(), "INVALID_ORACLE_TIMESTAMP"),
    ]
    for tx, code in cases:
        response = post(price_source, tx)
        TALLY.record("validity: system time against L1's window", response.status_code)
        assert (response.status_code, response.json()["code"]) == (400, code), response.json()
        assert "L1" in response.json()["message"]
    # Too old for L1 by the time the batch lands (the model refuses it first: before system time).
    response = post(price_source, funding_tick(too_old))
    TALLY.record("validity: system time against L1's window", response.status_code)
    assert response.status_code == 400
    # A genuine tick still goes through: nothing was poisoned.
    assert post(price_source, funding_tick(NOW + 60)).status_code == 200


BAD_NUMBERS = [
    ("float amount 10.9", {**transfer(10), "amount": 10.9}),
    ("float amount 10.0", {**transfer(10), "amount": 10.0}),
    ("boolean amount", {**transfer(10), "amount": True}),
    ("exponent string", {**transfer(10), "amount": "1e1"}),
    ("padded string", {**transfer(10), "amount": " 10"}),
    ("empty hex", {**transfer(10), "amount": "0x"}),
    ("negative amount string", {**transfer(10), "amount": "-10"}),
    ("null amount", {**transfer(10), "amount": None}),
    ("list amount", {**transfer(10), "amount": [10]}),
    ("string flag 'false'", trade(party_a_order={**order(ALICE_KEY, True, 1), "is_buying_synthetic": "false"})),
    ("flag 2", trade(party_a_order={**order(ALICE_KEY, True, 1), "is_buying_synthetic": 2})),
    ("unknown field", transfer(memo="hello")),
    ("missing field", {k: v for k, v in transfer().items() if k != "nonce"}),
    ("unknown type", {"type": "TELEPORT"}),
    ("type not a string", {"type": 6}),
    ("tx not an object", "TRANSFER"),
]


def test_numbers_only_in_starkex_forms(world):
    intake, clients = world
    for name, tx in BAD_NUMBERS:
        response = post(clients[Role.APPLICATION], tx)
        TALLY.record("input: number and flag forms", response.status_code)
        assert (response.status_code, response.json()["code"]) == (400, "MALFORMED_TRANSACTION"), (name, response.json())
    # The forms StarkEx uses are all accepted, and mean the same transaction.
    tx = transfer()
    as_strings = {**tx, "amount": str(tx["amount"]), "sender_public_key": hex(tx["sender_public_key"]),
                  "signature": {"r": hex(tx["signature"]["r"]), "s": str(tx["signature"]["s"])}}
    assert post(clients[Role.APPLICATION], as_strings).status_code == 200
    assert intake.store.get_transaction(3).tx == tx  # stored in the batch input's form: JSON integers


def test_field_elements_keys_and_signatures(world):
    intake, clients = world
    k_plus_p = ALICE + FIELD_PRIME
    a = order(ALICE_KEY, True, 1)
    cases = [
        ("sender key K + P", transfer(sender_public_key=k_plus_p), "MALFORMED_TRANSACTION"),
        ("order key K + P in a TRADE", trade(party_a_order={**a, "public_key": k_plus_p}), "MALFORMED_TRANSACTION"),
        ("asset id >= P", transfer(asset_id=FIELD_PRIME), "MALFORMED_TRANSACTION"),
        ("signature r >= P", transfer(signature={"r": FIELD_PRIME + 1, "s": 5}), "MALFORMED_TRANSACTION"),
        ("fact >= 2^256", {**transfer(), "type": "CONDITIONAL_TRANSFER", "fact_registry_address": 1, "fact": 2**256},
         "MALFORMED_TRANSACTION"),
        # A withdrawal to an address: L1 reads a key word >= 2^160 as a Stark key, and 0 pays no one.
        ("eth address 0", withdrawal_to_address(eth_address=0), "MALFORMED_TRANSACTION"),
        ("eth address 2^160", withdrawal_to_address(eth_address=2**160), "MALFORMED_TRANSACTION"),
        ("eth address 2^160 + payee", withdrawal_to_address(eth_address=2**160 + PAYEE), "MALFORMED_TRANSACTION"),
        ("eth address negative", withdrawal_to_address(eth_address=-PAYEE), "MALFORMED_TRANSACTION"),
        ("eth address edited after signing", withdrawal_to_address(eth_address=PAYEE + 1), "INVALID_SIGNATURE"),
        # The conditional transfer's signed fee position: 64 bits, as the message packs it.
        ("fee position 2^64", conditional_transfer(2**64), "OUT_OF_RANGE_POSITION_ID"),
        ("fee position P - 1", conditional_transfer(FIELD_PRIME - 1), "OUT_OF_RANGE_POSITION_ID"),
        ("fee position edited after signing", conditional_transfer(7), "INVALID_SIGNATURE"),
        ("off-curve receiver key", transfer(receiver_public_key=OFF_CURVE_KEY), "INVALID_PUBLIC_KEY"),
        ("zero sender key", transfer(sender_public_key=0), "INVALID_PUBLIC_KEY"),
        ("off-curve order key", trade(party_a_order={**a, "public_key": OFF_CURVE_KEY}), "INVALID_PUBLIC_KEY"),
        ("s with inverse >= 2^251", transfer(signature={"r": 5, "s": BIG_INVERSE_S}), "INVALID_SIGNATURE"),
        ("s = 0", transfer(signature={"r": 5, "s": 0}), "INVALID_SIGNATURE"),
        ("order signature s inverse >= 2^251",
         trade(party_a_order={**a, "signature": Signature(5, BIG_INVERSE_S).to_json()}), "INVALID_SIGNATURE"),
        ("oracle signer off-curve", {**signing.oracle_prices_tick({}, NOW + 60).to_json(), "oracle_prices": {
            str(BTC): {"signed_prices": [{"signer_key": OFF_CURVE_KEY, "external_price": 1, "timestamp": NOW,
                                          "signed_asset_id": 1, "signature": {"r": 1, "s": 1}}]}}}, "INVALID_PUBLIC_KEY"),
    ]
    for name, tx, code in cases:
        client = clients[Role.PRICE_SOURCE if tx["type"] == "ORACLE_PRICES_TICK" else Role.APPLICATION]
        response = post(client, tx)
        TALLY.record("input: field elements, keys, signatures", response.status_code)
        assert (response.status_code, response.json()["code"]) == (400, code), (name, response.json())
    assert intake.store.first_unused_tx_id() == 3


def test_ids_beyond_the_storage_range(world):
    intake, clients = world
    app_client = clients[Role.APPLICATION]
    for request in (
        lambda: app_client.post("/gateway/add_transaction", json={"tx_id": 2**63, "tx": transfer()}),
        lambda: app_client.post("/gateway/add_transaction", json={"tx_id": -1, "tx": transfer()}),
        lambda: app_client.post("/gateway/add_transaction", json={"tx_id": "2", "tx": transfer()}),
        lambda: app_client.post("/gateway/add_transaction", json={"tx_id": 2.0, "tx": transfer()}),
        lambda: app_client.post("/gateway/add_transaction", content=b"{not json"),
        lambda: app_client.get("/gateway/get_transaction", params={"tx_id": 2**63}),
        lambda: app_client.get("/gateway/get_transaction", params={"tx_id": "x"}),
        lambda: app_client.get("/feeder_gateway/get_batch_info", params={"batch_id": 2**63}),
        lambda: app_client.get("/availability_gateway/get_batch_data", params={"batch_id": 2**63}),
        lambda: app_client.post("/gateway/mark_transaction_for_replacement", json={"tx_id": 2**63}),
        lambda: app_client.post("/availability_gateway/approve_new_roots",
                                json={"batch_id": 2**63, "member_key": "0x0", "signature": "0x0"}),
    ):
        response = request()
        TALLY.record("input: ids beyond BIGINT", response.status_code)
        assert response.status_code == 400, response.text
        assert response.json()["code"] == "MALFORMED_TRANSACTION"
    # Within range, an unknown id is simply unknown.
    assert app_client.get("/gateway/get_transaction", params={"tx_id": 2**63 - 1}).json()["status"] == "NOT_RECEIVED"
    assert app_client.get("/feeder_gateway/get_batch_info", params={"batch_id": 2**63 - 1}).status_code == 404


def test_oversized_and_deeply_nested_bodies(world):
    intake, clients = world
    client = clients[Role.APPLICATION]
    json_header = {"content-type": "application/json"}

    def chunks():
        for _ in range(100):
            yield b" " * 10_000

    for name, body, status in (
        ("declared 600 KB", b" " * 600_000, 413),
        ("streamed 1 MB", chunks(), 413),
        ("nested 100,000 deep", b"[" * 100_000 + b"]" * 100_000, 400),
        ("nested 2,000 deep in tx", b'{"tx_id": 3, "tx": ' + b"[" * 2000 + b"]" * 2000 + b"}", 400),
    ):
        response = client.post("/gateway/add_transaction", content=body, headers=json_header)
        TALLY.record("input: body size and depth", response.status_code)
        assert response.status_code == status and "code" in response.json(), (name, response.text[:200])
    unknown = clients[None].get("/gateway/no_such_thing")
    assert unknown.status_code == 404 and unknown.json()["code"] == "HTTP_404"
    assert intake.store.first_unused_tx_id() == 3


def test_refusals_name_the_numbers(world):
    intake, clients = world
    response = post(clients[Role.APPLICATION], withdrawal(5000))
    TALLY.record("messages: numbers named", response.status_code)
    assert response.status_code == 400
    message = response.json()["message"]
    assert "1000" in message and "5000" in message, message


def test_full_queue_answers_503_with_a_retry_hint(world):
    intake, clients = world
    intake.max_pending = 4  # three pending now: the deposit and the two ticks
    assert post(clients[Role.APPLICATION], transfer(1)).status_code == 200
    response = post(clients[Role.APPLICATION], transfer(2, nonce=2))
    TALLY.record("backpressure: queue full", response.status_code, designed=503)
    assert response.status_code == 503 and response.json()["code"] == "TOO_MANY_PENDING_TRANSACTIONS"
    assert int(response.headers["Retry-After"]) > 0
    assert "4" in response.json()["message"]
    intake.store.close_batch(10)  # a batch takes them: room again
    assert post(clients[Role.APPLICATION], transfer(2, nonce=2)).status_code == 200


def test_acknowledged_trade_is_batchable(world):
    """A TRADE acknowledged by the gateway executes in a batch (the K + P key broke it before)."""
    from offchain.perpetual.batch import execute_batch
    from offchain.perpetual.transactions import transaction_from_json

    intake, clients = world
    intake.submit_from_l1({"type": "DEPOSIT", "position_id": 2, "public_key": BOB, "amount": 1000}, "0xd:1")
    response = post(clients[Role.APPLICATION], trade())
    assert response.status_code == 200, response.json()
    txs = [transaction_from_json(t) for t in intake.store.effective_transactions_in(0, 10)]
    assert isinstance(txs[-1], Trade)
    execute_batch(genesis(), txs, EXPIRATION)  # raises if any acknowledged transaction is not batchable


def test_tally_has_no_failures():
    """Runs last in this module: the classes above refused everything and never answered 5xx."""
    assert TALLY.failures("who:") == {} and TALLY.failures("input:") == {} and TALLY.failures("validity:") == {}
