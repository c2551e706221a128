"""The user's escape client on the local node, against the real operator's batches.

Two batches are accepted on L1 (deposits, then a transfer); Alice's forced withdrawal is never
served; a week later anyone freezes the exchange. The client, given only the exchange's address
and the chain, rebuilds the positions tree from the calldata of the accepted updates and
escapes Alice's and Bob's positions: each owner's ETH rises by the collateral the operator's
model holds for the position, times the quantum. A second market puts a synthetic, funding and
prices into the positions the client escapes; a lying node, tampered calldata and a missing batch
are refused before anything is sent.
"""
from dataclasses import dataclass, replace

import ape
import pytest
from clients import Gateway
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offchain.crypto.signature import private_to_public_key
from offchain.perpetual.escape import (AlreadyEscaped, EscapeClient, NotFrozen, RebuildMismatch, packed_assets,
                                position_value, read_accepted_batches, rebuild)
from offchain.perpetual.local import ETH_QUANTUM, LocalStack, LocalSynthetic
from offchain.core.l1.users import register_user
from offchain.perpetual import signing
from offchain.perpetual.constants import FXP_32_ONE
from offchain.perpetual.position import Position, PositionAsset
from offchain.perpetual.rules import Market, apply_funding, status
from offchain.perpetual.state import SharedState
from offchain.perpetual.transactions import FundingTick, Trade
from dev_registry import dev_registry

ALICE_KEY, BOB_KEY, FEE_KEY = 0xA11CE, 0xB0B, 0xFEE
ALICE, BOB, FEE = (private_to_public_key(k) for k in (ALICE_KEY, BOB_KEY, FEE_KEY))
ALICE_POSITION, BOB_POSITION = 11, 12
WEEK = 7 * 24 * 3600
HEIGHT = 8  # an escape hashes once per level on L1, and ape traces every EVM step of it
BTC = 0x4254432D3130000000000000000000  # StarkEx's "BTC-10" synthetic asset id
BTC_RESOLUTION, COLLATERAL_RESOLUTION = 10**10, 10**6  # the latter is GeneralConfig's default
ORACLE_KEY = 0x0AC1E1
BTC_MARKET = LocalSynthetic(asset_id=BTC, resolution=BTC_RESOLUTION, risk_factor=FXP_32_ONE // 10,
                            oracle_private_keys=(ORACLE_KEY,), quorum=1)


@dataclass
class Frozen:
    stack: LocalStack
    final_positions: dict  # position id -> Position, as the operator's model ends
    alice: object
    bob: object
    outsider: object

    @property
    def exchange(self):
        return self.stack.deployment.exchange


def _submit(operator, tx) -> None:
    tx_id, response = Gateway(operator).post(tx.to_json())
    assert response.status_code == 200, response.json()


@pytest.fixture
def frozen(project, accounts, chain, tmp_path):
    alice, bob, outsider = accounts[2], accounts[3], accounts[9]
    stack = LocalStack.deploy(project, accounts[0], accounts[1], chain, tmp_path,
                              fee_public_key=FEE, run_cairo=False, **dev_registry(project, accounts[0]), positions_tree_height=HEIGHT)
    exchange, collateral = stack.deployment.exchange, stack.deployment.collateral_asset_type
    register_user(exchange, alice, ALICE_KEY)
    register_user(exchange, bob, BOB_KEY)
    exchange.deposit(ALICE, collateral, ALICE_POSITION, 1000, value=1000 * ETH_QUANTUM, sender=alice)
    exchange.deposit(BOB, collateral, BOB_POSITION, 250, value=250 * ETH_QUANTUM, sender=bob)
    operator = stack.operator()
    assert [b.batch_id for b in operator.drain()] == [0]  # the deposits
    expiration = chain.pending_timestamp // 3600 + 24
    _submit(operator, signing.transfer(ALICE_KEY, asset_id=collateral, sender_position_id=ALICE_POSITION,
                                       receiver_position_id=BOB_POSITION, receiver_public_key=BOB, amount=321,
                                       nonce=1, expiration_timestamp=expiration))
    assert [b.batch_id for b in operator.drain()] == [1]
    final = operator.pipeline.executor.state
    assert exchange.positionsRoot() == final.positions_root
    # From here on the operator is gone: Alice's request is never served.
    request = exchange.forcedWithdrawalRequest(ALICE, ALICE_POSITION, 100, False, sender=alice)
    chain.pending_timestamp = request.timestamp + WEEK + 1
    exchange.freezeRequest(request.events[0].requestKey, sender=outsider)
    assert exchange.frozen()
    positions = {p: final.position(p) for p in (ALICE_POSITION, BOB_POSITION)}
    return Frozen(stack, positions, alice, bob, outsider)


def test_client_escapes_two_positions_from_l1_data_alone(project, chain, frozen):
    client = EscapeClient.at(project, frozen.exchange.address, chain)
    state = client.state()
    assert [b.sequence_number for b in state.batches] == [1, 2]
    assert state.positions == frozen.final_positions
    assert {p: client.payout(p) for p in frozen.final_positions} == \
        {ALICE_POSITION: 1000 - 321, BOB_POSITION: 250 + 321}
    assert {p: client.payout(p) for p in frozen.final_positions} == \
        {p: pos.collateral_balance for p, pos in frozen.final_positions.items()}

    for position_id, owner, key in [(ALICE_POSITION, frozen.alice, ALICE), (BOB_POSITION, frozen.bob, BOB)]:
        expected = frozen.final_positions[position_id].collateral_balance
        report = client.report(position_id)
        assert (report.stark_key, report.owner, report.payout, report.payout_base_units, report.escaped) == \
            (key, owner.address, expected, expected * ETH_QUANTUM, False)
        before = owner.balance
        assert client.escape_and_withdraw(position_id, sender=frozen.outsider) == expected
        assert owner.balance == before + expected * ETH_QUANTUM  # the outsider paid the gas
        assert frozen.exchange.isEscaped(position_id) and client.report(position_id).escaped
        assert frozen.exchange.getWithdrawalBalance(key, frozen.stack.deployment.collateral_asset_type) == 0

    with pytest.raises(AlreadyEscaped):
        client.escape(ALICE_POSITION, sender=frozen.alice)
    # L1 itself refuses the same arguments a second time, whoever sends them.
    with ape.reverts(frozen.exchange.PositionAlreadyEscaped):
        frozen.exchange.escape(*client.arguments(ALICE_POSITION).call_args(), sender=frozen.alice)


def _prices_tick(collateral_per_btc: int, timestamp: int):
    external = collateral_per_btc * 10**18 * BTC_RESOLUTION // COLLATERAL_RESOLUTION
    signed = signing.oracle_price(ORACLE_KEY, signed_asset_id=BTC_MARKET.signed_asset_id, external_price=external,
                                  timestamp=timestamp)
    return signing.oracle_prices_tick({BTC: [signed]}, timestamp)


def _order(private_key: int, position_id: int, collateral_asset: int, buying: bool, expiration: int):
    return signing.limit_order(private_key, position_id=position_id, asset_id_synthetic=BTC,
                               asset_id_collateral=collateral_asset, is_buying_synthetic=buying,
                               amount_synthetic=1000, amount_collateral=100_000, amount_fee=50, nonce=1,
                               expiration_timestamp=expiration)


def test_client_escapes_positions_holding_a_synthetic_at_the_last_funding_and_prices(project, accounts, chain,
                                                                                    tmp_path):
    """Alice goes long BTC against Bob at 100 (batch 0); the funding index then rises by one per
    BTC unit and the price to 103 (batch 1). Escape pays each side the model's value at that state."""
    alice, bob, outsider = accounts[2], accounts[3], accounts[9]
    stack = LocalStack.deploy(project, accounts[0], accounts[1], chain, tmp_path, fee_public_key=FEE,
                              run_cairo=False, **dev_registry(project, accounts[0]), positions_tree_height=HEIGHT, synthetics=[BTC_MARKET],
                              max_funding_rate=FXP_32_ONE // 3600)
    exchange, collateral = stack.deployment.exchange, stack.deployment.collateral_asset_type
    for account, key, private_key, position_id, amount in [(alice, ALICE, ALICE_KEY, ALICE_POSITION, 13_000),
                                                           (bob, BOB, BOB_KEY, BOB_POSITION, 50_000)]:
        register_user(exchange, account, private_key)
        exchange.deposit(key, collateral, position_id, amount, value=amount * ETH_QUANTUM, sender=account)
    operator = stack.operator()
    operator.watcher.poll()
    now = chain.pending_timestamp
    expiration = now // 3600 + 24
    for tx in [_prices_tick(100, now), FundingTick(indices={BTC: 0}, timestamp=now),
               Trade(_order(ALICE_KEY, ALICE_POSITION, collateral, True, expiration),
                     _order(BOB_KEY, BOB_POSITION, collateral, False, expiration),
                     actual_collateral=100_000, actual_synthetic=1000, actual_a_fee=50, actual_b_fee=50)]:
        _submit(operator, tx)
    assert [b.batch_id for b in operator.drain()] == [0]
    for tx in [FundingTick(indices={BTC: FXP_32_ONE}, timestamp=now + 60), _prices_tick(103, now + 60)]:
        _submit(operator, tx)
    assert [b.batch_id for b in operator.drain()] == [1]
    final = operator.pipeline.executor.state
    assert final.position(ALICE_POSITION).assets[BTC] == PositionAsset(balance=1000, cached_funding_index=0)
    request = exchange.forcedWithdrawalRequest(BOB, BOB_POSITION, 1, False, sender=bob)
    chain.pending_timestamp = request.timestamp + WEEK + 1
    exchange.freezeRequest(request.events[0].requestKey, sender=outsider)

    client = EscapeClient.at(project, exchange.address, chain)
    market = Market(final.config, final.funding_indices, final.oracle_prices)
    for position_id, owner in [(ALICE_POSITION, alice), (BOB_POSITION, bob)]:
        position = final.position(position_id)
        model_value = status(apply_funding(position, final.funding_indices), market)[0] // FXP_32_ONE
        assert model_value != position.collateral_balance  # the synthetic and its funding count
        assert client.report(position_id).payout == model_value > 0
        before = owner.balance
        assert client.escape_and_withdraw(position_id, sender=outsider) == model_value
        assert owner.balance == before + model_value * ETH_QUANTUM


class WrongRootExchange:
    """The exchange as a client would see it through a node that lies about positionsRoot()."""

    def __init__(self, exchange):
        self._exchange = exchange

    def __getattr__(self, name):
        return getattr(self._exchange, name)

    def positionsRoot(self):
        return int(self._exchange.positionsRoot()) ^ 1


def test_client_refuses_when_its_rebuild_disagrees_with_l1(project, chain, frozen):
    exchange = frozen.exchange
    lied_to = EscapeClient(WrongRootExchange(exchange), chain)
    height = chain.blocks.height
    with pytest.raises(RebuildMismatch, match="positionsRoot"):
        lied_to.escape(BOB_POSITION, sender=frozen.bob)
    assert chain.blocks.height == height  # nothing was sent

    batches = read_accepted_batches(exchange, chain)
    root, shared_hash = int(exchange.positionsRoot()), int(exchange.sharedStateHash())
    assert rebuild(batches, root, shared_hash).tree.root == root

    # Calldata whose position data was altered (Alice given one more unit) cannot replay to its root.
    last = batches[-1]
    data = list(last.output.onchain_data)
    alice_at = data.index(ALICE_POSITION)
    data[alice_at + 2] += 1
    tampered = replace(last, output=replace(last.output, onchain_data=data))
    with pytest.raises(RebuildMismatch, match="replaying state update 2"):
        rebuild(batches[:-1] + [tampered], root, shared_hash)
    # Calldata whose new shared state is not the one L1 logged for it (another system time).
    new_state = last.output.new_state
    forged = replace(last, output=replace(last.output, new_state=replace(new_state, system_time=new_state.system_time + 1)))
    with pytest.raises(RebuildMismatch, match="the event logged"):
        rebuild(batches[:-1] + [forged], root, shared_hash)
    # A shared state that is not the last one L1 accepted is refused.
    with pytest.raises(RebuildMismatch, match="sharedStateHash"):
        rebuild(batches[:-1], int(batches[0].output.new_state.positions_root), shared_hash)
    # A missing batch breaks the chain of roots.
    with pytest.raises(RebuildMismatch):
        rebuild(batches[1:], root, shared_hash)

    # Once governance unfreezes (a year after the freeze at the earliest), the client reports but does not send.
    chain.pending_timestamp += 365 * 24 * 3600
    exchange.unfreeze(sender=frozen.stack.deployer)
    honest = EscapeClient.at(project, exchange.address, chain)
    assert honest.report(BOB_POSITION).payout == frozen.final_positions[BOB_POSITION].collateral_balance
    with pytest.raises(NotFrozen):
        honest.escape(BOB_POSITION, sender=frozen.bob)


def _shared_state(funding: dict[int, int], prices: dict[int, int]) -> SharedState:
    return SharedState(positions_root=0, positions_height=HEIGHT, orders_root=0, orders_height=64,
                       funding_indices=funding, funding_timestamp=1, oracle_prices=prices, system_time=1)


@pytest.fixture(scope="module")
def escape_verifier(project, accounts):
    return accounts[0].deploy(project.EscapeVerifier)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    collateral=st.integers(-(2**40), 2**40),
    assets=st.dictionaries(st.integers(1, 4), st.tuples(st.integers(-(2**30), 2**30).filter(bool),
                                                        st.integers(-(2**40), 2**40)), max_size=3),
    moves=st.lists(st.integers(-(2**40), 2**40), min_size=4, max_size=4),
    prices=st.lists(st.integers(1, 2**50), min_size=4, max_size=4),
)
def test_reported_value_is_what_the_escape_verifier_computes(escape_verifier, collateral, assets, moves, prices):
    """The client's packing (the leaf L1 hashes from it) and valuation of a position with
    synthetics agree with L1's."""
    position = Position(public_key=7, collateral_balance=collateral,
                        assets={a: PositionAsset(balance=b, cached_funding_index=f) for a, (b, f) in assets.items()})
    funding = {a: (assets[a][1] if a in assets else 0) + moves[a - 1] for a in range(1, 5)}
    state = _shared_state(funding, {a: prices[a - 1] for a in range(1, 5)})
    packed = packed_assets(position)
    assert escape_verifier.positionLeaf(position.public_key, collateral, packed) == position.leaf_hash()
    assert position_value(position, state) == \
        escape_verifier.positionValue(collateral, packed, state.to_output_words())
