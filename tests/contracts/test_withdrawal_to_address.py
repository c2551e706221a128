"""WITHDRAWAL_TO_ADDRESS on L1: a modification whose key word is below 2^160 credits that Ethereum
address itself (StarkEx's owner key), and withdraw pays it with no registration; a word of 2^160 or
more stays a Stark key, paid only to its registered address (docs/program-output.md, entry 7)."""
import ape
import pytest

from .adversary import observed, refused
from .batch_builder import Modification
from .conftest import QUANTUM

CLASS = "withdrawal to an address"


def _withdrawn_to(exchange, depositor, depositor_key, address_key: int, amount: int):
    """A batch that consumes depositor's deposit into position 5 and withdraws it to the address."""
    exchange.contract.deposit(depositor_key, exchange.collateral, 5, amount, value=amount * QUANTUM, sender=depositor)
    return exchange.submit(exchange.batch([Modification(depositor_key, 5, amount),
                                           Modification(address_key, 5, -amount)]))


def test_batch_credits_an_unregistered_address_which_anyone_pays_out(exchange, accounts, alice, alice_key,
                                                                     outsider):
    c, t = exchange.contract, exchange.collateral
    payee = accounts.generate_test_account()  # never registered, never sent a transaction
    key = int(payee.address, 16)
    receipt = _withdrawn_to(exchange, alice, alice_key, key, 7)
    allowed = [e for e in receipt.events if e.event_name == "LogWithdrawalAllowed"]
    assert [(e.starkKey, e.assetId, e.quantizedAmount) for e in allowed] == [(key, t, 7)]
    assert c.getWithdrawalBalance(alice_key, t) == 0  # nothing to the position's Stark key
    assert c.getWithdrawalBalance(key, t) == 7
    before, outsider_before = payee.balance, outsider.balance
    receipt = c.withdraw(key, t, sender=outsider)
    assert payee.balance == before + 7 * QUANTUM  # the address itself is paid
    assert outsider.balance < outsider_before  # the caller only paid gas
    performed = [e for e in receipt.events if e.event_name == "LogWithdrawalPerformed"]
    assert [(e.starkKey, e.quantizedAmount, e.recipient) for e in performed] == [(key, 7, payee.address)]
    assert c.getWithdrawalBalance(key, t) == 0
    with ape.reverts(c.NothingToWithdraw):
        c.withdraw(key, t, sender=outsider)


@pytest.mark.parametrize("label, key", [
    ("withdrawal credited to owner key 0", 0),
])
def test_a_key_word_of_zero_credits_no_one(exchange, label, key):
    words = exchange.prove(exchange.batch([Modification(key, 1, -5)]))
    refused(CLASS, label, lambda: exchange.contract.updateState(
        words, exchange.app_data().words(), sender=exchange.operator), "InvalidModification")


@pytest.mark.parametrize("label, key", [
    ("credit to key word 2^160 paid to address 0", 2**160),
    ("credit to key word 2^160 + an address paid to that address", 2**160 + 0xC0FFEE),
    ("credit to key word P - 1 paid as an address", 2**251 + 17 * 2**192),
])
def test_a_word_of_2_160_or_more_is_a_stark_key(exchange, alice, label, key):
    """Only below 2^160 is the word an address: above, it needs a registration as any Stark key."""
    c, t = exchange.contract, exchange.collateral
    exchange.submit(exchange.batch([Modification(key, 1, -5)]))
    refused(CLASS, label, lambda: c.withdraw(key, t, sender=alice), "StarkKeyNotRegistered")


def test_an_address_credit_is_never_paid_to_the_caller(exchange, accounts, alice, alice_key, outsider):
    c, t = exchange.contract, exchange.collateral
    payee = accounts.generate_test_account()
    key = int(payee.address, 16)
    _withdrawn_to(exchange, alice, alice_key, key, 4)
    before, payee_before = outsider.balance, payee.balance
    receipt = c.withdraw(key, t, sender=outsider)
    gas = receipt.gas_used * receipt.gas_price
    observed(CLASS, "another account withdraws an address's credit to itself",
             accepted=outsider.balance != before - gas or payee.balance != payee_before + 4 * QUANTUM)
    # A deposit cannot be consumed for an address: no pending deposit is ever held for one.
    words = exchange.prove(exchange.batch([Modification(int(alice.address, 16), 5, 1)]))
    refused(CLASS, "deposit modification for an address key", lambda: c.updateState(
        words, exchange.app_data().words(), sender=exchange.operator))


def test_a_paid_address_that_re_enters_withdraw_is_paid_once(exchange, project, alice, alice_key, outsider, chain):
    """The address is a contract whose receive() calls withdraw for itself again when paid."""
    c, t = exchange.contract, exchange.collateral
    receiver = alice.deploy(project.ReentrantReceiver)
    key = int(receiver.address, 16)
    _withdrawn_to(exchange, alice, alice_key, key, 6)
    c.deposit(alice_key, t, 5, 6, value=6 * QUANTUM, sender=alice)  # more ETH held: a second payout could be taken
    receiver.arm(c, c.withdraw.encode_input(key, t), sender=alice)
    c.withdraw(key, t, sender=outsider)
    observed("reentrancy", "ETH receiver paid as an address re-enters withdraw", receiver.reentriesSucceeded() != 0)
    assert chain.provider.get_balance(receiver.address) == 6 * QUANTUM
