"""StarkEx Perpetual as an application of the shared core (offchain/core/application.py).

Everything here is Perpetual's own and defined elsewhere in offchain/perpetual: the request
schemas (schemas.py), the rules (execute.py), the batch (batch.py), the expiration policy
(expiration.py) and L1's time windows for ticks (windows.py); this object only answers the core's
questions with them.
"""
from __future__ import annotations

from offchain.core.application import BatchRefused, DepositClaim, ExecutedBatch, L1Request, Refused
from offchain.core.cairo_runner import CAIRO_ROOT
from offchain.core.l1.state_update import NO_BATCH
from offchain.perpetual import expiration, schemas
from offchain.perpetual.batch import BatchRejected, execute_batch
from offchain.perpetual.errors import TransactionRejected
from offchain.perpetual.feeder import ExchangeConfig, add_position_routes
from offchain.perpetual.execute import Scratch, apply_transaction, execute_limit_order
from offchain.perpetual.signing import FORCED_TRADE_FIELDS, ForcedTradeRequest
from offchain.perpetual.state import PerpetualState
from offchain.perpetual.transactions import (
    ConditionalTransfer, Deposit, ForcedTrade, ForcedWithdrawal, Order, Trade, Transaction, Transfer, Withdrawal,
    WithdrawalToAddress, transaction_from_json)
from offchain.perpetual.windows import check_tick


def _refused(rejected: TransactionRejected, message: str | None = None, party: int | None = None) -> Refused:
    return Refused(rejected.reason_code.name, message or rejected.message or rejected.reason_code.name, party,
                   text=str(rejected))


def _order_at_fault(tx: Trade, state: PerpetualState, now: float) -> Order | None:
    """The order of a refused trade that fails on its own (its admission window, then its side
    of the trade against the state), party A's checked first as the trade executes it."""
    for order, fee in ((tx.party_a_order, tx.actual_a_fee), (tx.party_b_order, tx.actual_b_fee)):
        try:
            expiration.check_admissible(order, now)
            execute_limit_order(Scratch(state), order, tx.actual_collateral, tx.actual_synthetic, fee, 0)
        except TransactionRejected:
            return order
    return None


def _explained(tx: Transaction, rejected: TransactionRejected, state: PerpetualState) -> str:
    """The model's message, with the numbers a client needs when a balance rule refused it."""
    message = rejected.message or rejected.reason_code.name
    if rejected.reason_code.name.startswith(("ILLEGAL_POSITION_TRANSITION", "OUT_OF_RANGE_BALANCE")):
        if isinstance(tx, (Withdrawal, WithdrawalToAddress)):
            position_id, amount = tx.position_id, tx.amount
        elif isinstance(tx, (Transfer, ConditionalTransfer)):
            position_id, amount = tx.sender_position_id, tx.amount
        else:
            return message
        balance = state.position(position_id).collateral_balance
        numbers = (f"position {position_id} holds {balance} collateral after the pending transactions, "
                   f"and the request takes {amount}")
        message = f"{rejected.message}: {numbers}" if rejected.message else numbers
    return message


def forced_trade_tx(event_trade) -> dict:
    """The FORCED_TRADE transaction (as valid) of a LogForcedTradeRequest's trade."""
    # Ape decodes the event's struct as a list, in the struct's field order.
    t = dict(zip(FORCED_TRADE_FIELDS, event_trade))
    return {"type": "FORCED_TRADE", "public_key_party_a": int(t["starkKeyA"]),
            "public_key_party_b": int(t["starkKeyB"]), "position_id_party_a": int(t["positionIdA"]),
            "position_id_party_b": int(t["positionIdB"]), "synthetic_asset_id": int(t["syntheticAssetId"]),
            "amount_collateral": int(t["amountCollateral"]), "amount_synthetic": int(t["amountSynthetic"]),
            "is_party_a_buying_synthetic": int(bool(t["aIsBuyingSynthetic"])), "nonce": int(t["nonce"]),
            "is_valid": 1}


def _origin(event) -> str:
    return f"{event.transaction_hash}:{event.log_index}"


class PerpetualApplication:
    name = "perpetual"
    program_dir = CAIRO_ROOT / "perpetual"
    l1_made_types = frozenset({"DEPOSIT", "FORCED_WITHDRAWAL", "FORCED_TRADE"})
    user_signed_types = frozenset({"TRANSFER", "CONDITIONAL_TRANSFER", "WITHDRAWAL", "WITHDRAWAL_TO_ADDRESS", "TRADE"})
    exchange_types = frozenset({"LIQUIDATE", "DELEVERAGE"})
    price_types = frozenset({"FUNDING_TICK", "ORACLE_PRICES_TICK"})
    forced_types = frozenset({"FORCED_WITHDRAWAL", "FORCED_TRADE"})
    client_transaction = schemas.ClientTransaction

    def __init__(self, collateral_asset_type: int | None = None):
        """collateral_asset_type: the L1 asset type whose deposits the watcher credits."""
        self.collateral_asset_type = collateral_asset_type

    # --- the gateway ---
    canonical_tx = staticmethod(schemas.canonical_tx)

    @staticmethod
    def describe_invalid(errors: list[dict]):
        return schemas.describe(errors)

    # --- the rules ---
    @staticmethod
    def parse(tx_json: dict) -> Transaction:
        try:
            return transaction_from_json(tx_json)
        except TransactionRejected as rejected:  # a field out of its bound
            raise _refused(rejected) from rejected

    def validate(self, state: PerpetualState, tx: Transaction, now: float | None, landing_seconds: float) -> None:
        try:
            if now is not None:
                check_tick(tx, now, landing_seconds)
                expiration.check_admissible(tx, now)
            apply_transaction(state, tx)
        except TransactionRejected as rejected:
            message = _explained(tx, rejected, state)
            at_fault = _order_at_fault(tx, state, now) if isinstance(tx, Trade) and now is not None else None
            if at_fault is not None:
                message = f"the order of position {at_fault.position_id}: {message}"
            raise _refused(rejected, message, None if at_fault is None else at_fault.position_id) from rejected

    def apply(self, state: PerpetualState, tx: Transaction) -> None:
        try:
            apply_transaction(state, tx)
        except TransactionRejected as rejected:
            raise _refused(rejected) from rejected

    @staticmethod
    def deposit_claim(tx: Transaction):
        if not isinstance(tx, Deposit):
            return None
        return DepositClaim((tx.public_key, tx.position_id), tx.amount, f"position {tx.position_id}")

    def operator_alternatives(self, tx_json: dict) -> list[dict]:
        tx = transaction_from_json(tx_json)
        if isinstance(tx, (ForcedWithdrawal, ForcedTrade)):
            # A forced request is served either way: as the other validity now.
            return [{**tx_json, "is_valid": 1 - int(tx_json["is_valid"])}]
        return []  # a deposit: stays pending on L1 for its owner to cancel and reclaim

    # --- batches ---
    def check_executable(self, tx: Transaction, now: float) -> None:
        try:
            expiration.check_admissible(tx, now, expiration.EXECUTION_MARGIN_HOURS)
            check_tick(tx, now, expiration.EXECUTION_MARGIN_HOURS * expiration.SECONDS_PER_HOUR)
        except TransactionRejected as rejected:
            raise _refused(rejected) from rejected

    def execute_batch(self, state: PerpetualState, transactions: list[Transaction], now: float,
                      recorded: dict | None) -> ExecutedBatch:
        minimum = (recorded["minimum_expiration_timestamp"] if recorded is not None
                   else expiration.minimum_expiration(transactions, now))
        try:
            result = execute_batch(state, transactions, minimum)
        except BatchRejected as rejected:
            raise BatchRefused(rejected.index, _refused(rejected.rejected)) from rejected
        new = result.state
        return ExecutedBatch(new, result.program_input, result.words, {
            "minimum_expiration_timestamp": minimum,
            "new_positions_root": hex(new.positions_root),
            "new_orders_root": hex(new.orders_root),
            # With the roots, what a validium committee signs (offchain/core/l1/committee.py).
            "positions_height": new.config.positions_tree_height,
            "orders_height": new.config.orders_tree_height,
        })

    @staticmethod
    def application_data(batch_id: int, transactions: list) -> list[int]:
        """[batch_id, previous_batch_id, (registry, fact) per condition] — docs/program-output.md."""
        previous = NO_BATCH if batch_id == 0 else batch_id - 1
        data = [batch_id, previous]
        for tx in transactions:
            if isinstance(tx, ConditionalTransfer):
                data += [tx.fact_registry_address, tx.fact]
        return data

    @staticmethod
    def availability_roots(record: dict):
        if "new_positions_root" not in record:
            return None
        return (int(record["new_positions_root"], 16), int(record["positions_height"]),
                int(record["new_orders_root"], 16), int(record["orders_height"]))

    @staticmethod
    def state_availability_roots(state: PerpetualState):
        return (state.positions_root, state.config.positions_tree_height, state.orders_root,
                state.config.orders_tree_height)

    # --- L1 ---
    def l1_requests(self, exchange, first_block: int, last_block: int):
        for event in exchange.LogDeposit.range(first_block, last_block + 1):
            if int(event.assetType) != self.collateral_asset_type:
                continue
            tx = {"type": "DEPOSIT", "position_id": int(event.positionId), "public_key": int(event.starkKey),
                  "amount": int(event.quantizedAmount)}
            # Read before the intake's lock: L1 is never waited on while a client waits for it.
            pending = int(exchange.getPendingDeposit(tx["public_key"], self.collateral_asset_type, tx["position_id"]))
            yield L1Request(_origin(event), tx, pending)
        for event in exchange.LogForcedWithdrawalRequest.range(first_block, last_block + 1):
            tx = {"type": "FORCED_WITHDRAWAL", "position_id": int(event.positionId), "public_key": int(event.starkKey),
                  "amount": int(event.quantizedAmount), "is_valid": 1}
            yield L1Request(_origin(event), tx, forced=True)
        for event in exchange.LogForcedTradeRequest.range(first_block, last_block + 1):
            yield L1Request(_origin(event), forced_trade_tx(event.trade), forced=True)

    @staticmethod
    def forced_request_key(l1, tx: dict) -> bytes:
        if tx["type"] == "FORCED_WITHDRAWAL":
            return l1.forced_withdrawal_key(tx["public_key"], tx["position_id"], tx["amount"])
        return l1.forced_trade_key(ForcedTradeRequest(
            starkKeyA=tx["public_key_party_a"], starkKeyB=tx["public_key_party_b"], positionIdA=tx["position_id_party_a"],
            positionIdB=tx["position_id_party_b"], collateralAssetId=l1.collateral_asset_type(),
            syntheticAssetId=tx["synthetic_asset_id"], amountCollateral=tx["amount_collateral"],
            amountSynthetic=tx["amount_synthetic"], aIsBuyingSynthetic=bool(tx["is_party_a_buying_synthetic"]),
            nonce=tx["nonce"]))

    # --- the feeder gateway ---
    def client_config(self, genesis: PerpetualState, exchange, chain_id: int, l1_node_url: str | None):
        from offchain.client.l1 import ExchangeL1

        quantum = ExchangeL1(exchange).quantum(self.collateral_asset_type)
        return ExchangeConfig.of(genesis.config, exchange.address, chain_id, quantum, l1_node_url)

    @staticmethod
    def add_state_routes(app, pending_state, store) -> None:
        add_position_routes(app, pending_state, store)


PERPETUAL = PerpetualApplication()
