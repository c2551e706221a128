"""The reference application: what users talk to, and the only holder of the gateway's
`application` credentials (StarkEx's flow, shared/seeds/starkex-overview.txt: users send signed
transfers and limit orders to the application; "limit orders are matched together and sent as
a settlement"; transfers and withdrawals are sent as they are).

- A limit order is checked (form, signature, market, amounts, expiration), put in its market's
  book (offchain.application.book) and matched; each match becomes a TRADE sent to the gateway.
  If the gateway refuses a TRADE and names the order at fault (its position_id), that order
  leaves the book with the gateway's reason and matching goes on; otherwise the newer order
  of the two leaves. So an order that can no longer be filled (its owner spent the collateral,
  it expired) cannot block the orders behind it.
- A signed transfer, conditional transfer or withdrawal is forwarded as it is; the answer is
  the gateway's (its tx_id, or its refusal with the rule's code and the numbers).

Every send goes through the outbox (offchain.application.store) under the first unused tx_id,
retried when another caller (the price source, the L1 watcher) took that id first; a restart
resolves what a crash left unsent or unanswered before taking new requests.
"""
from __future__ import annotations

import hashlib
import json
import logging
import threading
import time

from pydantic import ValidationError

from offchain.application.book import BookOrder, OrderBook
from offchain.application.store import ApplicationStore
from offchain.perpetual.expiration import ADMISSION_MARGIN_HOURS, SECONDS_PER_HOUR
from offchain.client.api import Conflict, FeederGatewayClient, GatewayClient, NotFound, RequestRefused, Unavailable
from offchain.crypto import messages
from offchain.crypto.signature import verify
from offchain.perpetual.feeder import ExchangeConfig
from offchain.perpetual.schemas import InvalidInput, OrderModel, canonical_tx, describe
from offchain.perpetual.constants import AMOUNT_UPPER_BOUND, NONCE_UPPER_BOUND
from offchain.perpetual.errors import Reason
from offchain.perpetual.transactions import Order

log = logging.getLogger("offchain.application")
FORWARDED_TYPES = ("TRANSFER", "CONDITIONAL_TRANSFER", "WITHDRAWAL", "WITHDRAWAL_TO_ADDRESS")
MAX_OPEN_ORDERS_PER_POSITION = 100
SEND_ATTEMPTS = 8  # tx_id races lost in a row before the application gives up on one request


class ApplicationRefusal(Exception):
    """A request the application refuses: status, the rule's code, a message with the numbers."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def order_hash(order: Order) -> int:
    """The limit order's message hash (offchain.crypto.messages: the one definition)."""
    return messages.limit_order_hash(
        asset_id_synthetic=order.asset_id_synthetic, asset_id_collateral=order.asset_id_collateral,
        amount_synthetic=order.amount_synthetic, amount_collateral=order.amount_collateral,
        amount_fee=order.amount_fee, is_buying_synthetic=order.is_buying_synthetic, position_id=order.position_id,
        nonce=order.nonce, expiration_timestamp=order.expiration_timestamp)


def _refuse(reason: Reason | str, message: str, status: int = 400) -> ApplicationRefusal:
    return ApplicationRefusal(status, reason.name if isinstance(reason, Reason) else reason, message)


class Application:
    def __init__(self, gateway: GatewayClient, feeder: FeederGatewayClient, store: ApplicationStore,
                 clock=time.time):
        self.gateway = gateway
        self.feeder = feeder
        self.store = store
        self.clock = clock
        self.config: ExchangeConfig = feeder.get_config()
        self.lock = threading.RLock()
        self.books = {a.asset_id: OrderBook(a.asset_id) for a in self.config.synthetic_assets}
        self.entries: dict[str, BookOrder] = {}
        for row in store.open_orders():
            self._rest(row.order_id, Order.from_json(row.body), row.seq, row.remaining)
        self.recover()

    # --- sending ----------------------------------------------------------------------------

    def _find_sent(self, body: dict, from_tx_id: int) -> int | None:
        """The tx_id under which the gateway stored body, searching from from_tx_id on."""
        for tx_id in range(from_tx_id, self.gateway.first_unused_tx_id()):
            try:
                stored = self.gateway.get_transaction(tx_id)
            except NotFound:
                continue
            if stored.get("tx") == body:
                return tx_id
        return None

    def _send(self, key: str, body: dict) -> int:
        """Sends body (canonical) once under the first unused tx_id; returns its tx_id. Raises
        the gateway's refusal (ServiceError) when it refused: then nothing was stored."""
        row = self.store.outbox_get(key)
        if row is not None:
            if row.tx_id is not None:
                return row.tx_id
            found = self._find_sent(body, row.from_tx_id)
            if found is not None:
                return found
        for _ in range(SEND_ATTEMPTS):
            tx_id = self.gateway.first_unused_tx_id()
            self.store.outbox_put(key, body, tx_id)
            try:
                self.gateway.add_transaction(tx_id, body)
                return tx_id
            except Conflict:
                continue  # another caller took this tx_id
            except RequestRefused as refused:
                if refused.code == "INVALID_TRANSACTION_ID":
                    continue  # another caller took this tx_id between our two calls
                self.store.outbox_drop(key)
                raise
            except Unavailable as unavailable:
                if unavailable.status == 503:
                    self.store.outbox_drop(key)  # a full queue refused it: nothing stored
                raise  # unreachable: maybe stored; the outbox entry resolves it later
        raise Unavailable("TX_ID_CONTENDED", f"the gateway's next tx_id was taken by another caller {SEND_ATTEMPTS} times in a row")

    def recover(self) -> None:
        """What a crash left in the outbox: each entry was stored by the gateway or not. Stored
        trades fill their orders; unstored ones are dropped, their orders still in the book and
        matched again; then every book is matched."""
        with self.lock:
            for row in self.store.outbox_unsent():
                found = self._find_sent(row.body, row.from_tx_id)
                if found is None:
                    self.store.outbox_drop(row.key)
                    continue
                if row.key.startswith("trade:"):
                    self._record_trade(row.key, found, row.body)
                else:
                    self.store.sent(row.key, found)
            for book in self.books.values():
                self._match(book)

    # --- orders -----------------------------------------------------------------------------

    def _check_order(self, order: Order, message_hash: int) -> None:
        config = self.config
        if order.asset_id_collateral != config.collateral_asset_id:
            raise _refuse(Reason.INVALID_COLLATERAL_ASSET_ID,
                          f"the collateral asset id is {config.collateral_asset_id:#x}, the order has {order.asset_id_collateral:#x}")
        if order.asset_id_synthetic not in self.books:
            raise _refuse(Reason.MISSING_SYNTHETIC_ASSET_ID,
                          f"no market for {order.asset_id_synthetic:#x}; markets: {', '.join(hex(a) for a in self.books)}")
        for name in ("amount_synthetic", "amount_collateral"):
            if not 0 < getattr(order, name) < AMOUNT_UPPER_BOUND:
                raise _refuse(Reason.OUT_OF_RANGE_POSITIVE_AMOUNT, f"{name} {getattr(order, name)} outside [1, 2^64)")
        if not 0 <= order.amount_fee < AMOUNT_UPPER_BOUND:
            raise _refuse(Reason.OUT_OF_RANGE_AMOUNT, f"amount_fee {order.amount_fee} outside [0, 2^64)")
        if not 0 <= order.nonce < NONCE_UPPER_BOUND:
            raise _refuse(Reason.OUT_OF_RANGE_NONCE, f"nonce {order.nonce} outside [0, 2^32)")
        if not 0 <= order.position_id < 2**config.positions_tree_height:
            raise _refuse(Reason.OUT_OF_RANGE_POSITION_ID, f"position id {order.position_id} outside [0, 2^{config.positions_tree_height})")
        if order.position_id == config.fee_position_id:
            raise _refuse(Reason.FEE_POSITION_IN_ORDER, f"position {order.position_id} is the exchange's fee position")
        earliest = int(self.clock()) // SECONDS_PER_HOUR + ADMISSION_MARGIN_HOURS
        if order.expiration_timestamp < earliest:
            raise _refuse(Reason.EXPIRED, f"expires at hour {order.expiration_timestamp}; an order must live until hour "
                                          f"{earliest} or later to be settled")
        if not verify(order.public_key, message_hash, order.signature):
            raise _refuse(Reason.INVALID_SIGNATURE, "the signature is not the public key's over this order's message hash")
        if self.store.open_orders_of(order.position_id) >= MAX_OPEN_ORDERS_PER_POSITION:
            raise _refuse("TOO_MANY_OPEN_ORDERS", f"position {order.position_id} has {MAX_OPEN_ORDERS_PER_POSITION} open orders")

    def submit_order(self, body: object) -> dict:
        """A signed limit order in StarkEx's JSON: checked, booked, matched; its state after."""
        try:
            order = Order.from_json(OrderModel.model_validate(body).model_dump())
        except ValidationError as invalid:
            described = describe(invalid)
            raise _refuse(described.code, described.message) from None
        message_hash = order_hash(order)
        order_id = hex(message_hash)
        with self.lock:
            if self.store.get_order(order_id) is None:
                self._check_order(order, message_hash)
                seq = self.store.next_seq()
                self.store.add_order(order_id, seq, order.to_json(), order.amount_synthetic)
                self._rest(order_id, order, seq, order.amount_synthetic)
            # Also for a resent order: a match left unsent by an unreachable gateway goes now.
            self._match(self.books[order.asset_id_synthetic])
            return self.order_state(order_id)

    def _rest(self, order_id: str, order: Order, seq: int, remaining: int) -> None:
        entry = BookOrder(order_id, order, seq, remaining)
        self.entries[order_id] = entry
        self.books[order.asset_id_synthetic].add(entry)

    def _leave(self, book: OrderBook, entry: BookOrder, status: str, code: str | None = None,
               message: str | None = None) -> None:
        book.remove(entry)
        self.entries.pop(entry.order_id, None)
        self.store.close_order(entry.order_id, status, code, message)
        log.info("order %s %s: %s %s", entry.order_id, status, code or "", message or "",
                 extra={"order_id": entry.order_id, "status": status, "code": code})

    def _expire_stale(self, book: OrderBook) -> None:
        earliest = int(self.clock()) // SECONDS_PER_HOUR + ADMISSION_MARGIN_HOURS
        for entry in [*book.bids, *book.asks]:
            if entry.order.expiration_timestamp < earliest:
                self._leave(book, entry, "EXPIRED", Reason.EXPIRED.name,
                            f"expires at hour {entry.order.expiration_timestamp}, before hour {earliest}")

    def _match(self, book: OrderBook) -> None:
        """Settles every crossing pair of the book, best price first, earlier order first."""
        self._expire_stale(book)
        while (match := book.next_match()) is not None:
            if match.self_trade:
                self._leave(book, match.taker, "REJECTED", "SELF_TRADE",
                            f"it would trade against order {match.maker.order_id} of the same position "
                            f"{match.maker.order.position_id}")
                continue
            trade = match.trade().to_json()
            key = f"trade:{match.maker.order_id}:{match.taker.order_id}:{match.maker.remaining}:{match.taker.remaining}"
            try:
                tx_id = self._send(key, canonical_tx(trade))
            except RequestRefused as refused:
                at_fault = refused.details.get("position_id")
                loser = match.maker if at_fault == match.maker.order.position_id else match.taker
                self._leave(book, loser, "REJECTED", refused.code, refused.message)
                continue
            self._record_trade(key, tx_id, canonical_tx(trade))

    def _record_trade(self, key: str, tx_id: int, trade: dict) -> None:
        """The gateway acknowledged the TRADE under tx_id: both orders give up its quantity."""
        a, b = trade["party_a_order"], trade["party_b_order"]
        quantity = int(trade["actual_synthetic"])
        fills = []
        for order_json, fee in ((a, trade["actual_a_fee"]), (b, trade["actual_b_fee"])):
            order_id = hex(order_hash(Order.from_json(order_json)))
            entry = self.entries.get(order_id)
            if entry is not None:
                book = self.books[entry.order.asset_id_synthetic]
                entry.remaining -= quantity
                if entry.remaining == 0:
                    book.remove(entry)
                    self.entries.pop(order_id)
                remaining = entry.remaining
            else:
                stored = self.store.get_order(order_id)
                remaining = 0 if stored is None else stored.remaining - quantity
            fills.append((order_id, quantity, int(trade["actual_collateral"]), int(fee), remaining))
        self.store.trade_sent(key, tx_id, fills)
        log.info("trade tx %d: %d synthetic for %s collateral", tx_id, quantity, trade["actual_collateral"],
                 extra={"tx_id": tx_id})

    def order_state(self, order_id: str) -> dict:
        row = self.store.get_order(order_id)
        if row is None:
            raise _refuse("ORDER_NOT_FOUND", f"no order {order_id}", 404)
        state = {"order_id": order_id, "status": row.status, "remaining": str(row.remaining),
                 "amount_synthetic": str(row.body["amount_synthetic"]), "fills": self.store.fills_of(order_id)}
        if row.code is not None:
            state.update(code=row.code, message=row.message)
        return state

    def book(self, synthetic_asset_id: int) -> dict:
        with self.lock:
            book = self.books.get(synthetic_asset_id)
            if book is None:
                raise _refuse("MARKET_NOT_FOUND", f"no market for {synthetic_asset_id:#x}", 404)
            return book.levels()

    # --- transfers and withdrawals ----------------------------------------------------------

    def submit_transaction(self, body: object) -> int:
        """A user-signed TRANSFER, CONDITIONAL_TRANSFER, WITHDRAWAL or WITHDRAWAL_TO_ADDRESS, forwarded as it is."""
        kind = body.get("type") if isinstance(body, dict) else None
        if kind not in FORWARDED_TYPES:
            raise _refuse("FORBIDDEN_TRANSACTION_TYPE",
                          f"users send {', '.join(FORWARDED_TYPES)} here and limit orders to /orders; got {kind!r}", 403)
        try:
            canonical = canonical_tx(body)
        except InvalidInput as invalid:
            raise _refuse(invalid.code, invalid.message) from None
        key = "tx:" + hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()
        with self.lock:
            tx_id = self._send(key, canonical)
            self.store.sent(key, tx_id)
            return tx_id

    def transaction_status(self, tx_id: int) -> dict:
        answer = self.gateway.get_transaction(tx_id)
        return {k: v for k, v in answer.items() if k != "tx"} | {"type": (answer.get("tx") or {}).get("type")}
