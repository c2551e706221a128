"""What Perpetual's gateway takes: one pydantic model per transaction type, in StarkEx's JSON forms
(numbers, keys, flags and signatures as offchain/core/gateway/forms.py reads them: a key K + P
would be acknowledged by Python's modular arithmetic and then break the batch).

These models check forms and field bounds only; every rule of the exchange (amount ranges,
balances, signatures, expirations) is the reference model's (offchain/perpetual), which the
intake runs next. `canonical_tx` turns a validated model into the JSON of docs/batch-input.md
(JSON integers, flags 0/1), which is what is stored, batched and echoed.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BeforeValidator, Field, TypeAdapter, ValidationError, WithJsonSchema, model_validator

from offchain.core.application import InvalidInput
from offchain.core.gateway.forms import (NUMBER_SCHEMA, Felt, Flag, PublicKey, SignatureModel, SignedNumber,
                                         StrictModel as _Strict, canonical_json, describe_errors, parse_number)
from offchain.perpetual.transactions import transaction_from_json


class OrderModel(_Strict):
    position_id: Felt
    public_key: PublicKey
    asset_id_synthetic: Felt
    asset_id_collateral: Felt
    amount_synthetic: Felt
    amount_collateral: Felt
    amount_fee: Felt
    is_buying_synthetic: Flag
    nonce: Felt
    expiration_timestamp: Felt = Field(description="hours since the epoch")
    signature: SignatureModel


class TransferModel(_Strict):
    type: Literal["TRANSFER"]
    sender_position_id: Felt
    sender_public_key: PublicKey
    receiver_position_id: Felt
    receiver_public_key: PublicKey
    asset_id: Felt
    amount: Felt
    nonce: Felt
    expiration_timestamp: Felt = Field(description="hours since the epoch")
    signature: SignatureModel


class ConditionalTransferModel(TransferModel):
    type: Literal["CONDITIONAL_TRANSFER"]
    fact_registry_address: Annotated[int, BeforeValidator(parse_number), Field(ge=0, lt=2**160),
                                     WithJsonSchema(NUMBER_SCHEMA)]
    fact: Annotated[int, BeforeValidator(parse_number), Field(ge=0, lt=2**256), WithJsonSchema(NUMBER_SCHEMA)]
    src_fee_position_id: Felt | None = Field(
        default=None, description="the fee position signed in the message (StarkWare's src_fee_position_id); "
                                  "no fee is charged; default the sender's position")

    @model_validator(mode="after")
    def _fee_position_defaults_to_sender(self) -> "ConditionalTransferModel":
        if self.src_fee_position_id is None:
            self.src_fee_position_id = self.sender_position_id
        return self


class WithdrawalModel(_Strict):
    type: Literal["WITHDRAWAL"]
    position_id: Felt
    public_key: PublicKey
    amount: Felt
    nonce: Felt
    expiration_timestamp: Felt = Field(description="hours since the epoch")
    signature: SignatureModel


class WithdrawalToAddressModel(_Strict):
    type: Literal["WITHDRAWAL_TO_ADDRESS"]
    position_id: Felt
    public_key: PublicKey
    eth_address: Annotated[int, BeforeValidator(parse_number), Field(gt=0, lt=2**160),
                           WithJsonSchema({**NUMBER_SCHEMA, "description": "the Ethereum address L1 credits (0x hex)"})]
    amount: Felt
    nonce: Felt
    expiration_timestamp: Felt = Field(description="hours since the epoch")
    signature: SignatureModel


class TradeModel(_Strict):
    type: Literal["TRADE"]
    party_a_order: OrderModel
    party_b_order: OrderModel
    actual_collateral: Felt
    actual_synthetic: Felt
    actual_a_fee: Felt
    actual_b_fee: Felt


class LiquidateModel(_Strict):
    type: Literal["LIQUIDATE"]
    liquidator_order: OrderModel
    liquidated_position_id: Felt
    actual_collateral: Felt
    actual_synthetic: Felt
    actual_liquidator_fee: Felt


class DeleverageModel(_Strict):
    type: Literal["DELEVERAGE"]
    deleveraged_position_id: Felt
    deleverager_position_id: Felt
    synthetic_asset_id: Felt
    amount_collateral: Felt
    amount_synthetic: Felt
    deleverager_is_buying_synthetic: Flag


class FundingIndicesModel(_Strict):
    indices: dict[Felt, SignedNumber] = Field(description="synthetic asset id -> funding index (signed, 2^32 = 1.0)")
    timestamp: Felt = Field(description="seconds since the epoch; becomes the system time L1 checks")


class FundingTickModel(_Strict):
    type: Literal["FUNDING_TICK"]
    global_funding_indices: FundingIndicesModel


class SignedOraclePriceModel(_Strict):
    signer_key: PublicKey
    external_price: Felt
    timestamp: Felt
    signed_asset_id: Felt
    signature: SignatureModel


class AssetOraclePricesModel(_Strict):
    signed_prices: list[SignedOraclePriceModel] = Field(max_length=64)


class OraclePricesTickModel(_Strict):
    type: Literal["ORACLE_PRICES_TICK"]
    timestamp: Felt = Field(description="seconds since the epoch; becomes the system time L1 checks")
    oracle_prices: dict[Felt, AssetOraclePricesModel] = Field(description="synthetic asset id -> its oracles' signed prices")


CLIENT_MODELS: dict[str, type[_Strict]] = {
    "TRANSFER": TransferModel, "CONDITIONAL_TRANSFER": ConditionalTransferModel, "WITHDRAWAL": WithdrawalModel,
    "WITHDRAWAL_TO_ADDRESS": WithdrawalToAddressModel,
    "TRADE": TradeModel, "LIQUIDATE": LiquidateModel, "DELEVERAGE": DeleverageModel,
    "FUNDING_TICK": FundingTickModel, "ORACLE_PRICES_TICK": OraclePricesTickModel,
}
ClientTransaction = Annotated[Union[tuple(CLIENT_MODELS.values())], Field(discriminator="type")]
_client_transaction = TypeAdapter(ClientTransaction)


def describe(error: ValidationError | list[dict]) -> InvalidInput:
    """One refusal from pydantic's errors (offchain/core/gateway/forms.py describe_errors)."""
    return describe_errors(error, CLIENT_MODELS)


def canonical_tx(tx_json: Any) -> dict:
    """The transaction in the stored form (JSON integers, 0/1 flags), or InvalidInput."""
    try:
        model = _client_transaction.validate_python(tx_json)
    except ValidationError as error:
        raise describe(error) from None
    canonical = canonical_json(model.model_dump())
    transaction_from_json(canonical)  # the model reads it back: the forms agree
    return canonical


def _examples() -> dict[str, dict]:
    """One signed example per type (demo keys and ids), for the OpenAPI description."""
    from offchain.client.requests import to_starkex_json
    from offchain.perpetual import signing
    from offchain.perpetual.transactions import FundingTick

    alice, bob, hour = 0xA11CE, 0xB0B, 500_000
    bob_key = signing.private_to_public_key(bob)
    as_starkex = to_starkex_json(signing.transfer(alice, asset_id=0x1, sender_position_id=1, receiver_position_id=2,
                                                  receiver_public_key=bob_key, amount=100, nonce=1,
                                                  expiration_timestamp=hour))

    def order(key, buying, position):
        return signing.limit_order(key, position_id=position, asset_id_synthetic=0x4254432D3130000000000000000000,
                                   asset_id_collateral=0x1, is_buying_synthetic=buying, amount_synthetic=10,
                                   amount_collateral=1000, amount_fee=5, nonce=1, expiration_timestamp=hour).to_json()

    btc = 0x4254432D3130000000000000000000
    return {
        "TRANSFER": as_starkex,
        "CONDITIONAL_TRANSFER": signing.transfer(alice, asset_id=0x1, sender_position_id=1, receiver_position_id=2,
                                                 receiver_public_key=bob_key, amount=100, nonce=2, expiration_timestamp=hour,
                                                 condition_of=(0x1234, 0xABCD)).to_json(),
        "WITHDRAWAL": signing.withdrawal(alice, collateral_asset_id=0x1, position_id=1, amount=50, nonce=3,
                                         expiration_timestamp=hour).to_json(),
        "WITHDRAWAL_TO_ADDRESS": to_starkex_json(signing.withdrawal_to_address(
            alice, collateral_asset_id=0x1, position_id=1, eth_address=0xA11CE0000000000000000000000000000000A11C,
            amount=50, nonce=4, expiration_timestamp=hour)),
        "TRADE": {"type": "TRADE", "party_a_order": order(alice, True, 1), "party_b_order": order(bob, False, 2),
                  "actual_collateral": 1000, "actual_synthetic": 10, "actual_a_fee": 5, "actual_b_fee": 5},
        "LIQUIDATE": {"type": "LIQUIDATE", "liquidator_order": order(bob, False, 2), "liquidated_position_id": 1,
                      "actual_collateral": 1000, "actual_synthetic": 10, "actual_liquidator_fee": 5},
        "DELEVERAGE": {"type": "DELEVERAGE", "deleveraged_position_id": 1, "deleverager_position_id": 2,
                       "synthetic_asset_id": btc, "amount_collateral": 1000, "amount_synthetic": 10,
                       "deleverager_is_buying_synthetic": False},
        "FUNDING_TICK": FundingTick(indices={btc: -5}, timestamp=1_700_000_000).to_json(),
        "ORACLE_PRICES_TICK": signing.oracle_prices_tick({btc: [signing.oracle_price(
            0x0AC1E1, signed_asset_id=0x425443555344000000000000000000004D616B6572,
            external_price=30_000 * 10**18, timestamp=1_700_000_000)]}, 1_700_000_000).to_json(),
    }


for _type, _example in _examples().items():
    CLIENT_MODELS[_type].model_config["json_schema_extra"] = {"examples": [_example]}
    CLIENT_MODELS[_type].model_rebuild(force=True)
