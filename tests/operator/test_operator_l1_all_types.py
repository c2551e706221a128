"""Every transaction type through the operator's HTTP API on the local node, in two batches
accepted on L1, on a genesis with one synthetic asset (BTC, three oracles, quorum two).

Batch 0 opens a market: L1 deposits, an oracle prices tick, a funding tick, two trades that
fill one order twice, a transfer, a conditional transfer whose fact is on an L1 registry, and a
withdrawal. Batch 1: a funding tick that charges the longs, an oracle tick that drops the price
so that Alice becomes liquidatable and Dave's total value negative; Carol liquidates Alice, Bob
deleverages Dave, Alice withdraws what is left, and Bob's forced withdrawal and forced trade,
requested on L1, are served. Amounts are quantized collateral (ETH_QUANTUM wei each) and
quantized BTC; prices are collateral per BTC.
"""
from dataclasses import dataclass

import pytest
from eth_utils import keccak

from clients import Gateway as ClientsGateway
from offchain.crypto.signature import private_to_public_key
from offchain.perpetual.local import ETH_QUANTUM, FEE_POSITION_ID, LocalStack, LocalSynthetic
from offchain.core.l1.users import register_user
from offchain.perpetual import signing
from offchain.perpetual.constants import FXP_32_ONE
from offchain.perpetual.position import Position, PositionAsset
from offchain.perpetual.transactions import Deleverage, FundingTick, Liquidate, Trade

BTC = 0x4254432D3130000000000000000000  # StarkEx's "BTC-10" synthetic asset id
BTC_RESOLUTION = 10**10
COLLATERAL_RESOLUTION = 10**6  # GeneralConfig's default
ORACLE_KEYS = (0x0AC1E1, 0x0AC1E2, 0x0AC1E3)
BTC_MARKET = LocalSynthetic(asset_id=BTC, resolution=BTC_RESOLUTION, risk_factor=FXP_32_ONE // 10,
                            oracle_private_keys=ORACLE_KEYS, quorum=2)
# Up to one price per hour: lets the test move the funding index by a whole unit in a minute.
MAX_FUNDING_RATE = FXP_32_ONE // 3600
FEE_KEY = 0xFEE
FEE = private_to_public_key(FEE_KEY)


@dataclass(frozen=True)
class User:
    stark_private_key: int
    account_index: int
    position_id: int
    deposit: int

    @property
    def key(self) -> int:
        return private_to_public_key(self.stark_private_key)


ALICE = User(0xA11CE, 2, 11, 13_000)
BOB = User(0xB0B, 3, 12, 50_000)
CAROL = User(0xCA201, 4, 13, 30_000)
DAVE = User(0xDA7E, 5, 14, 10_200)
USERS = (ALICE, BOB, CAROL, DAVE)


def external_price(collateral_per_btc: int) -> int:
    """An oracle's price (10^18 = one collateral unit per BTC unit) for an internal price."""
    return collateral_per_btc * 10**18 * BTC_RESOLUTION // COLLATERAL_RESOLUTION


@dataclass
class Market:
    stack: LocalStack
    condition_registry: object
    accounts: object

    @property
    def exchange(self):
        return self.stack.deployment.exchange

    @property
    def collateral(self) -> int:
        return self.stack.deployment.collateral_asset_type

    def account(self, user: User):
        return self.accounts[user.account_index]


@pytest.fixture
def market(project, accounts, chain, tmp_path):
    stack = LocalStack.deploy(project, accounts[0], accounts[1], chain, tmp_path, fee_public_key=FEE,
                              synthetics=[BTC_MARKET], max_funding_rate=MAX_FUNDING_RATE)
    exchange = stack.deployment.exchange
    for user in USERS:
        register_user(exchange, accounts[user.account_index], user.stark_private_key)
        exchange.deposit(user.key, stack.deployment.collateral_asset_type, user.position_id, user.deposit,
                         value=user.deposit * ETH_QUANTUM, sender=accounts[user.account_index])
    # Any contract with isValid(fact) can hold a condition: a second development registry.
    registry = accounts[0].deploy(project.LocalDevFactRegistry)
    return Market(stack, registry, accounts)


class Gateway(ClientsGateway):
    """The operator's HTTP API as its callers see it: the application, and the price source for ticks."""

    def add(self, tx) -> int:
        tx_id, response = self.post(tx.to_json())
        assert response.status_code == 200, response.json()
        return tx_id

    def rejects(self, tx) -> str:
        """Submits tx, which must be refused on arrival; returns the reason code."""
        tx_id, response = self.post(tx.to_json())
        assert response.status_code == 400, response.json()
        assert self.client.get("/gateway/testing/get_first_unused_tx_id").json() == tx_id  # nothing stored
        return response.json()["code"]

    def batch_info(self, batch_id: int) -> dict:
        response = self.client.get("/feeder_gateway/get_batch_info", params={"batch_id": batch_id})
        assert response.status_code == 200, response.json()
        return response.json()

    def tx_status(self, tx_id: int) -> str:
        return self.client.get("/gateway/get_transaction", params={"tx_id": tx_id}).json()["status"]


def order(user: User, *, buying: bool, synthetic: int, collateral: int, fee: int, nonce: int, market: Market,
          expiration: int):
    return signing.limit_order(user.stark_private_key, position_id=user.position_id, asset_id_synthetic=BTC,
                               asset_id_collateral=market.collateral, is_buying_synthetic=buying,
                               amount_synthetic=synthetic, amount_collateral=collateral, amount_fee=fee,
                               nonce=nonce, expiration_timestamp=expiration)


def prices_tick(collateral_per_btc_by_oracle: dict[int, int], timestamp: int):
    signed = [signing.oracle_price(key, signed_asset_id=BTC_MARKET.signed_asset_id,
                                   external_price=external_price(price), timestamp=timestamp)
              for key, price in collateral_per_btc_by_oracle.items()]
    return signing.oracle_prices_tick({BTC: signed}, timestamp)


def position(user_key: int, collateral: int, btc: int | None = None, funding_index: int = 0) -> Position:
    assets = {} if btc is None else {BTC: PositionAsset(balance=btc, cached_funding_index=funding_index)}
    return Position(public_key=user_key, collateral_balance=collateral, assets=assets)


def open_market(gateway: Gateway, market: Market, now: int, expiration: int) -> None:
    """Batch 0's user transactions (the deposits come from L1)."""
    bob_sells = order(BOB, buying=False, synthetic=2000, collateral=200_000, fee=60, nonce=1, market=market,
                      expiration=expiration)
    alice_buys = order(ALICE, buying=True, synthetic=1000, collateral=100_000, fee=20, nonce=1, market=market,
                       expiration=expiration)
    alice_trade = Trade(alice_buys, bob_sells, actual_collateral=100_000, actual_synthetic=1000, actual_a_fee=20,
                        actual_b_fee=30)
    assert gateway.rejects(alice_trade) == "MISSING_ORACLE_PRICE"  # genesis has no price yet
    assert gateway.rejects(prices_tick({ORACLE_KEYS[0]: 100}, now)) == "INVALID_ASSET_ORACLE_PRICE"  # below quorum
    gateway.add(prices_tick({ORACLE_KEYS[0]: 100, ORACLE_KEYS[2]: 101}, now))  # quorum 2: median 100
    gateway.add(FundingTick(indices={BTC: 0}, timestamp=now))
    dave_buys = order(DAVE, buying=True, synthetic=1000, collateral=100_000, fee=0, nonce=1, market=market,
                      expiration=expiration)
    gateway.add(alice_trade)
    gateway.add(Trade(dave_buys, bob_sells, actual_collateral=100_000, actual_synthetic=1000, actual_a_fee=0,
                      actual_b_fee=30))  # fills the rest of Bob's order
    gateway.add(signing.transfer(CAROL.stark_private_key, asset_id=market.collateral,
                                 sender_position_id=CAROL.position_id, receiver_position_id=BOB.position_id,
                                 receiver_public_key=BOB.key, amount=1_000, nonce=1, expiration_timestamp=expiration))
    fact = keccak(b"an off-chain payment to Bob was made")
    market.condition_registry.registerFact(fact, sender=market.accounts[0])
    gateway.add(signing.transfer(BOB.stark_private_key, asset_id=market.collateral, sender_position_id=BOB.position_id,
                                 receiver_position_id=CAROL.position_id, receiver_public_key=CAROL.key, amount=400,
                                 nonce=2, expiration_timestamp=expiration,
                                 condition_of=(int(market.condition_registry.address, 16), int.from_bytes(fact, "big"))))
    gateway.add(signing.withdrawal(CAROL.stark_private_key, collateral_asset_id=market.collateral,
                                   position_id=CAROL.position_id, amount=2_400, nonce=2, expiration_timestamp=expiration))


def crash_and_close(gateway: Gateway, market: Market, later: int, expiration: int) -> None:
    """Batch 1's user and operator transactions."""
    gateway.add(FundingTick(indices={BTC: FXP_32_ONE}, timestamp=later))  # longs pay 1 per BTC to shorts
    carol_buys = order(CAROL, buying=True, synthetic=1000, collateral=89_000, fee=100, nonce=3, market=market,
                       expiration=expiration)
    liquidation = Liquidate(liquidator_order=carol_buys, liquidated_position_id=ALICE.position_id,
                            actual_collateral=89_000, actual_synthetic=1000, actual_liquidator_fee=50)
    assert gateway.rejects(liquidation) == "UNLIQUIDATABLE_POSITION"  # at 100, Alice is well leveraged
    gateway.add(prices_tick({key: price for key, price in zip(ORACLE_KEYS, (90, 88, 89))}, later))  # median 89
    gateway.add(liquidation)
    # Dave's TV is -1,800: the fair deleverage leaves him exactly 0 collateral.
    gateway.add(Deleverage(deleveraged_position_id=DAVE.position_id, deleverager_position_id=BOB.position_id,
                           synthetic_asset_id=BTC, amount_collateral=90_800, amount_synthetic=1000,
                           deleverager_is_buying_synthetic=True))
    gateway.add(signing.withdrawal(ALICE.stark_private_key, collateral_asset_id=market.collateral,
                                   position_id=ALICE.position_id, amount=980, nonce=2, expiration_timestamp=expiration))


def request_forced_actions_on_l1(market: Market, chain):
    """Bob forces a withdrawal, and a trade that Carol signed for him (EIP-712)."""
    exchange = market.exchange
    exchange.forcedWithdrawalRequest(BOB.key, BOB.position_id, 740, False, sender=market.account(BOB))
    trade = signing.ForcedTradeRequest(
        starkKeyA=BOB.key, starkKeyB=CAROL.key, positionIdA=BOB.position_id, positionIdB=CAROL.position_id,
        collateralAssetId=market.collateral, syntheticAssetId=BTC, amountCollateral=8_900, amountSynthetic=100,
        aIsBuyingSynthetic=True, nonce=7)
    submission_expiration = chain.pending_timestamp + 3600
    signature = signing.forced_trade_signature(market.account(CAROL).private_key, trade, submission_expiration,
                                               exchange.address, chain.chain_id)
    exchange.forcedTradeRequest(trade.as_tuple(), submission_expiration, signature, False, sender=market.account(BOB))
    return [exchange.forcedWithdrawalKey(BOB.key, BOB.position_id, 740), exchange.forcedTradeKey(trade.as_tuple())]


def withdraw_to_l1(market: Market, user: User, amount: int) -> None:
    """The user takes the credited amount out; their ETH balance rises by exactly that."""
    exchange, account = market.exchange, market.account(user)
    assert exchange.getWithdrawalBalance(user.key, market.collateral) == amount
    before = account.balance
    receipt = exchange.withdraw(user.key, market.collateral, sender=account)
    assert account.balance == before + amount * ETH_QUANTUM - receipt.total_fees_paid
    assert exchange.getWithdrawalBalance(user.key, market.collateral) == 0


def test_every_transaction_type_through_the_api_accepted_on_l1(market, chain):
    stack, exchange = market.stack, market.exchange
    operator = stack.operator()
    gateway = Gateway(operator)
    now = chain.pending_timestamp
    expiration = now // 3600 + 24

    # --- batch 0: deposits from L1, then the market opens -------------------------------------
    assert operator.watcher.poll() == [0, 1, 2, 3]
    open_market(gateway, market, now, expiration)
    assert [b.batch_id for b in operator.drain()] == [0]
    info = gateway.batch_info(0)
    assert info["status"] == "ACCEPTED" and info["tx_ids"] == [0, 10]
    assert gateway.tx_status(10) == "ACCEPTED"
    assert exchange.lastBatchId() == 0
    # Accepted through the STARK verifier alone: this project's proof of the batch's Cairo run,
    # registered by the on-chain verifier, the exchange's only verifier.
    assert list(exchange.getVerifierChain()) == [stack.stark.registry.address]
    proven = operator.store.get_batch(0).data
    assert proven["prover"] == "stark" and proven["proof_size"] > 0 and len(proven["registration_transactions"]) > 1
    conditional = operator.store.get_transaction(9).tx
    assert conditional["type"] == "CONDITIONAL_TRANSFER"
    # The condition L1 checked against the registry: in the batch's application data.
    assert operator.store.get_batch(0).data["application_data"][2:] == [
        int(market.condition_registry.address, 16), conditional["fact"]]
    state = operator.pipeline.executor.state
    assert exchange.positionsRoot() == state.positions_root
    assert state.oracle_prices == {BTC: 100 * FXP_32_ONE}
    assert state.position(ALICE.position_id) == position(ALICE.key, 13_000 - 100_000 - 20, 1000)
    assert state.position(DAVE.position_id) == position(DAVE.key, 10_200 - 100_000, 1000)
    assert state.position(BOB.position_id) == position(BOB.key, 50_000 + 200_000 - 60 + 1_000 - 400, -2000)
    assert state.position(CAROL.position_id) == position(CAROL.key, 30_000 - 1_000 + 400 - 2_400)
    assert state.position(FEE_POSITION_ID) == position(FEE, 20 + 30 + 30)
    for user in USERS:
        assert exchange.getPendingDeposit(user.key, market.collateral, user.position_id) == 0
    withdraw_to_l1(market, CAROL, 2_400)

    # --- batch 1: the price drops; liquidation, deleverage, forced actions ---------------------
    crash_and_close(gateway, market, now + 60, expiration)
    request_keys = request_forced_actions_on_l1(market, chain)
    assert all(exchange.forcedRequestTime(key) > 0 for key in request_keys)
    forced = operator.watcher.poll()
    assert [operator.store.get_transaction(t).tx["type"] for t in forced] == ["FORCED_WITHDRAWAL", "FORCED_TRADE"]
    assert [operator.store.get_transaction(t).tx["is_valid"] for t in forced] == [1, 1]
    assert [b.batch_id for b in operator.drain()] == [1]
    assert gateway.batch_info(1)["status"] == "ACCEPTED"
    assert exchange.lastBatchId() == 1
    state = operator.pipeline.executor.state
    assert exchange.positionsRoot() == state.positions_root
    assert state.oracle_prices == {BTC: 89 * FXP_32_ONE} and state.funding_indices == {BTC: FXP_32_ONE}
    # Alice paid 1,000 funding and sold her BTC at 89; Dave is closed at exactly 0.
    assert state.position(ALICE.position_id).is_empty
    assert state.position(DAVE.position_id).is_empty
    assert state.position(CAROL.position_id) == position(CAROL.key, 27_000 - 89_000 - 50 + 8_900, 900, FXP_32_ONE)
    assert state.position(BOB.position_id) == position(BOB.key, 250_540 + 2_000 - 90_800 - 740 - 8_900, -900,
                                                       FXP_32_ONE)
    assert state.position(FEE_POSITION_ID) == position(FEE, 80 + 50)
    assert all(exchange.forcedRequestTime(key) == 0 for key in request_keys)  # served on L1
    withdraw_to_l1(market, ALICE, 980)
    withdraw_to_l1(market, BOB, 740)
