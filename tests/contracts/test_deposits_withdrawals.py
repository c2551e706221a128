import ape
import pytest

from offchain.l1.users import register_user

from .batch_builder import Modification
from .conftest import QUANTUM, deploy_exchange, erc20_asset_info, stark_key

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
        c.deposit(_off_curve(alice_key), t, 5, 3, value=3 * QUANTUM, sender=alice)


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


def _off_curve(start: int) -> int:
    prime = 2**251 + 17 * 2**192 + 1
    beta = 0x6F21413EFBE40DE150E596D72F7A8C5609AD26C15C915C1F4CDFCB99CEE9E89
    x = start + 1
    while pow((x**3 + x + beta) % prime, (prime - 1) // 2, prime) == 1:
        x += 1
    return x


def test_cancel_then_reclaim_after_two_days(exchange, alice, bob, alice_key, chain):
    c, t = exchange.contract, exchange.collateral
    c.deposit(alice_key, t, 5, 4, value=4 * QUANTUM, sender=alice)
    with ape.reverts(c.DepositCancelNotRequested):
        c.depositReclaim(alice_key, t, 5, sender=alice)
    with ape.reverts(c.NotStarkKeyOwner):
        c.depositCancel(alice_key, t, 5, sender=bob)
    receipt = c.depositCancel(alice_key, t, 5, sender=alice)
    assert c.getCancellationRequest(alice_key, t, 5) == receipt.timestamp
    with ape.reverts(c.DepositReclaimTooEarly):
        c.depositReclaim(alice_key, t, 5, sender=alice)
    chain.pending_timestamp += TWO_DAYS
    before = alice.balance
    receipt = c.depositReclaim(alice_key, t, 5, sender=alice)
    assert alice.balance == before + 4 * QUANTUM - receipt.total_fees_paid
    assert c.getPendingDeposit(alice_key, t, 5) == 0
    with ape.reverts(c.DepositCancelNotRequested):
        c.depositReclaim(alice_key, t, 5, sender=alice)
    with ape.reverts(c.DepositNotFound):
        c.depositCancel(alice_key, t, 5, sender=alice)


def test_withdraw_eth_after_batch(exchange, alice, outsider, alice_key):
    c, t = exchange.contract, exchange.collateral
    c.deposit(alice_key, t, 5, 10, value=10 * QUANTUM, sender=alice)
    exchange.submit(exchange.batch([Modification(alice_key, 5, 10)]))
    exchange.submit(exchange.batch([Modification(alice_key, 5, -7)]))
    assert c.getWithdrawalBalance(alice_key, t) == 7
    before = alice.balance
    receipt = c.withdraw(alice_key, t, sender=outsider)  # anyone may trigger; the owner is paid
    assert alice.balance == before + 7 * QUANTUM
    assert receipt.events[0].recipient == alice.address
    with ape.reverts(c.NothingToWithdraw):
        c.withdraw(alice_key, t, sender=alice)


def test_erc20_deposit_and_withdraw(project, governor, operator, chain, escape_verifier, alice):
    token = governor.deploy(project.MintableERC20)
    ex = deploy_exchange(project, governor, operator, chain, escape_verifier,
                         asset_info=erc20_asset_info(token.address), quantum=1000)
    c, t = ex.contract, ex.collateral
    key = stark_key(CAROL_STARK_PRIVATE)
    register_user(c, alice, CAROL_STARK_PRIVATE)
    token.mint(alice, 50_000, sender=alice)
    with ape.reverts(c.TokenTransferFailed):
        c.deposit(key, t, 1, 20, sender=alice)
    token.approve(c, 20_000, sender=alice)
    with ape.reverts(c.EthTransferFailed):
        c.deposit(key, t, 1, 20, value=1, sender=alice)
    c.deposit(key, t, 1, 20, sender=alice)
    assert token.balanceOf(c) == 20_000
    ex.submit(ex.batch([Modification(key, 1, 20)]))
    ex.submit(ex.batch([Modification(key, 1, -15)]))
    c.withdraw(key, t, sender=alice)
    assert token.balanceOf(alice) == 45_000
    assert token.balanceOf(c) == 5_000


def test_withdraw_to_contract_rejecting_eth(exchange, project, alice):
    # ForcedRequestBurst has no receive function; alice relays the key's signed registration to it.
    burst = alice.deploy(project.ForcedRequestBurst)
    key = stark_key(CAROL_STARK_PRIVATE)
    register_user(exchange.contract, burst, CAROL_STARK_PRIVATE, sender=alice)
    assert exchange.contract.getEthKey(key) == burst.address
    exchange.submit(exchange.batch([Modification(key, 1, -2)]))
    with ape.reverts(exchange.contract.EthTransferFailed):
        exchange.contract.withdraw(key, exchange.collateral, sender=alice)
    assert exchange.contract.getWithdrawalBalance(key, exchange.collateral) == 2


def test_failed_token_transfer_keeps_pending_withdrawal(project, governor, operator, chain, escape_verifier, alice):
    """The token's transfer returns false, then reverts: each time the withdrawal reverts with
    TokenTransferFailed and the pending amount stays; once the token works it is paid."""
    token = governor.deploy(project.FailingERC20)
    ex = deploy_exchange(project, governor, operator, chain, escape_verifier,
                         asset_info=erc20_asset_info(token.address), quantum=1000)
    c, t = ex.contract, ex.collateral
    key = stark_key(CAROL_STARK_PRIVATE)
    register_user(c, alice, CAROL_STARK_PRIVATE)
    token.mint(alice, 20_000, sender=alice)
    token.approve(c, 20_000, sender=alice)
    c.deposit(key, t, 1, 20, sender=alice)
    ex.submit(ex.batch([Modification(key, 1, 20)]))
    ex.submit(ex.batch([Modification(key, 1, -15)]))
    for mode in (1, 2):  # TransferMode.ReturnFalse, TransferMode.Revert
        token.setTransferMode(mode, sender=governor)
        with ape.reverts(c.TokenTransferFailed, token=token.address):
            c.withdraw(key, t, sender=alice)
        assert c.getWithdrawalBalance(key, t) == 15
        assert token.balanceOf(c) == 20_000
    token.setTransferMode(0, sender=governor)
    c.withdraw(key, t, sender=alice)
    assert token.balanceOf(alice) == 15_000
    assert c.getWithdrawalBalance(key, t) == 0


def test_reclaim_after_a_batch_consumed_the_deposit_pays_nothing(exchange, alice, alice_key, chain):
    c, t = exchange.contract, exchange.collateral
    c.deposit(alice_key, t, 5, 4, value=4 * QUANTUM, sender=alice)
    c.depositCancel(alice_key, t, 5, sender=alice)
    exchange.submit(exchange.batch([Modification(alice_key, 5, 4)]))
    chain.pending_timestamp += TWO_DAYS
    with ape.reverts(c.NothingToReclaim):
        c.depositReclaim(alice_key, t, 5, sender=alice)
