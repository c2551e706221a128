"""An order book per market: signed StarkEx limit orders matched by price, then time.

Pure bookkeeping, no I/O: `OrderBook.next_match` names the best crossing pair and the amounts
of the TRADE that settles it; the application sends that TRADE to the gateway and reports back
with `fill` or `remove`.

A limit order's price is amount_collateral / amount_synthetic (exact fractions): a buyer pays
at most that per synthetic unit, a seller takes at least that. Two orders cross when the best
bid's price is at least the best ask's; the earlier order (the maker) sets the price. The TRADE
for `quantity` synthetic units moves collateral = floor(quantity * maker's price), which meets
both limits as the model checks them (offchain.perpetual.execute.check_order_fairness: the
buyer pays at most its price rounded up by one unit, the seller gets at least its price rounded
down by one unit), and charges each party floor(its amount_fee * collateral / its
amount_collateral): the largest fee within the ratio it signed.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from fractions import Fraction

from offchain.perpetual.transactions import Order, Trade


def price(order: Order) -> Fraction:
    return Fraction(order.amount_collateral, order.amount_synthetic)


@dataclass
class BookOrder:
    """An order in the book: remaining is in synthetic units; seq orders arrivals."""
    order_id: str
    order: Order
    seq: int
    remaining: int

    @property
    def is_buy(self) -> bool:
        return bool(self.order.is_buying_synthetic)

    def sort_key(self) -> tuple:
        return (-price(self.order) if self.is_buy else price(self.order), self.seq)


@dataclass(frozen=True)
class Match:
    """The best crossing pair and the TRADE that settles `quantity` of it (party A the maker)."""
    maker: BookOrder
    taker: BookOrder
    quantity: int
    collateral: int
    maker_fee: int
    taker_fee: int

    @property
    def self_trade(self) -> bool:
        return self.maker.order.position_id == self.taker.order.position_id

    def trade(self) -> Trade:
        return Trade(party_a_order=self.maker.order, party_b_order=self.taker.order,
                     actual_collateral=self.collateral, actual_synthetic=self.quantity,
                     actual_a_fee=self.maker_fee, actual_b_fee=self.taker_fee)


def _fee(order: Order, collateral: int) -> int:
    return order.amount_fee * collateral // order.amount_collateral


@dataclass
class OrderBook:
    """One market (one synthetic asset): bids best first, asks best first."""
    synthetic_asset_id: int
    bids: list[BookOrder] = field(default_factory=list)
    asks: list[BookOrder] = field(default_factory=list)

    def _side(self, entry: BookOrder) -> list[BookOrder]:
        return self.bids if entry.is_buy else self.asks

    def add(self, entry: BookOrder) -> None:
        if entry.order.asset_id_synthetic != self.synthetic_asset_id:
            raise ValueError("the order is for another market")
        bisect.insort(self._side(entry), entry, key=BookOrder.sort_key)

    def remove(self, entry: BookOrder) -> None:
        side = self._side(entry)
        if entry in side:
            side.remove(entry)

    def fill(self, match: Match) -> None:
        """The match's TRADE was acknowledged: both orders give up `quantity`."""
        for entry in (match.maker, match.taker):
            entry.remaining -= match.quantity
            if entry.remaining == 0:
                self.remove(entry)

    def next_match(self) -> Match | None:
        if not self.bids or not self.asks:
            return None
        bid, ask = self.bids[0], self.asks[0]
        if price(bid.order) < price(ask.order):
            return None
        maker, taker = (bid, ask) if bid.seq < ask.seq else (ask, bid)
        quantity = min(bid.remaining, ask.remaining)
        collateral = quantity * maker.order.amount_collateral // maker.order.amount_synthetic
        return Match(maker, taker, quantity, collateral, _fee(maker.order, collateral), _fee(taker.order, collateral))

    def levels(self) -> dict:
        """The book for display: each order's price (collateral per synthetic unit) and what is left."""
        def rows(side):
            return [{"order_id": e.order_id, "price": f"{float(price(e.order)):.10g}",
                     "remaining": str(e.remaining), "position_id": e.order.position_id} for e in side]
        return {"synthetic_asset_id": hex(self.synthetic_asset_id), "bids": rows(self.bids), "asks": rows(self.asks)}
