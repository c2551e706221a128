"""Builds Perpetual program outputs and application data exactly as docs/program-output.md
lays them out, so contract tests can feed updateState the words a real batch would carry."""
from __future__ import annotations

from dataclasses import dataclass, field

from eth_utils import keccak

from offchain.core.facts import fact as batch_fact
from offchain.core.facts import words_hash

DELTA_BIAS = 2**64
MASK_250 = 2**250 - 1
NO_BATCH = 2**256 - 1
VALIDIUM, ROLLUP = 0, 1


@dataclass
class SharedState:
    positions_root: int = 0
    positions_height: int = 64
    orders_root: int = 0
    orders_height: int = 64
    funding_indices: list[tuple[int, int]] = field(default_factory=list)
    funding_timestamp: int = 0
    oracle_prices: list[tuple[int, int]] = field(default_factory=list)
    system_time: int = 0

    def words(self) -> list[int]:
        out = [self.positions_root, self.positions_height, self.orders_root, self.orders_height]
        out += [len(self.funding_indices)] + [w for pair in self.funding_indices for w in pair]
        out += [self.funding_timestamp]
        out += [len(self.oracle_prices)] + [w for pair in self.oracle_prices for w in pair]
        return out + [self.system_time]

    def keccak(self) -> int:
        return int.from_bytes(words_hash(self.words()), "big")


@dataclass
class Modification:
    public_key: int
    position_id: int
    delta: int

    def words(self) -> list[int]:
        return [self.public_key, self.position_id, self.delta + DELTA_BIAS]


@dataclass
class ForcedWithdrawalAction:
    public_key: int
    position_id: int
    quantized_amount: int

    def words(self) -> list[int]:
        return [0, self.public_key, self.position_id, self.quantized_amount]


@dataclass
class ForcedTradeAction:
    public_key_a: int
    public_key_b: int
    position_id_a: int
    position_id_b: int
    synthetic_asset_id: int
    amount_collateral: int
    amount_synthetic: int
    a_is_buying_synthetic: bool
    nonce: int

    def words(self) -> list[int]:
        return [1, self.public_key_a, self.public_key_b, self.position_id_a, self.position_id_b,
                self.synthetic_asset_id, self.amount_collateral, self.amount_synthetic,
                int(self.a_is_buying_synthetic), self.nonce]


@dataclass
class Condition:
    registry: str
    fact: bytes

    def word(self) -> int:
        packed = bytes.fromhex(self.registry[2:]) + self.fact
        return int.from_bytes(keccak(packed), "big") & MASK_250


@dataclass
class BatchOutput:
    general_config_hash: int
    previous_state: SharedState
    new_state: SharedState
    minimum_expiration_timestamp: int
    data_availability_mode: int = VALIDIUM
    asset_configs: list[tuple[int, int]] = field(default_factory=list)
    modifications: list[Modification] = field(default_factory=list)
    forced_actions: list[ForcedWithdrawalAction | ForcedTradeAction] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    onchain_data: list[int] = field(default_factory=list)

    def words(self) -> list[int]:
        out = [self.general_config_hash, self.data_availability_mode, len(self.asset_configs)]
        out += [w for pair in self.asset_configs for w in pair]
        for state in (self.previous_state, self.new_state):
            words = state.words()
            out += [len(words)] + words
        out += [self.minimum_expiration_timestamp, len(self.modifications)]
        out += [w for m in self.modifications for w in m.words()]
        actions = [w for a in self.forced_actions for w in a.words()]
        out += [1 + len(actions), len(self.forced_actions)] + actions
        out += [len(self.conditions)] + [c.word() for c in self.conditions]
        if self.data_availability_mode == ROLLUP:
            out += [len(self.onchain_data)] + self.onchain_data
        return out


@dataclass
class ApplicationData:
    batch_id: int
    previous_batch_id: int = NO_BATCH
    conditions: list[Condition] = field(default_factory=list)

    def words(self) -> list[int]:
        out = [self.batch_id, self.previous_batch_id]
        for c in self.conditions:
            out += [int(c.registry, 16), int.from_bytes(c.fact, "big")]
        return out


def program_output_fact(program_hash: int, output_words: list[int]) -> bytes:
    return batch_fact(program_hash.to_bytes(32, "big"), output_words)


def availability_fact(state: SharedState, sequence_number: int) -> bytes:
    words = [state.positions_root, state.positions_height, state.orders_root, state.orders_height, sequence_number]
    return words_hash(words)
