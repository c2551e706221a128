"""An application on the shared core: what each exchange (Perpetual, Spot, a third one) supplies.

The core — storage, intake, gateway, batching pipeline, L1 watcher, proving, committee — knows
transactions only as JSON dicts with a `type`, and asks the application everything else through
this protocol: which types exist and who may send them, their request schemas, how one applies
to the pending state (the rules, mirroring the Cairo program), how a batch executes (model and
program, offchain/core/batching/executor.py), which L1 events become transactions, and what the
feeder gateway shows of the state. A third application is a new folder with one object that has
these members (offchain/perpetual/application.py and offchain/spot/application.py are the two).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol

MALFORMED = "MALFORMED_TRANSACTION"


class InvalidInput(ValueError):
    """The input is not a well-formed transaction of the application; code is the rule's name."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class Refused(Exception):
    """A transaction breaks a rule of the application: code is the rule's name (as the Cairo
    program names it), message the numbers; party: for a two-party transaction refused because
    of one party alone, that party's account (position or vault id), so the sender can drop it."""

    def __init__(self, code: str, message: str, party: int | None = None, text: str | None = None):
        super().__init__(text or f"{code}: {message}")
        self.code = code
        self.message = message
        self.party = party


@dataclass(frozen=True)
class L1Request:
    """A transaction the watcher makes from one L1 event. origin: "<tx hash>:<log index>";
    pending: for a deposit, the quantized amount L1 holds pending for it (read before the intake's
    lock); forced: a forced request, served as valid or, failing that, as invalid."""
    origin: str
    tx: dict
    pending: int | None = None
    forced: bool = False


@dataclass(frozen=True)
class DepositClaim:
    """What a DEPOSIT takes from L1's pending deposits: key (as L1 keys them), the quantized
    amount, and the account in words for a refusal ("position 7", "vault 12")."""
    key: tuple
    amount: int
    account: str


@dataclass(frozen=True)
class ExecutedBatch:
    """What executing a batch gives the pipeline: the next state, the program input, the output
    words (program output, docs/<app>/program-output.md), and the batch's record fields
    (roots, heights: what a validium committee signs)."""
    state: Any
    program_input: dict
    words: list[int]
    record: dict


class Application(Protocol):
    """What the core asks of an application. States are the application's own objects with
    `copy()`; transactions are parsed by `parse` from their stored JSON."""

    name: str  # "perpetual", "spot"
    program_dir: Path  # its Cairo batch program (cairo/<name>), compiled by offchain/core/batch_program.py
    l1_made_types: frozenset[str]  # made only by the operator's watcher from L1 events
    user_signed_types: frozenset[str]  # signed by a user: the application and a user door may send them
    exchange_types: frozenset[str]  # the exchange's own (the application role only)
    price_types: frozenset[str]  # a price source's (Perpetual's ticks)
    forced_types: frozenset[str]  # what serves an L1 forced request (the freeze waits on them)
    client_transaction: Any  # the pydantic type of a client's transaction (a discriminated union)

    # --- the gateway -------------------------------------------------------------------------
    def canonical_tx(self, tx_json: object) -> dict:
        """The stored form (JSON integers, flags 0/1), or InvalidInput naming the rule."""

    def describe_invalid(self, errors: list[dict]) -> InvalidInput:
        """One refusal from pydantic's errors of a request body."""

    # --- the rules ---------------------------------------------------------------------------
    def parse(self, tx_json: dict) -> Any:
        """The application's transaction from its stored JSON (KeyError, TypeError, ValueError
        for a malformed one)."""

    def validate(self, state: Any, tx: Any, now: float | None, landing_seconds: float) -> None:
        """A new transaction: a client's (now: L1's time) must stay executable until its batch
        lands on L1 within landing_seconds (expirations, L1 time windows); an L1-made one (now
        None) is not judged by time. Then applies it to state in place. Refused, with the rule's
        name and the numbers a client needs, leaves state unchanged."""

    def apply(self, state: Any, tx: Any) -> None:
        """Applies an acknowledged tx to state in place (replay), or Refused leaving state unchanged."""

    def deposit_claim(self, tx: Any) -> DepositClaim | None:
        """For a deposit, what it claims of L1's pending deposits; None for anything else."""

    def operator_alternatives(self, tx_json: dict) -> list[dict]:
        """What replaces an operator-made transaction that no longer applies: a forced request is
        served as the other validity; a deposit is dropped (its owner cancels and reclaims it)."""

    # --- batches -----------------------------------------------------------------------------
    def execute_batch(self, state: Any, transactions: list[Any], now: float, recorded: dict | None) -> ExecutedBatch:
        """The model's execution of a batch on top of state, at L1 time now; recorded: the
        batch's stored record when it is executed again (restore), whose choices (expiration
        bounds) it repeats. Raises BatchRefused(index, Refused) for a transaction it cannot execute."""

    def check_executable(self, tx: Any, now: float) -> None:
        """Refused if tx, acknowledged earlier, can no longer land (expired while it waited)."""

    def application_data(self, batch_id: int, transactions: list[Any]) -> list[int]:
        """updateState's application data for the batch (docs/<app>/program-output.md)."""

    def availability_roots(self, record: dict) -> tuple[int, int, int, int] | None:
        """What a validium committee signs of an executed batch's record: (the off-chain state
        tree's root, its height, the orders root, its height); None before it is executed."""

    def state_availability_roots(self, state: Any) -> tuple[int, int, int, int]:
        """The same four words of a state (a member's own replay)."""

    # --- L1 ----------------------------------------------------------------------------------
    def l1_requests(self, exchange, first_block: int, last_block: int) -> Iterable[L1Request]:
        """The transactions the exchange's events in [first_block, last_block] make, in order."""

    def forced_request_key(self, l1, tx: dict) -> bytes:
        """The L1 forced request a transaction of forced_types serves (l1: offchain.client.l1.ExchangeL1)."""

    # --- the feeder gateway ------------------------------------------------------------------
    def client_config(self, genesis: Any, exchange, chain_id: int, l1_node_url: str | None) -> Any:
        """What get_config tells clients (an object with to_json() and describe())."""

    def add_state_routes(self, app, pending_state: Callable[[], Any], store) -> None:
        """The feeder gateway's views of the application's state (positions, vaults)."""


class BatchRefused(Exception):
    """The model refused the batch's transaction at `index`."""

    def __init__(self, index: int, refused: Refused):
        super().__init__(f"transaction {index}: {refused}")
        self.index = index
        self.refused = refused


def sendable_types(application: Application) -> frozenset[str]:
    return application.user_signed_types | application.exchange_types | application.price_types
