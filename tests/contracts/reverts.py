"""Revert assertions by error name, for reverts that reach the test through another contract
(an attacker, a relay): ape decodes those with the innermost contract's ABI, so the error class
is not the one of the exchange instance that ape.reverts(exchange.X) compares by identity."""
from __future__ import annotations

from contextlib import contextmanager

from ape.exceptions import ContractLogicError


def error_name(exception: BaseException) -> str:
    return type(exception).__name__


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
