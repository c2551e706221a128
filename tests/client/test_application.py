"""The reference application against a running operator on the local node: orders matched into
TRADEs the operator accepts, the door's rules, and what an attacker or a crash does to it."""
import threading

import pytest

from offchain.application.price_source import BTC_ASSET_ID, LOCAL_MARKET, LocalPriceSource
from offchain.application.service import Application
from offchain.application.store import ApplicationStore
from offchain.client.api import FeederGatewayClient, GatewayClient, NotAuthorized, RequestRefused, Unavailable
from offchain.client.requests import to_starkex_json
from offchain.core.gateway.access import Role
from offchain.core.storage import BatchStatus

BTC = BTC_ASSET_ID


def order(user, side: str, synthetic: int, collateral: int, fee: int = 0, **kwargs) -> dict:
    return to_starkex_json(user.signer.limit_order(synthetic_asset_id=BTC, is_buying_synthetic=side == "buy",
                                                   amount_synthetic=synthetic, amount_collateral=collateral,
                                                   amount_fee=fee, **kwargs))


@pytest.fixture
def alice(exchange):
    return exchange.user(0xA11CE, 11, 2, deposit=20_000)


@pytest.fixture
def bob(exchange):
    return exchange.user(0xB0B, 12, 3, deposit=20_000)


def test_opposite_orders_become_an_accepted_trade(exchange, alice, bob):
    with exchange.client() as client:
        resting = client.submit_order(order(bob, "sell", 10, 990, fee=10))
        assert resting["status"] == "OPEN" and resting["fills"] == []
        taker = client.submit_order(order(alice, "buy", 10, 1000, fee=10))
        assert taker["status"] == "FILLED"
        tx_id = taker["fills"][0]["tx_id"]
        assert client.get_order(resting["order_id"])["status"] == "FILLED"
        batches = exchange.settle()
        assert batches[-1].status is BatchStatus.ACCEPTED and tx_id in batches[-1].tx_ids
        assert client.get_transaction(tx_id)["status"] == "ACCEPTED"
        assert client.get_transaction(tx_id)["type"] == "TRADE"
    # At the maker's price 99/unit: 990 collateral; each pays floor(10 * 990 / its amount_collateral).
    assert exchange.collateral(11) == 20_000 - 990 - 9
    assert exchange.collateral(12) == 20_000 + 990 - 10
    assert exchange.collateral(0) == 19  # the fee position
    assert exchange.stack.deployment.exchange.positionsRoot() == exchange.operator.pipeline.executor.state.positions_root


def test_price_then_time_priority(exchange, alice, bob):
    carol = exchange.user(0xCA201, 13, 4, deposit=20_000)
    with exchange.client() as client:
        bob_at_100 = client.submit_order(order(bob, "sell", 5, 500))
        carol_at_98 = client.submit_order(order(carol, "sell", 5, 490))
        bob_at_98_later = client.submit_order(order(bob, "sell", 5, 490))
        book = client.get_book(BTC)
        assert [a["order_id"] for a in book["asks"]] == [carol_at_98["order_id"], bob_at_98_later["order_id"],
                                                          bob_at_100["order_id"]]
        sweep = client.submit_order(order(alice, "buy", 12, 1200))
        assert sweep["status"] == "FILLED"
        collateral = [int(f["collateral"]) for f in sweep["fills"]]
        assert collateral == [490, 490, 200]  # Carol's first (same price, earlier), then Bob's, then 2 at 100
        assert client.get_order(bob_at_100["order_id"])["remaining"] == "3"
    exchange.settle()
    assert exchange.collateral(11) == 20_000 - 1180


def test_an_order_that_can_no_longer_fill_leaves_the_book_and_matching_goes_on(exchange, alice, bob):
    """Carol rests the best ask without the collateral to carry the short: the gateway refuses the
    TRADE naming her position, her order leaves with that reason, and Alice fills against Bob."""
    carol = exchange.user(0xCA201, 13, 4, deposit=10)
    with exchange.client() as client:
        griefer = client.submit_order(order(carol, "sell", 1000, 90_000))
        honest = client.submit_order(order(bob, "sell", 10, 1000))
        filled = client.submit_order(order(alice, "buy", 10, 1000))
        assert filled["status"] == "FILLED"
        assert [int(f["collateral"]) for f in filled["fills"]] == [1000]
        assert client.get_order(honest["order_id"])["status"] == "FILLED"
        dropped = client.get_order(griefer["order_id"])
        assert dropped["status"] == "REJECTED"
        assert dropped["code"].startswith("ILLEGAL_POSITION_TRANSITION") and "position 13" in dropped["message"]


def test_a_taker_at_fault_is_refused_and_the_maker_stays(exchange, alice, bob):
    mallory = exchange.user(0x3A11, 11, 5)  # signs for Alice's position with another key
    with exchange.client() as client:
        resting = client.submit_order(order(bob, "sell", 10, 1000))
        stolen = client.submit_order(order(mallory, "buy", 10, 1000))
        assert stolen["status"] == "REJECTED" and stolen["code"] == "INVALID_PUBLIC_KEY"
        assert client.get_order(resting["order_id"])["status"] == "OPEN"
        assert client.submit_order(order(alice, "buy", 10, 1000))["status"] == "FILLED"


def test_self_trade_is_refused(exchange, bob):
    with exchange.client() as client:
        resting = client.submit_order(order(bob, "sell", 10, 1000))
        own = client.submit_order(order(bob, "buy", 10, 1000))
        assert own["status"] == "REJECTED" and own["code"] == "SELF_TRADE"
        assert client.get_order(resting["order_id"])["status"] == "OPEN"


def test_the_door_refuses_what_users_may_not_send(exchange, alice, bob):
    gateway = exchange.gateway()
    before = gateway.first_unused_tx_id()
    expiration = alice.signer.withdrawal(amount=1).expiration_timestamp
    good = order(alice, "buy", 10, 1000)
    cases = {
        "float amount": ({**good, "amount_collateral": 1000.5}, "MALFORMED_TRANSACTION"),
        "extra field": ({**good, "fee_position_id": 0}, "MALFORMED_TRANSACTION"),
        "key off the curve": ({**good, "public_key": "0x5"}, "INVALID_PUBLIC_KEY"),
        "signature of another order": ({**good, "amount_collateral": "2000"}, "INVALID_SIGNATURE"),
        "expired": (order(alice, "buy", 10, 1000, expiration=expiration - 24 * 7), "EXPIRED"),
        "zero amount": (order(alice, "buy", 0, 1000), "OUT_OF_RANGE_POSITIVE_AMOUNT"),
        "fee position": (to_starkex_json(exchange.user(0xFEE, 0, 6).signer.limit_order(
            synthetic_asset_id=BTC, is_buying_synthetic=True, amount_synthetic=1, amount_collateral=100, amount_fee=0)),
            "FEE_POSITION_IN_ORDER"),
    }
    with exchange.client() as client:
        for name, (body, code) in cases.items():
            with pytest.raises(RequestRefused) as refused:
                client.submit_order(body)
            assert refused.value.code == code, name
            assert refused.value.status == 400, name
        unknown = alice.signer.limit_order(synthetic_asset_id=0x4554482D39, is_buying_synthetic=True, amount_synthetic=1,
                                           amount_collateral=1, amount_fee=0)
        with pytest.raises(RequestRefused) as refused:
            client.submit_order(to_starkex_json(unknown))
        assert refused.value.code == "MISSING_SYNTHETIC_ASSET_ID"
        # What only the operator's L1 watcher, the price source or the matching engine may send.
        deposit = {"type": "DEPOSIT", "position_id": 11, "public_key": hex(alice.keys.public_key), "amount": "100"}
        trade = {"type": "TRADE", "party_a_order": good, "party_b_order": order(bob, "sell", 10, 1000),
                 "actual_collateral": "1000", "actual_synthetic": "10", "actual_a_fee": "0", "actual_b_fee": "0"}
        tick = {"type": "FUNDING_TICK", "global_funding_indices": {"indices": {hex(BTC): 5}, "timestamp": 1}}
        for body in (deposit, trade, tick, {"type": "FORCED_WITHDRAWAL"}, {}):
            with pytest.raises(NotAuthorized) as refused:
                client.submit_transaction(body)
            assert refused.value.code == "FORBIDDEN_TRANSACTION_TYPE"
        for body in ([], "x", 7):
            with pytest.raises(RequestRefused) as refused:
                client.submit_transaction(body)
            assert refused.value.code == "MALFORMED_REQUEST"
    assert gateway.first_unused_tx_id() == before  # nothing reached the gateway


def test_transfers_and_withdrawals_are_forwarded_once(exchange, alice, bob):
    transfer = to_starkex_json(alice.signer.transfer(receiver_public_key=bob.keys.public_key, receiver_position_id=12,
                                                     amount=400))
    with exchange.client() as client:
        tx_id = client.submit_transaction(transfer)
        assert client.submit_transaction(transfer) == tx_id  # a resend (a lost answer) is the same transaction
        with pytest.raises(RequestRefused) as refused:
            client.submit_transaction(to_starkex_json(bob.signer.withdrawal(amount=10**9)))
        assert refused.value.code.startswith("ILLEGAL_POSITION_TRANSITION")
        assert "holds 20400 collateral" in refused.value.message and "takes 1000000000" in refused.value.message
        withdrawal = client.submit_transaction(to_starkex_json(bob.signer.withdrawal(amount=250)))
        exchange.settle()
        assert client.get_transaction(withdrawal)["status"] == "ACCEPTED"
    assert exchange.l1.withdrawable(bob.keys.public_key, exchange.config.collateral_asset_id) == 250
    assert exchange.l1.withdraw(bob.account, bob.keys.public_key, exchange.config.collateral_asset_id) == 250


class LostAnswer(GatewayClient):
    """The gateway stores the transaction, and the answer never reaches the application."""

    def add_transaction(self, tx_id, tx):
        super().add_transaction(tx_id, tx)
        raise Unavailable("UNREACHABLE", "connection reset after the request was sent")


class NeverSent(GatewayClient):
    def add_transaction(self, tx_id, tx):
        raise Unavailable("UNREACHABLE", "connection refused")


@pytest.mark.parametrize("failure", [LostAnswer, NeverSent])
def test_a_crash_between_send_and_record_settles_each_match_once(exchange, alice, bob, tmp_path, failure):
    """The application dies (here: its gateway link fails) while a TRADE is on its way; a new
    application over the same store finds out whether the gateway stored it, and the match is
    settled exactly once either way."""
    token = exchange.operator.access.client(Role.APPLICATION).token
    store_path = tmp_path / "crashed.sqlite"
    broken = Application(failure(exchange.gateway_url, token), FeederGatewayClient(exchange.gateway_url),
                         ApplicationStore(store_path))
    maker = broken.submit_order(order(bob, "sell", 10, 1000))
    with pytest.raises(Unavailable):
        broken.submit_order(order(alice, "buy", 10, 1000))
    stored_before = exchange.gateway().first_unused_tx_id()
    restarted = Application(GatewayClient(exchange.gateway_url, token), FeederGatewayClient(exchange.gateway_url),
                            ApplicationStore(store_path))
    state = restarted.order_state(maker["order_id"])
    assert state["status"] == "FILLED" and len(state["fills"]) == 1
    trades = [t for t in range(exchange.gateway().first_unused_tx_id())
              if exchange.gateway().get_transaction(t)["tx"]["type"] == "TRADE"]
    assert len(trades) == 1
    assert exchange.gateway().first_unused_tx_id() == stored_before + (failure is NeverSent)
    exchange.settle()
    assert exchange.collateral(11) == 20_000 - 1000


def test_another_caller_taking_the_next_tx_id_is_retried(exchange, alice, bob):
    """The price source (or the L1 watcher) takes the tx_id the application read: the application
    sends again under the next one."""
    source = LocalPriceSource(exchange.gateway(Role.PRICE_SOURCE), LOCAL_MARKET, exchange.config.collateral_resolution,
                              exchange.operator.clock)
    raced = threading.Event()

    class Racing(GatewayClient):
        def first_unused_tx_id(self):
            tx_id = super().first_unused_tx_id()
            if not raced.is_set():
                raced.set()
                source.tick()  # takes tx_id and tx_id + 1
            return tx_id

    token = exchange.operator.access.client(Role.APPLICATION).token
    application = Application(Racing(exchange.gateway_url, token), FeederGatewayClient(exchange.gateway_url),
                              ApplicationStore(exchange.stack.settings.workdir / "racing.sqlite"))
    transfer = to_starkex_json(alice.signer.transfer(receiver_public_key=bob.keys.public_key, receiver_position_id=12,
                                                     amount=5))
    tx_id = application.submit_transaction(transfer)
    assert raced.is_set()
    assert exchange.gateway().get_transaction(tx_id)["tx"]["type"] == "TRANSFER"
    assert exchange.gateway().get_transaction(tx_id - 1)["tx"]["type"] == "FUNDING_TICK"


def test_one_position_cannot_flood_the_book(exchange, bob):
    from offchain.application.service import MAX_OPEN_ORDERS_PER_POSITION, ApplicationRefusal

    for nonce in range(MAX_OPEN_ORDERS_PER_POSITION):
        assert exchange.application.submit_order(order(bob, "sell", 1, 1000, nonce=nonce))["status"] == "OPEN"
    with pytest.raises(ApplicationRefusal) as refused:
        exchange.application.submit_order(order(bob, "sell", 1, 1000, nonce=MAX_OPEN_ORDERS_PER_POSITION))
    assert refused.value.code == "TOO_MANY_OPEN_ORDERS"
    assert len(exchange.application.book(BTC)["asks"]) == MAX_OPEN_ORDERS_PER_POSITION
