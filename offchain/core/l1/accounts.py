"""Accounts by the names the scripts take on the command line."""
from __future__ import annotations

LOCAL_CHAIN_ID = 31337  # the local node's (anvil's) chain id: test accounts are only there


def account_by_alias(alias: str):
    """`TEST::<n>`: the local node's n-th test account; anything else: an `ape accounts` alias."""
    from ape import accounts

    if alias.startswith("TEST::"):
        return accounts.test_accounts[int(alias.removeprefix("TEST::"))]
    return accounts.load(alias)
