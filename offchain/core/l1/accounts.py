"""Accounts by the names the scripts take on the command line."""
from __future__ import annotations

LOCAL_CHAIN_ID = 31337  # the local node's (anvil's) chain id: test accounts are only there


class UnknownAccount(ValueError):
    """The alias names no account: a usage error, not an L1 failure."""


def account_by_alias(alias: str):
    """`TEST::<n>`: the local node's n-th test account; anything else: an `ape accounts` alias.
    Raises UnknownAccount when there is none of that name."""
    from ape import accounts

    if alias.startswith("TEST::"):
        index = alias.removeprefix("TEST::")
        if not index.isdigit() or int(index) >= len(accounts.test_accounts):
            raise UnknownAccount(f"{alias!r}: the local node has test accounts TEST::0 .. "
                                 f"TEST::{len(accounts.test_accounts) - 1}")
        return accounts.test_accounts[int(index)]
    if alias not in accounts.aliases:
        raise UnknownAccount(f"{alias!r} is not an `ape accounts` alias (known: {', '.join(accounts.aliases) or 'none'})")
    return accounts.load(alias)
