"""Revert assertions by error name, for reverts that reach the test through another contract
(an attacker, a relay): ape decodes those with the innermost contract's ABI, so the error class
is not the one of the exchange instance that ape.reverts(exchange.X) compares by identity."""
from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache

from ape.exceptions import ContractLogicError


def error_name(exception: BaseException) -> str:
    """The custom error's name. Ape leaves an error it finds in no ABI it looked at as a bare
    ContractLogicError whose message is the revert data: then the selector is looked up in every
    compiled contract's errors."""
    name = type(exception).__name__
    data = str(getattr(exception, "revert_message", "") or exception)
    if name == "ContractLogicError" and data.startswith("0x") and len(data) >= 10:
        return _errors_by_selector().get(data[2:10].lower(), name)
    return name


@lru_cache(maxsize=1)
def _errors_by_selector() -> dict[str, str]:
    import ape
    from eth_utils import keccak

    errors = {}
    for contract in ape.project.contracts.values():
        for abi in contract.abi:
            if abi.type == "error":
                errors[keccak(text=abi.selector)[:4].hex()] = abi.name
    return errors


@contextmanager
def reverts_with(name: str, **inputs):
    """Passes only if the block reverts with the custom error `name` (and these input values)."""
    try:
        yield
    except ContractLogicError as e:
        if error_name(e) != name:
            raise AssertionError(f"expected {name}, reverted with {error_name(e)}: {e}") from e
        actual = getattr(e, "inputs", {}) or {}
        wrong = {k: (v, actual.get(k)) for k, v in inputs.items() if actual.get(k) != v}
        if wrong:
            raise AssertionError(f"{name} with unexpected inputs (expected, actual): {wrong}") from e
    else:
        raise AssertionError(f"expected {name}, but the call succeeded")
