"""A batch: apply transactions to a state, produce the program output words exactly as in
docs/program-output.md and the program input of docs/batch-input.md; decode output words back."""
from __future__ import annotations

from dataclasses import dataclass, field

from offchain.crypto.constants import from_field, to_field
from offchain.perpetual.config import ROLLUP, GeneralConfig, asset_config_hash, general_config_hash
from offchain.perpetual.constants import EXPIRATION_TIMESTAMP_UPPER_BOUND, MODIFICATION_BIAS
from offchain.perpetual.errors import TransactionRejected
from offchain.perpetual.execute import apply_transaction
from offchain.perpetual.state import PerpetualState, SharedState
from offchain.perpetual.transactions import Transaction, transaction_from_json

FORCED_ACTION_SIZES = {0: 4, 1: 10}  # words per forced action, type included


@dataclass(frozen=True)
class Modification:
    public_key: int
    position_id: int
    delta: int  # > 0 deposit, < 0 withdrawal (quantized collateral)


@dataclass
class BatchOutput:
    general_config_hash: int
    data_availability_mode: int
    asset_configs: list[tuple[int, int]]
    previous_state: SharedState
    new_state: SharedState
    minimum_expiration_timestamp: int
    modifications: list[Modification] = field(default_factory=list)
    forced_actions: list[list[int]] = field(default_factory=list)
    conditions: list[int] = field(default_factory=list)
    onchain_data: list[int] | None = None  # rollup mode only

    def to_words(self) -> list[int]:
        words = [self.general_config_hash, self.data_availability_mode, len(self.asset_configs)]
        for asset_id, config_hash in self.asset_configs:
            words += [asset_id, config_hash]
        for shared in (self.previous_state, self.new_state):
            state_words = shared.to_output_words()
            words += [len(state_words), *state_words]
        words.append(self.minimum_expiration_timestamp)
        words.append(len(self.modifications))
        for m in self.modifications:
            words += [m.public_key, m.position_id, m.delta + MODIFICATION_BIAS]
        forced = [len(self.forced_actions)]
        for action in self.forced_actions:
            forced += action
        words += [len(forced), *forced]
        words += [len(self.conditions), *self.conditions]
        if self.data_availability_mode == ROLLUP:
            data = self.onchain_data or []
            words += [len(data), *data]
        return [to_field(w) for w in words]


class _Reader:
    def __init__(self, words: list[int]):
        self.words = list(words)
        self.pos = 0

    def next(self) -> int:
        if self.pos >= len(self.words):
            raise ValueError("output words end too early")
        self.pos += 1
        return self.words[self.pos - 1]

    def take(self, n: int) -> list[int]:
        if n < 0 or self.pos + n > len(self.words):
            raise ValueError("output words end too early")
        self.pos += n
        return self.words[self.pos - n:self.pos]


def _decode_shared_state(r: _Reader) -> SharedState:
    size = r.next()
    start = r.pos
    positions_root, positions_height, orders_root, orders_height = r.take(4)
    n = r.next()
    funding = {}
    for _ in range(n):
        asset_id, index = r.take(2)
        funding[asset_id] = from_field(index)
    funding_timestamp = r.next()
    n = r.next()
    prices = {}
    for _ in range(n):
        asset_id, price = r.take(2)
        prices[asset_id] = price
    system_time = r.next()
    if r.pos - start != size:
        raise ValueError(f"shared state size {size} but {r.pos - start} words read")
    return SharedState(positions_root, positions_height, orders_root, orders_height, funding,
                       funding_timestamp, prices, system_time)


def decode_output(words: list[int]) -> BatchOutput:
    r = _Reader(words)
    config_hash = r.next()
    mode = r.next()
    asset_configs = [tuple(r.take(2)) for _ in range(r.next())]
    previous_state = _decode_shared_state(r)
    new_state = _decode_shared_state(r)
    min_expiration = r.next()
    modifications = []
    for _ in range(r.next()):
        key, position_id, biased = r.take(3)
        modifications.append(Modification(key, position_id, biased - MODIFICATION_BIAS))
    forced_size = r.next()
    forced_end = r.pos + forced_size
    n_forced = r.next()
    forced_actions = []
    for _ in range(n_forced):
        action_type = r.next()
        if action_type not in FORCED_ACTION_SIZES:
            raise ValueError(f"unknown forced action type {action_type}")
        forced_actions.append([action_type, *r.take(FORCED_ACTION_SIZES[action_type] - 1)])
    if r.pos != forced_end:
        raise ValueError("forced actions size does not match their contents")
    conditions = r.take(r.next())
    onchain = r.take(r.next()) if mode == ROLLUP else None
    if r.pos != len(r.words):
        raise ValueError(f"{len(r.words) - r.pos} trailing output words")
    return BatchOutput(config_hash, mode, asset_configs, previous_state, new_state,
                       min_expiration, modifications, forced_actions, conditions, onchain)


@dataclass
class BatchResult:
    output: BatchOutput
    words: list[int]
    program_input: dict
    state: PerpetualState  # the state after the batch
    transactions: list[Transaction]  # those in the batch, in order
    rejected: list[tuple[int, TransactionRejected]] = field(default_factory=list)


def program_input(state: PerpetualState, transactions: list[Transaction],
                  minimum_expiration_timestamp: int) -> dict:
    """The JSON the Cairo program reads (docs/batch-input.md), from the state before the batch."""
    return {
        "general_config": state.config.to_json(),
        "previous_state": state.to_json(),
        "minimum_expiration_timestamp": minimum_expiration_timestamp,
        "transactions": [tx.to_json() for tx in transactions],
    }


def parse_program_input(data: dict) -> tuple[PerpetualState, list[Transaction], int]:
    """The inverse of program_input: (state before, transactions, minimum expiration)."""
    config = GeneralConfig.from_json(data["general_config"])
    state = PerpetualState.from_json(config, data["previous_state"])
    transactions = [transaction_from_json(t) for t in data["transactions"]]
    return state, transactions, to_field(int(data["minimum_expiration_timestamp"]))


class BatchRejected(Exception):
    def __init__(self, index: int, rejected: TransactionRejected):
        super().__init__(f"transaction {index} rejected: {rejected}")
        self.index = index
        self.rejected = rejected


def execute_batch(state: PerpetualState, transactions: list[Transaction],
                  minimum_expiration_timestamp: int = 0,
                  skip_rejected: bool = False) -> BatchResult:
    """Apply the transactions to a copy of state and build the batch.

    A rejected transaction rejects the whole batch (BatchRejected), unless skip_rejected: then it
    is left out of the batch (and of the program input) and listed in `rejected` with its index.
    """
    if not 0 <= minimum_expiration_timestamp < EXPIRATION_TIMESTAMP_UPPER_BOUND:
        # The program compares expirations with it as an integer below 2^32 (main.cairo).
        raise ValueError(f"minimum expiration timestamp {minimum_expiration_timestamp} "
                         "outside [0, 2^32)")
    state.check_market_bounds()
    config: GeneralConfig = state.config
    before = state.shared_state()
    new_state = state.copy()
    accepted: list[Transaction] = []
    rejected: list[tuple[int, TransactionRejected]] = []
    modifications, forced, conditions, touched = [], [], [], set()
    for index, tx in enumerate(transactions):
        try:
            out = apply_transaction(new_state, tx, minimum_expiration_timestamp)
        except TransactionRejected as reason:
            if not skip_rejected:
                raise BatchRejected(index, reason) from reason
            rejected.append((index, reason))
            continue
        accepted.append(tx)
        modifications += [Modification(*m) for m in out.modifications]
        forced += out.forced_actions
        conditions += out.conditions
        touched |= out.touched_positions
    onchain = None
    if config.data_availability_mode == ROLLUP:
        onchain = []
        for position_id in sorted(touched):
            onchain += new_state.position(position_id).onchain_words(position_id)
    output = BatchOutput(
        general_config_hash=general_config_hash(config),
        data_availability_mode=config.data_availability_mode,
        asset_configs=[(a.asset_id, asset_config_hash(a)) for a in config.sorted_synthetics],
        previous_state=before, new_state=new_state.shared_state(),
        minimum_expiration_timestamp=minimum_expiration_timestamp,
        modifications=modifications, forced_actions=forced, conditions=conditions,
        onchain_data=onchain)
    return BatchResult(output=output, words=output.to_words(),
                       program_input=program_input(state, accepted,
                                                   minimum_expiration_timestamp),
                       state=new_state, transactions=accepted, rejected=rejected)
