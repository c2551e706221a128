"""A small Perpetual world for the Cairo batch-program tests: keys, config, signed requests,
and the check that the program and the Python reference model agree word for word."""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest

from offchain.core.batch_program import BatchRejected as CairoBatchRejected
from offchain.core.batch_program import BatchRun, run_batch
from offchain.crypto import messages
from offchain.crypto.signature import private_to_public_key, sign
from offchain.perpetual.batch import BatchRejected as ModelBatchRejected
from offchain.perpetual.batch import execute_batch, program_input
from offchain.perpetual.config import GeneralConfig, SyntheticAsset
from offchain.perpetual.constants import FXP_32_ONE
from offchain.perpetual.errors import Reason
from offchain.perpetual.position import Position, PositionAsset
from offchain.perpetual.state import PerpetualState
from offchain.perpetual.transactions import (
    ConditionalTransfer, Order, SignedOraclePrice, Trade, Transfer, Withdrawal, WithdrawalToAddress)

COLLATERAL = 1
BTC = 2
ETH = 3
HEIGHT = 8  # a small positions tree keeps runs fast; order ids are 64-bit, so orders stay at 64

ALICE_SK, BOB_SK, CAROL_SK, FEE_SK = 0xA11CE, 0xB0B, 0xCA201, 0xFEE
ALICE, BOB, CAROL, FEE = (private_to_public_key(k) for k in (ALICE_SK, BOB_SK, CAROL_SK, FEE_SK))
FEE_POSITION = 200
ORACLE_SKS = (0x0AC1E1, 0x0AC1E2, 0x0AC1E3)
ORACLES = tuple(sorted(private_to_public_key(k) for k in ORACLE_SKS))
ORACLE_SK_OF = {private_to_public_key(k): k for k in ORACLE_SKS}
BTC_SIGNED_ID = messages.signed_asset_id(int.from_bytes(b"BTCUSD".ljust(16, b"\0"), "big"),
                                         int.from_bytes(b"Maker", "big"))

SYSTEM_TIME = 1_700_000_000
EXPIRATION = SYSTEM_TIME // 3600 + 24 * 7  # hours
MIN_EXPIRATION = SYSTEM_TIME // 3600 + 1
PRICE_BTC = 100 * FXP_32_ONE  # 100 quantized collateral per quantized BTC
PRICE_ETH = 5 * FXP_32_ONE
RISK_10_PERCENT = FXP_32_ONE // 10


def make_config(**overrides) -> GeneralConfig:
    fields = dict(
        collateral_asset_id=COLLATERAL, fee_position_id=FEE_POSITION, fee_public_key=FEE,
        positions_tree_height=HEIGHT, orders_tree_height=64, max_funding_rate=1000,
        synthetic_assets=(
            SyntheticAsset(asset_id=ETH, resolution=10**8, risk_factor=RISK_10_PERCENT),
            SyntheticAsset(asset_id=BTC, resolution=10**10, risk_factor=RISK_10_PERCENT,
                           oracle_price_quorum=2, oracle_price_signers=ORACLES,
                           oracle_price_signed_asset_ids=(BTC_SIGNED_ID,)),
        ),
        data_availability_mode=1)
    fields.update(overrides)
    return GeneralConfig(**fields)


def make_state(positions: dict[int, Position] | None = None, config: GeneralConfig | None = None,
               funding: dict[int, int] | None = None, orders: dict[int, int] | None = None,
               ) -> PerpetualState:
    return PerpetualState(
        config=config or make_config(), positions=dict(positions or {}),
        orders=dict(orders or {}),
        funding_indices=funding if funding is not None else {BTC: 0, ETH: 0},
        funding_timestamp=SYSTEM_TIME - 60,
        oracle_prices={BTC: PRICE_BTC, ETH: PRICE_ETH}, system_time=SYSTEM_TIME)


def position(key: int, collateral: int, **synthetics: tuple[int, int]) -> Position:
    """synthetics: BTC=(balance, cached_funding_index)."""
    ids = {"BTC": BTC, "ETH": ETH}
    return Position(public_key=key, collateral_balance=collateral,
                    assets={ids[name]: PositionAsset(balance=b, cached_funding_index=f)
                            for name, (b, f) in synthetics.items()})


def withdrawal(sk: int, position_id: int, amount: int, nonce: int = 1,
               expiration: int = EXPIRATION, signer_sk: int | None = None) -> Withdrawal:
    msg = messages.withdrawal_hash(asset_id_collateral=COLLATERAL, position_id=position_id,
                                   nonce=nonce, amount=amount, expiration_timestamp=expiration)
    return Withdrawal(position_id=position_id, public_key=private_to_public_key(sk),
                      amount=amount, nonce=nonce, expiration_timestamp=expiration,
                      signature=sign(signer_sk or sk, msg))


def withdrawal_to_address(sk: int, position_id: int, eth_address: int, amount: int, nonce: int = 1,
                          expiration: int = EXPIRATION, signer_sk: int | None = None,
                          signed_address: int | None = None) -> WithdrawalToAddress:
    """signed_address: the address the signature covers, if not eth_address (an attacker's edit)."""
    msg = messages.withdrawal_to_address_hash(
        asset_id_collateral=COLLATERAL, eth_address=eth_address if signed_address is None else signed_address,
        position_id=position_id, nonce=nonce, amount=amount, expiration_timestamp=expiration)
    return WithdrawalToAddress(position_id=position_id, public_key=private_to_public_key(sk),
                               eth_address=eth_address, amount=amount, nonce=nonce,
                               expiration_timestamp=expiration, signature=sign(signer_sk or sk, msg))


def transfer(sk: int, sender: int, receiver_key: int, receiver: int, amount: int,
             nonce: int = 1, asset_id: int = COLLATERAL, expiration: int = EXPIRATION,
             condition_of: tuple[int, int] | None = None, signer_sk: int | None = None,
             signed_condition: int | None = None, src_fee_position_id: int | None = None,
             signed_fee_position_id: int | None = None):
    """A transfer, or with condition_of=(registry, fact) a conditional transfer whose fee
    position is src_fee_position_id (default the sender); signed_* sign another value."""
    condition = 0
    if condition_of is not None:
        registry, fact = condition_of
        condition = messages.fact_to_condition(registry.to_bytes(20, "big"), fact.to_bytes(32, "big"))
    if signed_condition is not None:
        condition = signed_condition
    msg = messages.transfer_hash(
        asset_id=asset_id, receiver_public_key=receiver_key, sender_position_id=sender,
        receiver_position_id=receiver, amount=amount, nonce=nonce, expiration_timestamp=expiration,
        condition=condition,
        src_fee_position_id=signed_fee_position_id if signed_fee_position_id is not None else src_fee_position_id)
    fields = dict(sender_position_id=sender, sender_public_key=private_to_public_key(sk),
                  receiver_position_id=receiver, receiver_public_key=receiver_key,
                  asset_id=asset_id, amount=amount, nonce=nonce, expiration_timestamp=expiration,
                  signature=sign(signer_sk or sk, msg))
    if condition_of is None:
        return Transfer(**fields)
    registry, fact = condition_of
    return ConditionalTransfer(**fields, fact_registry_address=registry, fact=fact,
                               src_fee_position_id=sender if src_fee_position_id is None else src_fee_position_id)


def order(sk: int, position_id: int, buying: bool, amount_synthetic: int,
          amount_collateral: int, amount_fee: int, nonce: int = 1, synthetic: int = BTC,
          collateral: int = COLLATERAL, expiration: int = EXPIRATION,
          signer_sk: int | None = None) -> Order:
    msg = messages.limit_order_hash(
        asset_id_synthetic=synthetic, asset_id_collateral=collateral,
        amount_synthetic=amount_synthetic, amount_collateral=amount_collateral,
        amount_fee=amount_fee, is_buying_synthetic=buying, position_id=position_id, nonce=nonce,
        expiration_timestamp=expiration)
    return Order(position_id=position_id, public_key=private_to_public_key(sk),
                 asset_id_synthetic=synthetic, asset_id_collateral=collateral,
                 amount_synthetic=amount_synthetic, amount_collateral=amount_collateral,
                 amount_fee=amount_fee, is_buying_synthetic=buying, nonce=nonce,
                 expiration_timestamp=expiration, signature=sign(signer_sk or sk, msg))


def trade(a: Order, b: Order, collateral: int, synthetic: int, fee_a: int = 0,
          fee_b: int = 0) -> Trade:
    return Trade(party_a_order=a, party_b_order=b, actual_collateral=collateral,
                 actual_synthetic=synthetic, actual_a_fee=fee_a, actual_b_fee=fee_b)


def signed_price(signer: int, external_price: int, timestamp: int,
                 signed_asset_id: int = BTC_SIGNED_ID, signer_sk: int | None = None
                 ) -> SignedOraclePrice:
    msg = messages.oracle_price_hash(signed_asset_id=signed_asset_id,
                                     external_price=external_price, timestamp=timestamp)
    return SignedOraclePrice(signer_key=signer, external_price=external_price,
                             timestamp=timestamp, signed_asset_id=signed_asset_id,
                             signature=sign(signer_sk or ORACLE_SK_OF[signer], msg))


@dataclass
class Case:
    """One batch for the program: `rule` set means it must be refused naming that rule (and the
    reference model must refuse it for `model_reason`); unset, it must match the model."""
    name: str
    state: PerpetualState
    transactions: list
    rule: str | None = None
    model_reason: Reason | None = None
    min_expiration: int = MIN_EXPIRATION
    result: BatchRun | CairoBatchRejected | None = field(default=None, repr=False)

    def __str__(self) -> str:
        return self.name


def run_cases(cases: list[Case]) -> dict[str, Case]:
    """Runs every case's batch, as many at once as there are cores: each cairo-run is a
    separate single-threaded process, so this divides the suite's wall time."""
    def run(case: Case) -> Case:
        batch_input = program_input(case.state, case.transactions, case.min_expiration)
        try:
            case.result = run_batch(batch_input)
        except CairoBatchRejected as rejected:
            case.result = rejected
        return case

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return {case.name: case for case in pool.map(run, cases)}


def check_accepted(case: Case) -> list[int]:
    """The program accepted the batch and wrote exactly the reference model's output words."""
    expected = execute_batch(case.state, case.transactions, case.min_expiration)
    assert isinstance(case.result, BatchRun), getattr(case.result, "rule", case.result)
    assert case.result.output == expected.words
    return case.result.output


def check_rejected(case: Case) -> None:
    """The program refused the batch naming the rule; the reference model refuses it too."""
    if case.model_reason is not None:
        with pytest.raises(ModelBatchRejected) as model:
            execute_batch(case.state, case.transactions, case.min_expiration)
        assert model.value.rejected.reason_code == case.model_reason, model.value
    assert isinstance(case.result, CairoBatchRejected), "the program accepted the batch"
    assert case.rule in case.result.rule, (case.result.rule, str(case.result)[-2000:])
    # The update path names a broken rule by its StarkEx error name (update.cairo): the model's.
    if case.model_reason is not None and any(r.name in case.result.rule for r in Reason):
        assert case.model_reason.name in case.result.rule, case.result.rule
