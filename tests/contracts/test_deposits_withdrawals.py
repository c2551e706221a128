import ape
import pytest

from offchain.core.l1.users import register_user

from .batch_builder import Modification
from .conftest import QUANTUM, deploy_exchange, erc20_asset_info, off_curve, stark_key

CAROL_STARK_PRIVATE = 0x5EC0DE

TWO_DAYS = 2 * 24 * 3600


def test_eth_deposit_is_pending(exchange, alice, alice_key):
    c, t = exchange.contract, exchange.collateral
    receipt = c.deposit(alice_key, t, 5, 3, value=3 * QUANTUM, sender=alice)
    assert c.getPendingDeposit(alice_key, t, 5) == 3
    assert receipt.events[0].quantizedAmount == 3
    c.deposit(alice_key, t, 5, 2, value=2 * QUANTUM, sender=alice)
    assert c.getPendingDeposit(alice_key, t, 5) == 5
    assert ape.chain.provider.get_balance(c.address) == 5 * QUANTUM


def test_deposit_reverts(exchange, alice, alice_key):
    c, t = exchange.contract, exchange.collateral
    with ape.reverts(c.EthTransferFailed):
        c.deposit(alice_key, t, 5, 3, value=3 * QUANTUM - 1, sender=alice)
    with ape.reverts(c.AssetNotRegistered):
        c.deposit(alice_key, t + 1, 5, 3, value=3 * QUANTUM, sender=alice)
    with ape.reverts(c.VaultIdOutOfRange):
        c.deposit(alice_key, t, 2**64, 3, value=3 * QUANTUM, sender=alice)
    with ape.reverts(c.InvalidQuantizedAmount):
        c.deposit(alice_key, t, 5, 0, sender=alice)
    with ape.reverts(c.InvalidQuantizedAmount):
        c.deposit(alice_key, t, 5, 2**256 - 1, sender=alice)
    with ape.reverts(c.InvalidStarkKey):
        c.deposit(off_curve(alice_key + 1), t, 5, 3, value=3 * QUANTUM, sender=alice)


def test_deposit_needs_no_registration(exchange, alice):
    """As in StarkEx v4: anyone deposits to any valid stark key; registration is needed only to
    withdraw, cancel or force."""
    c, t = exchange.contract, exchange.collateral
    key = stark_key(0xF00D)
    c.deposit(key, t, 5, 3, value=3 * QUANTUM, sender=alice)
    assert c.getPendingDeposit(key, t, 5) == 3
    with ape.reverts(c.NotStarkKeyOwner):
        c.depositCancel(key, t, 5, sender=alice)
    exchange.submit(exchange.batch([Modification(key, 5, 3)]))
    exchange.submit(exchange.batch([Modification(key, 5, -3)]))
    with ape.reverts(c.StarkKeyNotRegistered):
        c.withdraw(key, t, sender=alice)
    register_user(c, alice, 0xF00D)
    c.withdraw(key, t, sender=alice)

