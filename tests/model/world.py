"""A small Perpetual world for the model tests: config, keys, and signed-request builders."""
from __future__ import annotations

from offchain.crypto import messages
from offchain.crypto.signature import private_to_public_key, sign
from offchain.perpetual.config import GeneralConfig, SyntheticAsset
from offchain.perpetual.constants import FXP_32_ONE
from offchain.perpetual.position import Position, PositionAsset
from offchain.perpetual import signing
from offchain.perpetual.state import PerpetualState
from offchain.perpetual.transactions import Order, SignedOraclePrice, Withdrawal

COLLATERAL = 0x1
BTC = 0x2
UNLISTED = 0x7

ALICE_PK, BOB_PK, CAROL_PK, FEE_PK = 0xA11CE, 0xB0B, 0xCA201, 0xFEE
ORACLE_PKS = (0x0AC1E1, 0x0AC1E2, 0x0AC1E3)
ALICE, BOB, CAROL, FEE = (private_to_public_key(k) for k in (ALICE_PK, BOB_PK, CAROL_PK, FEE_PK))
ORACLES = tuple(sorted(private_to_public_key(k) for k in ORACLE_PKS))
ORACLE_PK_OF = {private_to_public_key(k): k for k in ORACLE_PKS}
FEE_POSITION = 1000
BTC_SIGNED_ID = messages.signed_asset_id(int.from_bytes(b"BTCUSD".ljust(16, b"\0"), "big"),
                                         int.from_bytes(b"Maker", "big"))

SYSTEM_TIME = 1_700_000_000
EXPIRATION = SYSTEM_TIME // 3600 + 24 * 7  # hours
PRICE_100 = 100 * FXP_32_ONE               # 100 quantized collateral per quantized BTC
RISK_10_PERCENT = FXP_32_ONE // 10


def make_config(**overrides) -> GeneralConfig:
    fields = dict(
        collateral_asset_id=COLLATERAL, fee_position_id=FEE_POSITION, fee_public_key=FEE,
        positions_tree_height=64, orders_tree_height=64, max_funding_rate=1000,
        synthetic_assets=(SyntheticAsset(
            asset_id=BTC, resolution=10**10, risk_factor=RISK_10_PERCENT,
            oracle_price_quorum=2, oracle_price_signers=ORACLES,
            oracle_price_signed_asset_ids=(BTC_SIGNED_ID,)),),
        data_availability_mode=1, collateral_resolution=10**6)
    fields.update(overrides)
    return GeneralConfig(**fields)


def make_state(positions: dict[int, Position] | None = None, **overrides) -> PerpetualState:
    return PerpetualState(config=make_config(**overrides), positions=dict(positions or {}),
                          funding_indices={BTC: 0}, funding_timestamp=SYSTEM_TIME,
                          oracle_prices={BTC: PRICE_100}, system_time=SYSTEM_TIME)


def funded(key: int, collateral: int, btc: int = 0) -> Position:
    assets = {BTC: PositionAsset(balance=btc, cached_funding_index=0)} if btc else {}
    return Position(public_key=key, collateral_balance=collateral, assets=assets)


def withdrawal(private_key: int, position_id: int, amount: int, nonce: int = 1,
               expiration: int = EXPIRATION) -> Withdrawal:
    return signing.withdrawal(private_key, collateral_asset_id=COLLATERAL, position_id=position_id,
                              amount=amount, nonce=nonce, expiration_timestamp=expiration)


def transfer(private_key: int, sender: int, receiver: int, receiver_key: int, amount: int,
             nonce: int = 1, asset_id: int = COLLATERAL, expiration: int = EXPIRATION,
             condition_of: tuple[int, int] | None = None, src_fee_position_id: int | None = None):
    return signing.transfer(private_key, asset_id=asset_id, sender_position_id=sender,
                            receiver_position_id=receiver, receiver_public_key=receiver_key,
                            amount=amount, nonce=nonce, expiration_timestamp=expiration,
                            condition_of=condition_of, src_fee_position_id=src_fee_position_id)


def order(private_key: int, position_id: int, is_buying: bool, amount_synthetic: int,
          amount_collateral: int, amount_fee: int, nonce: int = 1,
          expiration: int = EXPIRATION, asset_id_synthetic: int = BTC) -> Order:
    return signing.limit_order(private_key, position_id=position_id,
                               asset_id_synthetic=asset_id_synthetic, asset_id_collateral=COLLATERAL,
                               is_buying_synthetic=is_buying, amount_synthetic=amount_synthetic,
                               amount_collateral=amount_collateral, amount_fee=amount_fee,
                               nonce=nonce, expiration_timestamp=expiration)


def oracle_price(signer_key: int, external_price: int, timestamp: int,
                 signed_asset_id: int = BTC_SIGNED_ID) -> SignedOraclePrice:
    msg = messages.oracle_price_hash(signed_asset_id=signed_asset_id,
                                     external_price=external_price, timestamp=timestamp)
    return SignedOraclePrice(signer_key=signer_key, external_price=external_price,
                             timestamp=timestamp, signed_asset_id=signed_asset_id,
                             signature=sign(ORACLE_PK_OF[signer_key], msg))


def snapshot(state: PerpetualState):
    """Everything observable about a state, to check a rejection changed nothing."""
    return (dict(state.positions), dict(state.orders), dict(state.funding_indices),
            state.funding_timestamp, dict(state.oracle_prices), state.system_time,
            state.positions_root, state.orders_root)
