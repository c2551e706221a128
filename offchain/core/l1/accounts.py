"""Accounts by the names the scripts take on the command line."""
from __future__ import annotations


def account_by_alias(alias: str):
    """`TEST::<n>`: the local node's n-th test account; anything else: an `ape accounts` alias."""
    from ape import accounts

    if alias.startswith("TEST::"):
        return accounts.test_accounts[int(alias.removeprefix("TEST::"))]
    return accounts.load(alias)
