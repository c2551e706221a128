"""A collateral token that does not move what it says. An ERC-20 that takes a fee on transfer
(or reports success while moving nothing) must not be credited the full amount: the exchange
compares its balance before and after each transfer (StarkEx: INCORRECT_AMOUNT_TRANSFERRED), or
the deposit is backed by less than its L2 credit and the last users to withdraw find nothing."""
import pytest

from offchain.core.l1.users import register_user

from .adversary import refused
from .batch_builder import Modification
from .conftest import deploy_exchange, erc20_asset_info, stark_key

CAROL = 0x5EC0DE
QUANTUM = 1000
TOKEN = "token that moves less than it says"


@pytest.fixture
def fee_token_exchange(project, governor, operator, chain, escape_verifier, alice):
    token = governor.deploy(project.FeeOnTransferERC20)
    ex = deploy_exchange(project, governor, operator, chain, escape_verifier,
                         asset_info=erc20_asset_info(token.address), quantum=QUANTUM)
    register_user(ex.contract, alice, CAROL)
    token.mint(alice, 10**9, sender=alice)
    token.approve(ex.contract, 10**9, sender=alice)
    return ex, token


@pytest.mark.parametrize("basis_points, label", [(100, "a 1% fee on transfer"), (10_000, "success reported, nothing moved")])
def test_deposit_is_credited_only_what_arrived(fee_token_exchange, alice, basis_points, label):
    ex, token = fee_token_exchange
    c, key = ex.contract, stark_key(CAROL)
    token.setFee(basis_points, False, sender=alice)
    refused(TOKEN, f"deposit of 20 quantized units with {label}",
            lambda: c.deposit(key, ex.collateral, 1, 20, sender=alice), "IncorrectAmountTransferred")
    assert c.getPendingDeposit(key, ex.collateral, 1) == 0
    assert token.balanceOf(c) == 0


def test_withdrawal_that_would_cost_the_exchange_more_is_refused(fee_token_exchange, alice):
    """A fee charged to the exchange on top of the amount would pay this user out of everyone
    else's funds."""
    ex, token = fee_token_exchange
    c, key = ex.contract, stark_key(CAROL)
    c.deposit(key, ex.collateral, 1, 20, sender=alice)
    ex.submit(ex.batch([Modification(key, 1, 20)]))
    ex.submit(ex.batch([Modification(key, 1, -10)]))
    token.setFee(100, True, sender=alice)
    refused(TOKEN, "withdrawal through a token charging the exchange a 1% fee on top",
            lambda: c.withdraw(key, ex.collateral, sender=alice), "IncorrectAmountTransferred")
    assert c.getWithdrawalBalance(key, ex.collateral) == 10
    token.setFee(0, False, sender=alice)
    c.withdraw(key, ex.collateral, sender=alice)
    assert token.balanceOf(c) == 10 * QUANTUM
