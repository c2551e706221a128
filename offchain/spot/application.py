"""StarkEx Spot as an application of the shared core (offchain/core/application.py).

The rules are the reference model's (offchain/spot/rules.py, which the Cairo program cairo/spot
mirrors rule by rule); a refusal's code is the rule's name in capitals (`balance_bound` ->
BALANCE_BOUND) with the model's numbers. Transactions are kept as docs/spot/batch-input.md's
dicts (offchain/spot/schemas.py makes them); a conditional transfer also keeps its
`fact_registry_address` and `fact` for the application data, and the program input leaves them out.

Time: a Spot batch has one expiration bound, `global_expiration_timestamp` (hours), which every
order and transfer must reach and L1 must not have passed (UpdateSpotState). The gateway admits a
signed request only if it expires ADMISSION_MARGIN_HOURS or more from L1's now; a batch's bound is
the earliest expiration among its requests (or, with none, the admission margin from now), so L1
takes the update until the first of them really expires.
"""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import Query
from fastapi.responses import JSONResponse

from offchain.core.application import BatchRefused, DepositClaim, ExecutedBatch, L1Request, Refused
from offchain.core.batching.margins import ADMISSION_MARGIN_HOURS, EXECUTION_MARGIN_HOURS, earliest_hour
from offchain.core.cairo_runner import CAIRO_ROOT
from offchain.core.l1.state_update import NO_BATCH
from offchain.spot import schemas
from offchain.spot.batch import execute_batch
from offchain.spot.rules import TRANSACTION_TYPES, SpotRuleError, apply_transaction
from offchain.spot.state import SpotState

# Fields the operator keeps beside a transaction that the program does not read.
OPERATOR_FIELDS = ("fact_registry_address", "fact")


def _refused(error: SpotRuleError) -> Refused:
    return Refused(error.rule.upper(), error.detail or error.rule, text=str(error))


def expirations(tx: dict) -> list[int]:
    """The expiration hours a Spot transaction carries: a transfer's, or its two orders'."""
    if tx["type"] == "SETTLEMENT":
        return [int(tx["party_a_order"]["expiration_timestamp"]), int(tx["party_b_order"]["expiration_timestamp"])]
    if tx["type"] in ("TRANSFER", "CONDITIONAL_TRANSFER"):
        return [int(tx["expiration_timestamp"])]
    return []


def _check_expirations(tx: dict, now: float, margin_hours: int) -> None:
    earliest = earliest_hour(now, margin_hours)
    for hour in expirations(tx):
        if hour < earliest:
            raise Refused("EXPIRED", f"expires at hour {hour}: the operator needs at least {margin_hours} hours to "
                                     f"batch, prove and submit (hour {earliest} or later)")


def program_transaction(tx: dict) -> dict:
    """The transaction as the program reads it (docs/spot/batch-input.md)."""
    return {k: v for k, v in tx.items() if k not in OPERATOR_FIELDS}


def _origin(event) -> str:
    return f"{event.transaction_hash}:{event.log_index}"


@dataclass(frozen=True)
class SpotConfig:
    """The exchange as a Spot client sees it (GET /feeder_gateway/get_config)."""
    exchange_address: str
    chain_id: int
    validium_vault_tree_height: int
    rollup_vault_tree_height: int
    order_tree_height: int
    data_availability_mode: str
    l1_node_url: str | None = None

    def to_json(self) -> dict:
        return {"application": "spot", **{k: getattr(self, k) for k in self.__dataclass_fields__}}

    def describe(self) -> str:
        return (f"Spot exchange {self.exchange_address} on chain {self.chain_id} ({self.data_availability_mode})\n"
                f"vault trees: validium height {self.validium_vault_tree_height}, rollup height "
                f"{self.rollup_vault_tree_height} (vault ids 2^63 + i); orders tree height {self.order_tree_height}")


class SpotApplication:
    name = "spot"
    program_dir = CAIRO_ROOT / "spot"
    l1_made_types = frozenset({"DEPOSIT", "FULL_WITHDRAWAL", "FALSE_FULL_WITHDRAWAL"})
    # Orders and transfers carry their user's signature, which the program checks.
    user_signed_types = frozenset({"SETTLEMENT", "TRANSFER", "CONDITIONAL_TRANSFER"})
    # StarkEx Spot's withdrawal is a modification without a user signature: the application
    # authenticates its user; it only moves a vault's funds to its own key's L1 balance.
    exchange_types = frozenset({"WITHDRAWAL"})
    price_types = frozenset()
    forced_types = frozenset({"FULL_WITHDRAWAL", "FALSE_FULL_WITHDRAWAL"})
    client_transaction = schemas.ClientTransaction

    def __init__(self, data_availability_mode: str = "rollup"):
        self.data_availability_mode = data_availability_mode

    # --- the gateway ---
    canonical_tx = staticmethod(schemas.canonical_tx)

    @staticmethod
    def describe_invalid(errors: list[dict]):
        return schemas.describe(errors)

    # --- the rules ---
    @staticmethod
    def parse(tx_json: dict) -> dict:
        if not isinstance(tx_json, dict) or tx_json.get("type") not in TRANSACTION_TYPES:
            raise Refused("TRANSACTION_TYPE", f"not a Spot transaction type: {tx_json.get('type')!r}"
                          if isinstance(tx_json, dict) else "not a transaction object")
        return tx_json

    def validate(self, state: SpotState, tx: dict, now: float | None, landing_seconds: float) -> None:
        global_expiration = 0
        if now is not None:
            _check_expirations(tx, now, ADMISSION_MARGIN_HOURS)
            # The tightest bound a batch holding it may have.
            global_expiration = earliest_hour(now, ADMISSION_MARGIN_HOURS)
        try:
            apply_transaction(state, program_transaction(tx), global_expiration)
        except SpotRuleError as error:
            raise _refused(error) from error

    def apply(self, state: SpotState, tx: dict) -> None:
        try:
            apply_transaction(state, program_transaction(tx), 0)
        except SpotRuleError as error:
            raise _refused(error) from error

    @staticmethod
    def deposit_claim(tx: dict) -> DepositClaim | None:
        if tx["type"] != "DEPOSIT":
            return None
        # L1 keeps pending deposits by (stark key, asset id, vault id).
        return DepositClaim((tx["stark_key"], tx["token_id"], tx["vault_id"]), tx["amount"], f"vault {tx['vault_id']}")

    @staticmethod
    def operator_alternatives(tx_json: dict) -> list[dict]:
        # A full withdrawal request is served either way: as a full withdrawal when the vault
        # is empty or the requester's, as a false one otherwise.
        if tx_json["type"] == "FULL_WITHDRAWAL":
            return [{"type": "FALSE_FULL_WITHDRAWAL", "vault_id": tx_json["vault_id"],
                     "requester_stark_key": tx_json["stark_key"]}]
        if tx_json["type"] == "FALSE_FULL_WITHDRAWAL":
            return [{"type": "FULL_WITHDRAWAL", "vault_id": tx_json["vault_id"],
                     "stark_key": tx_json["requester_stark_key"]}]
        return []  # a deposit: stays pending on L1 for its owner to cancel and reclaim

    # --- batches ---
    def check_executable(self, tx: dict, now: float) -> None:
        _check_expirations(tx, now, EXECUTION_MARGIN_HOURS)

    @staticmethod
    def program_input(state: SpotState, transactions: list[dict], global_expiration: int) -> dict:
        """docs/spot/batch-input.md: the whole previous state, so every vault the batch reads is there."""
        return {"general_config": state.config.to_json(), "previous_state": state.to_json(),
                "global_expiration_timestamp": global_expiration,
                "transactions": [program_transaction(tx) for tx in transactions]}

    def execute_batch(self, state: SpotState, transactions: list[dict], now: float,
                      recorded: dict | None) -> ExecutedBatch:
        if recorded is not None:
            global_expiration = recorded["global_expiration_timestamp"]
        else:
            hours = [hour for tx in transactions for hour in expirations(tx)]
            global_expiration = min(hours) if hours else earliest_hour(now, ADMISSION_MARGIN_HOURS)
        # Which transaction breaks a rule, for the pipeline to replace it (the batch's model
        # refuses the whole batch without saying).
        scratch = state.copy()
        for index, tx in enumerate(transactions):
            try:
                apply_transaction(scratch, program_transaction(tx), global_expiration)
            except SpotRuleError as error:
                raise BatchRefused(index, _refused(error)) from error
        program_input = self.program_input(state, transactions, global_expiration)
        result = execute_batch(program_input)
        validium, rollup, orders = result.state.roots()
        config = result.state.config
        return ExecutedBatch(result.state, program_input, result.words, {
            "global_expiration_timestamp": global_expiration,
            "new_validium_vault_root": hex(validium),
            "new_rollup_vault_root": hex(rollup),
            "new_order_root": hex(orders),
            "validium_vault_height": config.validium_vault_tree_height,
            "order_height": config.order_tree_height,
        })

    @staticmethod
    def application_data(batch_id: int, transactions: list[dict]) -> list[int]:
        """[batch_id, previous_batch_id, (registry, fact) per conditional transfer] — as Perpetual's."""
        data = [batch_id, NO_BATCH if batch_id == 0 else batch_id - 1]
        for tx in transactions:
            if tx["type"] == "CONDITIONAL_TRANSFER":
                data += [tx["fact_registry_address"], tx["fact"]]
        return data

    @staticmethod
    def availability_roots(record: dict):
        # Only the validium tree's data stays off-chain; the rollup vaults' is in the output.
        if "new_validium_vault_root" not in record:
            return None
        return (int(record["new_validium_vault_root"], 16), int(record["validium_vault_height"]),
                int(record["new_order_root"], 16), int(record["order_height"]))

    @staticmethod
    def state_availability_roots(state: SpotState):
        validium, _, orders = state.roots()
        return validium, state.config.validium_vault_tree_height, orders, state.config.order_tree_height

    # --- L1 ---
    @staticmethod
    def l1_requests(exchange, first_block: int, last_block: int):
        """Deposits (ETH and ERC-20 by LogDeposit, whose asset id is the asset type; ERC-721 and
        ERC-1155 by LogDepositWithTokenId) and full withdrawal requests."""
        def deposit(event, vault_id: int, asset_id: int) -> L1Request:
            tx = {"type": "DEPOSIT", "vault_id": vault_id, "stark_key": int(event.starkKey), "token_id": asset_id,
                  "amount": int(event.quantizedAmount)}
            # Read before the intake's lock: L1 is never waited on while a client waits for it.
            pending = int(exchange.getPendingDeposit(tx["stark_key"], asset_id, tx["vault_id"]))
            return L1Request(_origin(event), tx, pending)

        for event in exchange.LogDeposit.range(first_block, last_block + 1):
            # The core's LogDeposit names the account positionId: a Spot vault id.
            yield deposit(event, int(event.positionId), int(event.assetType))
        for event in exchange.LogDepositWithTokenId.range(first_block, last_block + 1):
            yield deposit(event, int(event.vaultId), int(event.assetId))
        for event in exchange.LogFullWithdrawalRequest.range(first_block, last_block + 1):
            tx = {"type": "FULL_WITHDRAWAL", "vault_id": int(event.vaultId), "stark_key": int(event.starkKey)}
            yield L1Request(_origin(event), tx, forced=True)

    @staticmethod
    def forced_request_key(l1, tx: dict) -> bytes:
        """A full withdrawal request, served either way, is keyed by its requester and vault."""
        requester = tx["stark_key"] if tx["type"] == "FULL_WITHDRAWAL" else tx["requester_stark_key"]
        return bytes(l1.exchange.fullWithdrawalKey(requester, tx["vault_id"]))

    # --- the feeder gateway ---
    def client_config(self, genesis: SpotState, exchange, chain_id: int, l1_node_url: str | None) -> SpotConfig:
        c = genesis.config
        return SpotConfig(exchange.address, chain_id, c.validium_vault_tree_height, c.rollup_vault_tree_height,
                          c.order_tree_height, self.data_availability_mode, l1_node_url)

    @staticmethod
    def add_state_routes(app, pending_state, store) -> None:
        @app.get("/feeder_gateway/get_vault")
        def get_vault(vault_id: int = Query(ge=0, lt=2**64)):
            """A vault after every acknowledged transaction (empty: key 0, asset 0, balance 0)."""
            state = pending_state()
            if state.config.tree_of(vault_id) is None:
                return JSONResponse(status_code=400, content={"code": "VAULT_ID", "message": f"vault {vault_id} is in neither tree (validium ids below "
                        f"2^{state.config.validium_vault_tree_height}, rollup ids 2^63 + i below "
                        f"2^{state.config.rollup_vault_tree_height})"})
            return {"vault_id": vault_id, **state.vault(vault_id).to_json(), "state": "acknowledged"}
