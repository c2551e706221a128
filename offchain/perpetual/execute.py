"""Validation and application of each transaction type, mirroring StarkEx Perpetual.

`apply_transaction` either applies a transaction whole and returns what it adds to the program
output, or raises TransactionRejected and leaves the state untouched: every transaction works
on a scratch overlay that is committed only at the end.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from offchain.crypto import messages
from offchain.crypto.signature import Signature, verify
from offchain.perpetual.constants import (
    AMOUNT_UPPER_BOUND, ASSET_ID_UPPER_BOUND, EXPIRATION_TIMESTAMP_UPPER_BOUND,
    EXTERNAL_PRICE_FIXED_POINT_UNIT, EXTERNAL_PRICE_UPPER_BOUND, FUNDING_INDEX_LOWER_BOUND,
    FUNDING_INDEX_UPPER_BOUND, FXP_32_ONE, NONCE_UPPER_BOUND, PRICE_LOWER_BOUND,
    PRICE_UPPER_BOUND, SECONDS_PER_HOUR, TIMESTAMP_UPPER_BOUND)
from offchain.perpetual.errors import Reason, TransactionRejected, require
from offchain.perpetual.position import Position
from offchain.perpetual.rules import Market, apply_funding, status, update_position
from offchain.perpetual.state import PerpetualState
from offchain.perpetual.transactions import (
    ConditionalTransfer, Deleverage, Deposit, ForcedTrade, ForcedWithdrawal, FundingTick,
    Liquidate, OraclePricesTick, Order, Trade, Transaction, Transfer, Withdrawal)

FORCED_WITHDRAWAL_ACTION = 0
FORCED_TRADE_ACTION = 1


@dataclass
class TxOutput:
    """What one transaction adds to the program output."""
    modifications: list[tuple[int, int, int]] = field(default_factory=list)  # key, position, delta
    forced_actions: list[list[int]] = field(default_factory=list)            # each starts with type
    conditions: list[int] = field(default_factory=list)
    touched_positions: set[int] = field(default_factory=set)


class Scratch:
    """Writes of one transaction, visible to its later reads, committed only on success."""

    def __init__(self, state: PerpetualState):
        self.state = state
        self.positions: dict[int, Position] = {}
        self.orders: dict[int, int] = {}
        self.market = Market(state.config, state.funding_indices, state.oracle_prices)

    def position(self, position_id: int) -> Position:
        require(0 <= position_id < 2**self.state.config.positions_tree_height,
                Reason.OUT_OF_RANGE_POSITION_ID, f"position id {position_id}")
        if position_id in self.positions:
            return self.positions[position_id]
        stored = self.state.position(position_id)
        stored.check_stored_bounds()
        return stored

    def put(self, position_id: int, position: Position) -> None:
        self.positions[position_id] = position

    def update(self, position_id: int, request_public_key: int | None, collateral_delta: int,
               synthetic_asset_id: int | None = None, synthetic_delta: int = 0) -> Position:
        updated, _ = update_position(self.position(position_id), request_public_key,
                                     collateral_delta, self.market, synthetic_asset_id,
                                     synthetic_delta)
        self.put(position_id, updated)
        return updated

    def filled(self, order_id: int) -> int:
        return self.orders.get(order_id, self.state.filled(order_id))

    def commit(self, out: TxOutput) -> None:
        for position_id, position in self.positions.items():
            self.state.set_position(position_id, position)
            out.touched_positions.add(position_id)
        for order_id, amount in self.orders.items():
            self.state.set_filled(order_id, amount)


def check_amount(amount: int, what: str = "amount", positive: bool = False) -> None:
    low = 1 if positive else 0
    require(low <= amount < AMOUNT_UPPER_BOUND,
            Reason.OUT_OF_RANGE_POSITIVE_AMOUNT if positive else Reason.OUT_OF_RANGE_AMOUNT,
            f"{what} {amount} outside [{low}, 2^64)")


def validate_signed_request(
    scratch: Scratch, message_hash: int, public_key: int, signature: Signature, nonce: int,
    expiration_timestamp: int, min_expiration_timestamp: int, update_amount: int,
    full_amount: int,
) -> None:
    """Signature, expiry, nonce, and the orders tree: no order is filled beyond its amount."""
    require(verify(public_key, message_hash, signature), Reason.INVALID_SIGNATURE,
            "signature does not match the request and its public key")
    require(min_expiration_timestamp <= expiration_timestamp < EXPIRATION_TIMESTAMP_UPPER_BOUND,
            Reason.EXPIRED, f"expires at hour {expiration_timestamp}, batch needs "
            f">= {min_expiration_timestamp}")
    require(expiration_timestamp * SECONDS_PER_HOUR > scratch.state.system_time,
            Reason.EXPIRED, "expired before the system time")
    require(0 <= nonce < NONCE_UPPER_BOUND, Reason.OUT_OF_RANGE_NONCE, f"nonce {nonce}")
    order_id = messages.order_id(message_hash)
    require(order_id < 2**scratch.state.config.orders_tree_height, Reason.INVALID_FULFILLMENT_INFO)
    filled = scratch.filled(order_id)
    require(0 <= update_amount <= full_amount - filled, Reason.INVALID_FULFILLMENT_INFO,
            f"filling {update_amount} more of {full_amount} with {filled} already filled")
    check_amount(full_amount, "order amount")
    scratch.orders[order_id] = filled + update_amount


# --- DEPOSIT, WITHDRAWAL ---

def execute_deposit(s: Scratch, tx: Deposit, out: TxOutput, _min_exp: int) -> None:
    check_amount(tx.amount)
    s.update(tx.position_id, tx.public_key, tx.amount)
    out.modifications.append((tx.public_key, tx.position_id, tx.amount))


def execute_withdrawal(s: Scratch, tx: Withdrawal, out: TxOutput, min_exp: int) -> None:
    check_amount(tx.amount)
    s.position(tx.position_id)  # position id in range before it is hashed
    require(0 <= tx.nonce < NONCE_UPPER_BOUND, Reason.OUT_OF_RANGE_NONCE, f"nonce {tx.nonce}")
    require(0 <= tx.expiration_timestamp < EXPIRATION_TIMESTAMP_UPPER_BOUND, Reason.EXPIRED)
    msg = messages.withdrawal_hash(
        asset_id_collateral=s.state.config.collateral_asset_id, position_id=tx.position_id,
        nonce=tx.nonce, amount=tx.amount, expiration_timestamp=tx.expiration_timestamp)
    validate_signed_request(s, msg, tx.public_key, tx.signature, tx.nonce,
                            tx.expiration_timestamp, min_exp, tx.amount, tx.amount)
    s.update(tx.position_id, tx.public_key, -tx.amount)
    out.modifications.append((tx.public_key, tx.position_id, -tx.amount))


# --- TRANSFER, CONDITIONAL_TRANSFER ---

def _transfer(s: Scratch, tx: Transfer | ConditionalTransfer, min_exp: int, condition: int):
    require(tx.sender_position_id != tx.receiver_position_id, Reason.SAME_POSITION_ID)
    check_amount(tx.amount)
    require(tx.asset_id == s.state.config.collateral_asset_id, Reason.INVALID_COLLATERAL_ASSET_ID,
            "only the collateral asset can be transferred")
    s.position(tx.sender_position_id)
    s.position(tx.receiver_position_id)  # position ids in range before they are hashed
    require(0 <= tx.nonce < NONCE_UPPER_BOUND, Reason.OUT_OF_RANGE_NONCE, f"nonce {tx.nonce}")
    require(0 <= tx.expiration_timestamp < EXPIRATION_TIMESTAMP_UPPER_BOUND, Reason.EXPIRED)
    msg = messages.transfer_hash(
        asset_id=tx.asset_id, receiver_public_key=tx.receiver_public_key,
        sender_position_id=tx.sender_position_id, receiver_position_id=tx.receiver_position_id,
        amount=tx.amount, nonce=tx.nonce, expiration_timestamp=tx.expiration_timestamp,
        condition=condition)
    validate_signed_request(s, msg, tx.sender_public_key, tx.signature, tx.nonce,
                            tx.expiration_timestamp, min_exp, tx.amount, tx.amount)
    s.update(tx.sender_position_id, tx.sender_public_key, -tx.amount)
    s.update(tx.receiver_position_id, tx.receiver_public_key, tx.amount)


def execute_transfer(s: Scratch, tx: Transfer, out: TxOutput, min_exp: int) -> None:
    _transfer(s, tx, min_exp, condition=0)


def execute_conditional_transfer(s: Scratch, tx: ConditionalTransfer, out: TxOutput,
                                 min_exp: int) -> None:
    require(0 <= tx.fact_registry_address < 2**160 and 0 <= tx.fact < 2**256,
            Reason.INVALID_CONDITION, "registry must be an address and fact 32 bytes")
    condition = messages.fact_to_condition(tx.fact_registry_address.to_bytes(20, "big"),
                                           tx.fact.to_bytes(32, "big"))
    require(condition != 0, Reason.INVALID_CONDITION, "condition is 0")
    _transfer(s, tx, min_exp, condition=condition)
    out.conditions.append(condition)


# --- TRADE, LIQUIDATE ---

def check_order_fairness(order: Order, actual_collateral: int, actual_synthetic: int,
                         actual_fee: int) -> None:
    """The party pays no more fee per collateral, and gets no worse a price, than it signed
    (the price may round actual_collateral by one unit either way)."""
    require(actual_fee * order.amount_collateral <= order.amount_fee * actual_collateral,
            Reason.INVALID_FULFILLMENT_FEE_RATIO, "fee above the signed fee ratio")
    if order.is_buying_synthetic:
        if actual_collateral == 0:
            return
        require((actual_collateral - 1) * order.amount_synthetic
                < order.amount_collateral * actual_synthetic,
                Reason.INVALID_FULFILLMENT_ASSETS_RATIO, "buyer pays above its limit price")
    else:
        require(actual_synthetic * order.amount_collateral
                < order.amount_synthetic * (actual_collateral + 1),
                Reason.INVALID_FULFILLMENT_ASSETS_RATIO, "seller gets below its limit price")


def execute_limit_order(s: Scratch, order: Order, actual_collateral: int, actual_synthetic: int,
                        actual_fee: int, min_exp: int) -> None:
    config = s.state.config
    require(order.position_id != config.fee_position_id, Reason.FEE_POSITION_IN_ORDER)
    require(order.asset_id_collateral == config.collateral_asset_id,
            Reason.INVALID_COLLATERAL_ASSET_ID)
    require(config.synthetic(order.asset_id_synthetic) is not None,
            Reason.MISSING_SYNTHETIC_ASSET_ID, f"asset {order.asset_id_synthetic}")
    check_amount(order.amount_collateral, "order collateral", positive=True)
    check_amount(order.amount_fee, "order fee")
    check_amount(order.amount_synthetic, "order synthetic")
    check_amount(actual_synthetic, "actual synthetic", positive=True)
    check_amount(actual_collateral, "actual collateral")
    check_amount(actual_fee, "actual fee")
    s.position(order.position_id)
    require(0 <= order.nonce < NONCE_UPPER_BOUND, Reason.OUT_OF_RANGE_NONCE)
    require(0 <= order.expiration_timestamp < EXPIRATION_TIMESTAMP_UPPER_BOUND, Reason.EXPIRED)
    check_order_fairness(order, actual_collateral, actual_synthetic, actual_fee)
    msg = messages.limit_order_hash(
        asset_id_synthetic=order.asset_id_synthetic,
        asset_id_collateral=order.asset_id_collateral,
        amount_synthetic=order.amount_synthetic, amount_collateral=order.amount_collateral,
        amount_fee=order.amount_fee, is_buying_synthetic=order.is_buying_synthetic,
        position_id=order.position_id, nonce=order.nonce,
        expiration_timestamp=order.expiration_timestamp)
    validate_signed_request(s, msg, order.public_key, order.signature, order.nonce,
                            order.expiration_timestamp, min_exp, actual_synthetic,
                            order.amount_synthetic)
    if order.is_buying_synthetic:
        collateral_delta, synthetic_delta = -actual_collateral - actual_fee, actual_synthetic
    else:
        collateral_delta, synthetic_delta = actual_collateral - actual_fee, -actual_synthetic
    s.update(config.fee_position_id, config.fee_public_key, actual_fee)
    s.update(order.position_id, order.public_key, collateral_delta,
             order.asset_id_synthetic, synthetic_delta)


def execute_trade(s: Scratch, tx: Trade, out: TxOutput, min_exp: int) -> None:
    a, b = tx.party_a_order, tx.party_b_order
    require(a.position_id != b.position_id, Reason.SAME_POSITION_ID)
    require(a.is_buying_synthetic != b.is_buying_synthetic, Reason.MISMATCHING_ORDERS,
            "both orders are on the same side")
    require(a.asset_id_synthetic == b.asset_id_synthetic
            and a.asset_id_collateral == b.asset_id_collateral, Reason.MISMATCHING_ORDERS,
            "orders trade different assets")
    execute_limit_order(s, a, tx.actual_collateral, tx.actual_synthetic, tx.actual_a_fee,
                        min_exp)
    execute_limit_order(s, b, tx.actual_collateral, tx.actual_synthetic, tx.actual_b_fee,
                        min_exp)


def execute_liquidate(s: Scratch, tx: Liquidate, out: TxOutput, min_exp: int) -> None:
    order = tx.liquidator_order
    check_amount(tx.actual_collateral, "actual collateral")
    check_amount(tx.actual_liquidator_fee, "liquidator fee")
    require(order.position_id != tx.liquidated_position_id, Reason.SAME_POSITION_ID)
    require(s.state.config.synthetic(order.asset_id_synthetic) is not None,
            Reason.MISSING_SYNTHETIC_ASSET_ID)
    liquidated = apply_funding(s.position(tx.liquidated_position_id), s.market.funding_indices)
    tv, tr = status(liquidated, s.market)
    require(tv * FXP_32_ONE < tr, Reason.UNLIQUIDATABLE_POSITION,
            "the liquidated position is well leveraged")
    # The liquidated side takes the opposite of the liquidator's order.
    if order.is_buying_synthetic:
        collateral_delta, synthetic_delta = tx.actual_collateral, -tx.actual_synthetic
    else:
        collateral_delta, synthetic_delta = -tx.actual_collateral, tx.actual_synthetic
    balance = liquidated.balance_of(order.asset_id_synthetic)
    require(0 <= abs(synthetic_delta) <= abs(balance) and synthetic_delta * balance <= 0,
            Reason.ILLEGAL_POSITION_TRANSITION_ENLARGING_SYNTHETIC_HOLDINGS,
            "liquidation would grow or flip the liquidated synthetic balance")
    updated, _ = update_position(liquidated, None, collateral_delta, s.market,
                                 order.asset_id_synthetic, synthetic_delta)
    s.put(tx.liquidated_position_id, updated)
    execute_limit_order(s, order, tx.actual_collateral, tx.actual_synthetic,
                        tx.actual_liquidator_fee, min_exp)


# --- DELEVERAGE ---

def execute_deleverage(s: Scratch, tx: Deleverage, out: TxOutput, _min_exp: int) -> None:
    check_amount(tx.amount_synthetic, "amount synthetic")
    check_amount(tx.amount_collateral, "amount collateral")
    require(tx.deleverager_position_id != tx.deleveraged_position_id, Reason.SAME_POSITION_ID)
    sign = 1 if tx.deleverager_is_buying_synthetic else -1
    deleveraged, deleveraged_funded = update_position(
        s.position(tx.deleveraged_position_id), None, sign * tx.amount_collateral, s.market,
        tx.synthetic_asset_id, -sign * tx.amount_synthetic)
    s.put(tx.deleveraged_position_id, deleveraged)
    deleverager, deleverager_funded = update_position(
        s.position(tx.deleverager_position_id), None, -sign * tx.amount_collateral, s.market,
        tx.synthetic_asset_id, sign * tx.amount_synthetic)
    s.put(tx.deleverager_position_id, deleverager)
    held = deleverager_funded.balance_of(tx.synthetic_asset_id)
    require(tx.amount_synthetic <= (-held if tx.deleverager_is_buying_synthetic else held),
            Reason.ILLEGAL_POSITION_TRANSITION_ENLARGING_SYNTHETIC_HOLDINGS,
            "the deleverager must hold the opposite position it closes")
    tv0, tr0 = status(deleveraged_funded, s.market)
    require(tv0 < 0, Reason.UNDELEVERAGABLE_POSITION, "deleveraged position has TV >= 0")
    tv1, tr1 = status(deleveraged, s.market)
    # Maximal ratio: one unit less of collateral for the deleveraged would lower its TV/TR.
    require((tv1 - FXP_32_ONE) * tr0 < tv0 * tr1, Reason.UNFAIR_DELEVERAGE,
            "the deleveraged position could have received less collateral")


# --- FORCED_WITHDRAWAL, FORCED_TRADE ---

def _forced_outcome(is_valid: bool, attempt) -> TransactionRejected | None:
    """A valid forced action must succeed; one marked invalid must really fail. Every failure of
    the attempt is a TransactionRejected (the program's update path returns an error code for
    each), so any request L1 accepts is provable one way or the other."""
    try:
        attempt()
    except TransactionRejected as rejected:
        if is_valid:
            raise
        return rejected
    require(is_valid, Reason.FORCED_ACTION_VALIDITY_MISMATCH,
            "marked invalid but it would succeed")
    return None


def execute_forced_withdrawal(s: Scratch, tx: ForcedWithdrawal, out: TxOutput,
                              _min_exp: int) -> None:
    check_amount(tx.amount)
    position = s.position(tx.position_id)
    rejected = _forced_outcome(tx.is_valid, lambda: s.update(tx.position_id, tx.public_key,
                                                             -tx.amount))
    if rejected is not None:  # served as invalid: the position stays as it was
        s.put(tx.position_id, position)
    else:
        out.modifications.append((tx.public_key, tx.position_id, -tx.amount))
    out.forced_actions.append([FORCED_WITHDRAWAL_ACTION, tx.public_key, tx.position_id,
                               tx.amount])


def execute_forced_trade(s: Scratch, tx: ForcedTrade, out: TxOutput, _min_exp: int) -> None:
    check_amount(tx.amount_collateral, "amount collateral")
    check_amount(tx.amount_synthetic, "amount synthetic")
    require(tx.position_id_party_a != tx.position_id_party_b, Reason.SAME_POSITION_ID)
    if tx.is_party_a_buying_synthetic:
        buyer = (tx.position_id_party_a, tx.public_key_party_a)
        seller = (tx.position_id_party_b, tx.public_key_party_b)
    else:
        buyer = (tx.position_id_party_b, tx.public_key_party_b)
        seller = (tx.position_id_party_a, tx.public_key_party_a)
    before = {pid: s.position(pid) for pid in (buyer[0], seller[0])}

    def trade():
        s.update(buyer[0], buyer[1], -tx.amount_collateral, tx.synthetic_asset_id,
                 tx.amount_synthetic)
        s.update(seller[0], seller[1], tx.amount_collateral, tx.synthetic_asset_id,
                 -tx.amount_synthetic)

    if _forced_outcome(tx.is_valid, trade) is not None:  # both positions stay as they were
        for pid, position in before.items():
            s.put(pid, position)
    out.forced_actions.append([
        FORCED_TRADE_ACTION, tx.public_key_party_a, tx.public_key_party_b,
        tx.position_id_party_a, tx.position_id_party_b, tx.synthetic_asset_id,
        tx.amount_collateral, tx.amount_synthetic, int(tx.is_party_a_buying_synthetic),
        tx.nonce])


# --- FUNDING_TICK, ORACLE_PRICES_TICK (they change global values, checked before any write) ---

def execute_funding_tick(s: Scratch, tx: FundingTick, out: TxOutput, _min_exp: int) -> None:
    state = s.state
    require(0 <= tx.timestamp < TIMESTAMP_UPPER_BOUND, Reason.INVALID_FUNDING_TICK_TIMESTAMP,
            f"tick at {tx.timestamp} outside [0, 2^64)")
    require(tx.timestamp >= max(state.system_time, state.funding_timestamp),
            Reason.INVALID_FUNDING_TICK_TIMESTAMP,
            f"tick at {tx.timestamp} before system time {state.system_time} or funding "
            f"timestamp {state.funding_timestamp}")
    dt = tx.timestamp - state.funding_timestamp
    for asset_id, index in tx.indices.items():
        require(0 <= asset_id < ASSET_ID_UPPER_BOUND, Reason.MISSING_SYNTHETIC_ASSET_ID)
        require(FUNDING_INDEX_LOWER_BOUND <= index < FUNDING_INDEX_UPPER_BOUND,
                Reason.OUT_OF_RANGE_FUNDING_INDEX, f"asset {asset_id} index {index}")
    for asset_id, previous in state.funding_indices.items():
        require(asset_id in tx.indices, Reason.MISSING_GLOBAL_FUNDING_INDEX,
                f"tick drops asset {asset_id}")
        price = state.oracle_prices.get(asset_id)
        require(price is not None, Reason.MISSING_ORACLE_PRICE, f"asset {asset_id}")
        diff = abs(tx.indices[asset_id] - previous)
        require(diff * FXP_32_ONE <= state.config.max_funding_rate * price * dt,
                Reason.FUNDING_RATE_TOO_HIGH, f"asset {asset_id} index moved by {diff}")
    state.funding_indices = dict(sorted(tx.indices.items()))
    state.funding_timestamp = tx.timestamp
    state.system_time = tx.timestamp
    s.market = Market(state.config, state.funding_indices, state.oracle_prices)


def internal_price(external_price: int, collateral_resolution: int,
                   synthetic_resolution: int) -> int:
    """External (10^18 = 1 collateral unit per synthetic unit) to internal (2^32 fixed point,
    quantized collateral per quantized synthetic), rounded half up."""
    numerator = external_price * collateral_resolution * FXP_32_ONE
    denominator = synthetic_resolution * EXTERNAL_PRICE_FIXED_POINT_UNIT
    return (numerator + denominator // 2) // denominator


def median_price(prices: list[int]) -> int:
    """A price at least half the signed prices are >= and at least half are <= (lower median)."""
    ordered = sorted(prices)
    return ordered[(len(ordered) - 1) // 2]


def oracle_asset_price(tx: OraclePricesTick, asset_id: int, state: PerpetualState) -> int:
    config = state.config
    asset = config.synthetic(asset_id)
    require(asset is not None, Reason.MISSING_SYNTHETIC_ASSET_ID, f"asset {asset_id}")
    signed = tx.signed_prices[asset_id]
    require(len(signed) >= max(1, asset.oracle_price_quorum), Reason.INVALID_ASSET_ORACLE_PRICE,
            f"{len(signed)} signed prices, quorum {asset.oracle_price_quorum} (at least 1)")
    last_signer = 0
    prices = []
    for p in signed:
        require(p.signer_key > last_signer, Reason.INVALID_ASSET_ORACLE_PRICE,
                "signers must be distinct, in increasing key order")
        last_signer = p.signer_key
        require(p.signer_key in asset.oracle_price_signers, Reason.INVALID_ASSET_ORACLE_PRICE,
                "unknown oracle signer")
        require(p.signed_asset_id in asset.oracle_price_signed_asset_ids,
                Reason.INVALID_ASSET_ORACLE_PRICE, "unknown signed asset id")
        require(0 <= p.external_price < EXTERNAL_PRICE_UPPER_BOUND,
                Reason.INVALID_ASSET_ORACLE_PRICE, "external price out of range")
        require(0 <= p.timestamp and
                tx.timestamp - config.price_validity_period <= p.timestamp <= tx.timestamp,
                Reason.INVALID_ORACLE_TIMESTAMP, f"signed at {p.timestamp}")
        msg = messages.oracle_price_hash(signed_asset_id=p.signed_asset_id,
                                         external_price=p.external_price, timestamp=p.timestamp)
        require(verify(p.signer_key, msg, p.signature), Reason.INVALID_SIGNATURE,
                "oracle price signature")
        price = internal_price(p.external_price, config.collateral_resolution, asset.resolution)
        require(price < PRICE_UPPER_BOUND, Reason.INVALID_ASSET_ORACLE_PRICE,
                f"internal price {price} of a signed price outside [0, 2^64)")
        prices.append(price)
    price = median_price(prices)
    require(PRICE_LOWER_BOUND <= price < PRICE_UPPER_BOUND, Reason.INVALID_ASSET_ORACLE_PRICE,
            f"median price {price} out of range")
    return price


def execute_oracle_prices_tick(s: Scratch, tx: OraclePricesTick, out: TxOutput,
                               _min_exp: int) -> None:
    state = s.state
    require(0 <= tx.timestamp < 2**32, Reason.INVALID_ORACLE_TIMESTAMP)
    require(tx.timestamp >= state.system_time, Reason.INVALID_ORACLE_TIMESTAMP,
            f"tick at {tx.timestamp} before system time {state.system_time}")
    new_prices = {asset_id: oracle_asset_price(tx, asset_id, state)
                  for asset_id in sorted(tx.signed_prices)}
    state.oracle_prices = dict(sorted({**state.oracle_prices, **new_prices}.items()))
    state.system_time = tx.timestamp
    s.market = Market(state.config, state.funding_indices, state.oracle_prices)


EXECUTORS = {
    Deposit: execute_deposit, Withdrawal: execute_withdrawal, Transfer: execute_transfer,
    ConditionalTransfer: execute_conditional_transfer, Trade: execute_trade,
    FundingTick: execute_funding_tick, OraclePricesTick: execute_oracle_prices_tick,
    ForcedWithdrawal: execute_forced_withdrawal, ForcedTrade: execute_forced_trade,
    Liquidate: execute_liquidate, Deleverage: execute_deleverage,
}


def apply_transaction(state: PerpetualState, tx: Transaction,
                      min_expiration_timestamp: int = 0) -> TxOutput:
    """Apply tx to state, or raise TransactionRejected with the state unchanged."""
    executor = EXECUTORS.get(type(tx))
    if executor is None:
        raise TransactionRejected(Reason.UNKNOWN_TRANSACTION_TYPE, type(tx).__name__)
    scratch = Scratch(state)
    out = TxOutput()
    executor(scratch, tx, out, min_expiration_timestamp)
    scratch.commit(out)
    return out
