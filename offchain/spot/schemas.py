"""What Spot's gateway takes: one pydantic model per transaction type, in StarkEx Spot's JSON shape.

Field names are StarkEx Spot's gateway names (starkex-for-spot-trading's `transactions` objects,
snake_case: `party_a_order`, `settlement_info`, `vault_id_sell`, `fee_info_user`, ...); numbers,
keys and signatures in the forms of offchain/core/gateway/forms.py (integers, decimal or 0x hex
strings). A conditional transfer names its fact as StarkEx does (`fact_registry_address`,
`fact`); the operator computes the condition the program checks from them
(offchain.crypto.messages.fact_to_condition) and keeps both for the application data.

These models check forms and field bounds only; every rule (amounts, balances, vault owners,
signatures, expirations) is the reference model's (offchain/spot/rules.py), which the intake runs
next. `canonical_tx` gives docs/spot/batch-input.md's JSON (integers), stored and batched as is.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BeforeValidator, Field, TypeAdapter, ValidationError, WithJsonSchema

from offchain.core.application import InvalidInput
from offchain.core.gateway.forms import (NUMBER_SCHEMA, Felt, PublicKey, SignatureModel, StrictModel, canonical_json,
                                         describe_errors, parse_number)
from offchain.crypto.messages import fact_to_condition


class FeeInfoUser(StrictModel):
    """The fee a user allows, signed with the request."""
    token_id: Felt
    fee_limit: Felt
    source_vault_id: Felt


class FeeInfoExchange(StrictModel):
    """The fee the operator takes, up to the user's limit."""
    fee_taken: Felt
    destination_vault_id: Felt
    destination_stark_key: PublicKey


class LimitOrder(StrictModel):
    public_key: PublicKey
    vault_id_sell: Felt
    vault_id_buy: Felt
    amount_sell: Felt
    amount_buy: Felt
    token_sell: Felt
    token_buy: Felt
    nonce: Felt
    expiration_timestamp: Felt = Field(description="hours since the epoch")
    signature: SignatureModel
    fee_info: FeeInfoUser | None = None


class SettlementInfo(StrictModel):
    party_a_sold: Felt
    party_b_sold: Felt
    party_a_fee_info: FeeInfoExchange | None = None
    party_b_fee_info: FeeInfoExchange | None = None


class SettlementModel(StrictModel):
    type: Literal["SETTLEMENT"]
    party_a_order: LimitOrder
    party_b_order: LimitOrder
    settlement_info: SettlementInfo


class TransferModel(StrictModel):
    type: Literal["TRANSFER"]
    sender_public_key: PublicKey
    sender_vault_id: Felt
    receiver_public_key: PublicKey
    receiver_vault_id: Felt
    token: Felt
    amount: Felt
    nonce: Felt
    expiration_timestamp: Felt = Field(description="hours since the epoch")
    signature: SignatureModel
    fee_info_user: FeeInfoUser | None = None
    fee_info_exchange: FeeInfoExchange | None = None


Address = Annotated[int, BeforeValidator(parse_number), Field(ge=0, lt=2**160), WithJsonSchema(NUMBER_SCHEMA)]
Bytes32 = Annotated[int, BeforeValidator(parse_number), Field(ge=0, lt=2**256), WithJsonSchema(NUMBER_SCHEMA)]


class ConditionalTransferModel(TransferModel):
    type: Literal["CONDITIONAL_TRANSFER"]
    fact_registry_address: Address
    fact: Bytes32


class ModificationModel(StrictModel):
    vault_id: Felt
    stark_key: PublicKey
    token_id: Felt
    amount: Felt


class DepositModel(ModificationModel):
    type: Literal["DEPOSIT"]


class WithdrawalModel(ModificationModel):
    type: Literal["WITHDRAWAL"]


class FullWithdrawalModel(StrictModel):
    type: Literal["FULL_WITHDRAWAL"]
    vault_id: Felt
    stark_key: PublicKey


class FalseFullWithdrawalModel(StrictModel):
    type: Literal["FALSE_FULL_WITHDRAWAL"]
    vault_id: Felt
    requester_stark_key: PublicKey


CLIENT_MODELS = {
    "DEPOSIT": DepositModel, "WITHDRAWAL": WithdrawalModel, "SETTLEMENT": SettlementModel, "TRANSFER": TransferModel,
    "CONDITIONAL_TRANSFER": ConditionalTransferModel, "FULL_WITHDRAWAL": FullWithdrawalModel,
    "FALSE_FULL_WITHDRAWAL": FalseFullWithdrawalModel,
}
ClientTransaction = Annotated[Union[tuple(CLIENT_MODELS.values())], Field(discriminator="type")]
_client_transaction = TypeAdapter(ClientTransaction)


def describe(error: ValidationError | list[dict]) -> InvalidInput:
    return describe_errors(error, CLIENT_MODELS)


def _without_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    return value


def canonical_tx(tx_json: Any) -> dict:
    """The transaction as docs/spot/batch-input.md writes it (integers; an absent fee object
    absent, not null), or InvalidInput. A conditional transfer gets its `condition`."""
    try:
        model = _client_transaction.validate_python(tx_json)
    except ValidationError as error:
        raise describe(error) from None
    tx = _without_none(canonical_json(model.model_dump()))
    if tx["type"] == "CONDITIONAL_TRANSFER":
        # What the program checks: keccak256(registry ‖ fact) & (2^250 − 1); L1 checks it
        # against the (registry, fact) the application data carries.
        tx["condition"] = fact_to_condition(tx["fact_registry_address"].to_bytes(20, "big"),
                                            tx["fact"].to_bytes(32, "big"))
    return tx
