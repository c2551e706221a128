"""The order book's matching, with the reference model as the judge: every TRADE it builds from
two crossing orders meets both orders' signed limits and fee ratios as the model checks them,
at the maker's price, best price first and earlier order first."""

from hypothesis import given, settings, strategies as st

from offchain.application.book import BookOrder, OrderBook, price
from offchain.client.requests import to_starkex_json
from offchain.perpetual.schemas import canonical_tx
from offchain.perpetual import signing
from offchain.perpetual.execute import check_order_fairness

BTC = 0x4254432D3130000000000000000000
COLLATERAL = 0x1
amounts = st.integers(min_value=1, max_value=2**40)


def limit(key: int, buying: bool, synthetic: int, collateral: int, fee: int, position: int):
    return signing.limit_order(key, position_id=position, asset_id_synthetic=BTC, asset_id_collateral=COLLATERAL,
                               is_buying_synthetic=buying, amount_synthetic=synthetic, amount_collateral=collateral,
                               amount_fee=fee, nonce=1, expiration_timestamp=600_000)


@settings(max_examples=60, deadline=None)
@given(bid=st.tuples(amounts, amounts, st.integers(0, 2**30)), ask=st.tuples(amounts, amounts, st.integers(0, 2**30)),
       bid_first=st.booleans())
def test_every_match_meets_both_orders_as_the_model_checks_them(bid, ask, bid_first):
    buy = limit(0xB1, True, bid[0], bid[1], bid[2], 1)
    sell = limit(0x5E, False, ask[0], ask[1], ask[2], 2)
    book = OrderBook(BTC)
    entries = [BookOrder("bid", buy, 0 if bid_first else 1, buy.amount_synthetic),
               BookOrder("ask", sell, 1 if bid_first else 0, sell.amount_synthetic)]
    for entry in entries:
        book.add(entry)
    match = book.next_match()
    if price(buy) < price(sell):
        assert match is None
        return
    assert match.maker is entries[0 if bid_first else 1]
    assert match.quantity == min(buy.amount_synthetic, sell.amount_synthetic)
    assert match.collateral == match.quantity * match.maker.order.amount_collateral // match.maker.order.amount_synthetic
    for order, fee in ((match.maker.order, match.maker_fee), (match.taker.order, match.taker_fee)):
        check_order_fairness(order, match.collateral, match.quantity, fee)  # raises TransactionRejected if not
    trade = match.trade()
    assert (trade.party_a_order, trade.party_b_order) == (match.maker.order, match.taker.order)
    book.fill(match)
    assert book.next_match() is None  # one side is used up


def test_best_price_then_earliest_first():
    book = OrderBook(BTC)
    asks = [BookOrder("a100", limit(1, False, 5, 500, 0, 1), 0, 5), BookOrder("a98", limit(2, False, 5, 490, 0, 2), 1, 5),
            BookOrder("a98-later", limit(3, False, 5, 490, 0, 3), 2, 5)]
    for entry in asks:
        book.add(entry)
    assert [e.order_id for e in book.asks] == ["a98", "a98-later", "a100"]
    book.add(BookOrder("bid", limit(4, True, 12, 1200, 0, 4), 3, 12))
    fills = []
    while (match := book.next_match()) is not None:
        fills.append((match.maker.order_id, match.quantity, match.collateral))
        book.fill(match)
    assert fills == [("a98", 5, 490), ("a98-later", 5, 490), ("a100", 2, 200)]
    assert [(e.order_id, e.remaining) for e in book.asks] == [("a100", 3)] and book.bids == []
    assert book.levels()["asks"][0]["price"] == "100"  # collateral per synthetic unit


def test_client_json_is_what_the_gateway_stores():
    """StarkEx's JSON forms (hex keys and ids, decimal amounts) read back to the model's form."""
    transfer = signing.transfer(0xA11CE, asset_id=COLLATERAL, sender_position_id=1, receiver_position_id=2,
                                receiver_public_key=signing.private_to_public_key(0xB0B), amount=7, nonce=3,
                                expiration_timestamp=600_000)
    body = to_starkex_json(transfer)
    assert body["sender_public_key"].startswith("0x") and body["amount"] == "7" and body["nonce"] == 3
    assert body["signature"]["r"].startswith("0x")
    assert canonical_tx(body) == transfer.to_json()
    order = limit(0xA11CE, True, 10, 1000, 5, 1)
    assert to_starkex_json(order)["is_buying_synthetic"] is True
