"""The forms a gateway takes numbers, keys, flags and signatures in, for every application.

StarkEx's gateway writes numbers three ways (docs.starkware.co, gateway examples): a JSON
integer, a decimal string ("2569146471088859254") or a 0x hex string (keys, asset ids). Exactly
these are accepted; anything else is refused rather than coerced: a float (10.9 would be read as
10 by int(), and the user signed for something else), a boolean where a number belongs (`true`
is 1 to Python), `"false"` where a flag belongs (a non-empty string is truthy). Every number must
be a field element (< P) before any hash or signature sees it, public keys must be on the Stark
curve and signatures within StarkEx's ECDSA bounds — the native library panics on either.
"""
from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from offchain.core.application import MALFORMED, InvalidInput
from offchain.crypto.constants import FIELD_PRIME
from offchain.crypto.signature import Signature, is_signature_in_range, is_stark_key

INVALID_PUBLIC_KEY = "INVALID_PUBLIC_KEY"
INVALID_SIGNATURE = "INVALID_SIGNATURE"
_DECIMAL = re.compile(r"-?[0-9]{1,78}")
_HEX = re.compile(r"0x[0-9a-fA-F]{1,64}")
MAX_SIGNED = FIELD_PRIME // 2  # a signed number must still be a field element either way round


def _error(kind: str, message: str) -> PydanticCustomError:
    # pydantic reads {name} in a message as a placeholder: none is used, so none may remain.
    return PydanticCustomError(kind, message.replace("{", "(").replace("}", ")"))


def parse_number(value: Any) -> int:
    """A StarkEx number: JSON integer, decimal string or 0x hex string; nothing else."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise _error("number_form", f"expected an integer, a decimal string or a 0x hex string, got {type(value).__name__}")
    if isinstance(value, int):
        return value
    if _HEX.fullmatch(value):
        return int(value, 16)
    if _DECIMAL.fullmatch(value):
        return int(value, 10)
    raise _error("number_form", f"expected an integer, a decimal string or a 0x hex string, got {value[:80]!r}")


def _field_element(value: Any) -> int:
    number = parse_number(value)
    if not 0 <= number < FIELD_PRIME:
        raise _error("field_element", f"{number} is not a field element (0 <= x < P = 2^251 + 17*2^192 + 1)")
    return number


def _signed(value: Any) -> int:
    number = parse_number(value)
    if not -MAX_SIGNED <= number <= MAX_SIGNED:
        raise _error("field_element", f"{number} is outside the signed field range (|x| <= (P-1)/2)")
    return number


def _public_key(value: Any) -> int:
    key = _field_element(value)
    if not is_stark_key(key):
        raise _error(INVALID_PUBLIC_KEY,
                     f"{key:#x} is not a Stark public key (0, or not the x coordinate of a point of the Stark curve)")
    return key


def _flag(value: Any) -> bool:
    """A flag: JSON true/false, or 0/1 as written in the batch input (never a string)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise _error("flag_form", f"expected true, false, 0 or 1, got {value!r:.80}")


NUMBER_SCHEMA = {"anyOf": [{"type": "integer", "minimum": 0, "maximum": FIELD_PRIME - 1},
                            {"type": "string", "pattern": r"^(0x[0-9a-fA-F]{1,64}|[0-9]{1,76})$"}]}
_SIGNED_SCHEMA = {"anyOf": [{"type": "integer", "minimum": -MAX_SIGNED, "maximum": MAX_SIGNED},
                            {"type": "string", "pattern": r"^-?[0-9]{1,75}$"}]}

Felt = Annotated[int, BeforeValidator(_field_element), WithJsonSchema(NUMBER_SCHEMA)]
SignedNumber = Annotated[int, BeforeValidator(_signed), WithJsonSchema(_SIGNED_SCHEMA)]
PublicKey = Annotated[int, BeforeValidator(_public_key),
                      WithJsonSchema({**NUMBER_SCHEMA, "description": "a Stark key: x coordinate of a curve point"})]
Flag = Annotated[bool, BeforeValidator(_flag), WithJsonSchema({"anyOf": [{"type": "boolean"}, {"enum": [0, 1]}]})]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SignatureModel(StrictModel):
    r: Felt
    s: Felt

    @model_validator(mode="after")
    def _in_ecdsa_range(self) -> "SignatureModel":
        if not is_signature_in_range(Signature(self.r, self.s)):
            raise _error(INVALID_SIGNATURE,
                         "signature out of StarkEx's ECDSA range (0 < r < 2^251, 0 < s < n, s^-1 mod n < 2^251)")
        return self


def describe_errors(error: ValidationError | list[dict], type_names=()) -> InvalidInput:
    """One refusal from pydantic's errors: a key or signature error names its rule, anything
    else is MALFORMED_TRANSACTION; the message lists each field and what is wrong with it
    (type_names: the union's tags, left out of the field paths)."""
    errors = error.errors() if isinstance(error, ValidationError) else error
    codes = {e["type"] for e in errors} & {INVALID_PUBLIC_KEY, INVALID_SIGNATURE}
    code = sorted(codes)[0] if codes else MALFORMED
    parts = [f"{'.'.join(str(p) for p in e['loc'] if p not in type_names) or 'tx'}: {e['msg']}" for e in errors[:5]]
    return InvalidInput(code, "; ".join(parts))


def canonical_json(value: Any) -> Any:
    """The stored form of a validated model's dump: flags as 0/1, keys as strings."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dict):
        return {str(k): canonical_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [canonical_json(v) for v in value]
    return value
