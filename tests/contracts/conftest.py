"""Fixtures for the exchange contracts: StarkPerpetual behind its upgrade proxy, initialized in
the deploying transaction (offchain.perpetual.exchange.deploy_stark_perpetual, as every deployment), with
a development fact registry as the verifier chain, a committee, and helpers to submit batches."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import fast_stark_crypto as fsc
import pytest
from eth_utils import keccak

from offchain.perpetual.exchange import deploy_stark_perpetual
from offchain.core.l1.users import register_user

from .batch_builder import (
    NO_BATCH, VALIDIUM, ApplicationData, BatchOutput, Modification, SharedState,
    availability_fact, program_output_fact,
)

PROGRAM_HASH = int.from_bytes(keccak(b"perpetual batch program"), "big")
CONFIG_HASH = 0x1234567
ETH_ASSET_INFO = keccak(b"ETH()")[:4]
QUANTUM = 10**10
FREEZE_GRACE_PERIOD = 7 * 24 * 3600
# The one synthetic asset of the test exchanges' configuration, with a stand-in config hash.
SYNTHETIC_ASSET_ID = 0x4254432D3130000000000000000000
SYNTHETIC_CONFIG_HASH = 0xA55E7C0


def erc20_asset_info(token_address: str) -> bytes:
    return keccak(b"ERC20Token(address)")[:4] + bytes(12) + bytes.fromhex(token_address[2:])


def asset_type(asset_info: bytes, quantum: int) -> int:
    return int.from_bytes(keccak(asset_info + quantum.to_bytes(32, "big")), "big") & (2**250 - 1)


def stark_key(private_key: int) -> int:
    return fsc.get_public_key(private_key)


STARK_PRIME = 2**251 + 17 * 2**192 + 1
STARK_BETA = 0x6F21413EFBE40DE150E596D72F7A8C5609AD26C15C915C1F4CDFCB99CEE9E89


def off_curve(start: int) -> int:
    """The least x >= start that is no stark key: no curve point has it as x-coordinate."""
    x = start
    while pow((x**3 + x + STARK_BETA) % STARK_PRIME, (STARK_PRIME - 1) // 2, STARK_PRIME) == 1:
        x += 1
    return x


@pytest.fixture(scope="session")
def escape_verifier(project, accounts):
    return accounts[0].deploy(project.EscapeVerifier)


@pytest.fixture(scope="session")
def governor(accounts):
    return accounts[0]


@pytest.fixture(scope="session")
def operator(accounts):
    return accounts[1]


@pytest.fixture(scope="session")
def alice(accounts):
    return accounts[2]


@pytest.fixture(scope="session")
def bob(accounts):
    return accounts[3]


@pytest.fixture(scope="session")
def outsider(accounts):
    return accounts[9]


@dataclass
class Exchange:
    """A deployed exchange and the state a test needs to build its next batch."""
    contract: object
    registry: object
    committee: object | None
    governor: object
    operator: object
    chain: object
    state: SharedState
    batch_id: int = NO_BATCH
    sequence_number: int = 0
    collateral: int = 0
    extra: dict = field(default_factory=dict)

    def next_state(self, **changes) -> SharedState:
        fields = dict(vars(self.state))
        fields["system_time"] = self.chain.pending_timestamp
        fields.update(changes)
        return SharedState(**fields)

    def batch(self, modifications: list[Modification] = (), **kwargs) -> BatchOutput:
        kwargs.setdefault("asset_configs", list(ASSET_CONFIGS))
        return BatchOutput(
            general_config_hash=kwargs.pop("general_config_hash", CONFIG_HASH),
            previous_state=kwargs.pop("previous_state", self.state),
            new_state=kwargs.pop("new_state", None) or self.next_state(),
            minimum_expiration_timestamp=kwargs.pop(
                "minimum_expiration_timestamp", self.chain.pending_timestamp // 3600 + 1),
            modifications=list(modifications),
            **kwargs,
        )

    def prove(self, output: BatchOutput, availability: bool = True) -> list[int]:
        """Registers the batch's fact (and its availability fact) as a prover and committee would."""
        words = output.words()
        self.registry.registerFact(program_output_fact(PROGRAM_HASH, words), sender=self.governor)
        if availability and self.committee is not None:
            self.committee.registerFact(
                availability_fact(output.new_state, self.sequence_number + 1), sender=self.governor)
        return words

    def app_data(self, **kwargs) -> ApplicationData:
        return ApplicationData(batch_id=kwargs.pop("batch_id", self.next_batch_id()),
                               previous_batch_id=kwargs.pop("previous_batch_id", self.batch_id), **kwargs)

    def freeze(self, owner, owner_key: int, position_id: int, anyone):
        """Freezes the exchange the only way anyone can: a forced withdrawal the operator leaves
        unserved past the 7-day grace period. Returns the freezeRequest receipt."""
        request = self.contract.forcedWithdrawalRequest(owner_key, position_id, 1, False, sender=owner)
        self.chain.pending_timestamp = request.timestamp + FREEZE_GRACE_PERIOD + 1
        return self.contract.freezeRequest(request.events[0].requestKey, sender=anyone)

    def next_batch_id(self) -> int:
        return 0 if self.batch_id == NO_BATCH else self.batch_id + 1

    def submit(self, output: BatchOutput, app: ApplicationData | None = None, prove: bool = True):
        words = self.prove(output) if prove else output.words()
        app = app or self.app_data()
        receipt = self.contract.updateState(words, app.words(), sender=self.operator)
        self.state = output.new_state
        self.batch_id = app.batch_id
        self.sequence_number += 1
        return receipt


ASSET_CONFIGS = [(SYNTHETIC_ASSET_ID, SYNTHETIC_CONFIG_HASH)]


def init_params(governor, escape_verifier, verifier_chain, availability_verifiers, state: SharedState, *,
                mode=VALIDIUM, program_hash=PROGRAM_HASH, config_hash=CONFIG_HASH,
                asset_configs=tuple(ASSET_CONFIGS)) -> tuple:
    """InitParams (contracts/perpetual/PerpetualTypes.sol) as the tuple initialize takes."""
    return (governor.address, escape_verifier.address, list(verifier_chain), list(availability_verifiers),
            program_hash, config_hash, [w for pair in asset_configs for w in pair], mode, state.words())


def deploy_exchange(project, governor, operator, chain, escape_verifier, *, asset_info=ETH_ASSET_INFO,
                    quantum=QUANTUM, positions_root=0, positions_height=64, mode=VALIDIUM) -> Exchange:
    registry = governor.deploy(project.LocalDevFactRegistry)
    # A second development registry stands in for the committee where a test needs no signatures.
    committee = governor.deploy(project.LocalDevFactRegistry)
    state = SharedState(positions_root=positions_root, positions_height=positions_height,
                        system_time=chain.pending_timestamp)
    params = init_params(governor, escape_verifier, [registry.address],
                         [committee.address] if mode == VALIDIUM else [], state, mode=mode)
    contract = deploy_stark_perpetual(project, governor, params)
    contract.registerOperator(operator, sender=governor)
    exchange = Exchange(contract, registry, committee if mode == VALIDIUM else None, governor, operator, chain, state)
    if asset_info is not None:
        contract.registerCollateralAsset(asset_info, quantum, sender=governor)
        exchange.collateral = contract.collateralAssetType()
    return exchange


# Deployed once per module; ape's isolation reverts the chain to this point after each test,
# and each test gets its own copy of the Python-side bookkeeping.
@pytest.fixture(scope="module")
def _exchange(project, governor, operator, chain, escape_verifier) -> Exchange:
    return deploy_exchange(project, governor, operator, chain, escape_verifier)


@pytest.fixture(scope="module")
def _bare_exchange(project, governor, operator, chain, escape_verifier) -> Exchange:
    return deploy_exchange(project, governor, operator, chain, escape_verifier, asset_info=None)


@pytest.fixture
def exchange(_exchange) -> Exchange:
    return replace(_exchange, extra={})


@pytest.fixture
def bare_exchange(_bare_exchange) -> Exchange:
    """Initialized, without a collateral asset."""
    return replace(_bare_exchange, extra={})


ALICE_STARK_PRIVATE = 0x3C1E9550E66958296D11B60F8E8E7A7AD990D07FA65D5F7652C4A6C87D4E3CC
BOB_STARK_PRIVATE = 0x2B1F6E5A0C9D8E7F6A5B4C3D2E1F0A9B8C7D6E5F4A3B2C1D0E9F8A7B6C5D4E3


@pytest.fixture
def alice_key(exchange, alice) -> int:
    register_user(exchange.contract, alice, ALICE_STARK_PRIVATE)
    return stark_key(ALICE_STARK_PRIVATE)


@pytest.fixture
def bob_key(exchange, bob) -> int:
    register_user(exchange.contract, bob, BOB_STARK_PRIVATE)
    return stark_key(BOB_STARK_PRIVATE)


def pytest_terminal_summary(terminalreporter):
    from . import report

    for section, lines in report.SECTIONS.items():
        terminalreporter.section(section)
        for line in lines:
            terminalreporter.write_line(line)
