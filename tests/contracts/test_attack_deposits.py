"""Deposit cancellation under attack. A user who could cancel an empty slot, or whose old
cancellation survived a new deposit, could deposit and reclaim at once: the operator, who saw the
deposit on L1 and credited it on L2, would find its batch refused (InsufficientPendingDeposit) —
the deposit both credited and refunded. Cancel only what exists, and a deposit into a slot
clears its cancellation (StarkEx: DEPOSIT_DOESNT_EXIST; a new deposit resets the timer)."""
from .adversary import refused
from .batch_builder import Modification
from .conftest import QUANTUM

TWO_DAYS = 2 * 24 * 3600
CANCEL = "deposit cancellation"


def test_cancel_of_an_empty_slot_is_refused(exchange, alice, alice_key, chain):
    """Pre-arming: cancel now, deposit in two days, reclaim at once."""
    c, t = exchange.contract, exchange.collateral
    refused(CANCEL, "cancel an empty slot", lambda: c.depositCancel(alice_key, t, 5, sender=alice), "DepositNotFound")
    chain.pending_timestamp += TWO_DAYS
    c.deposit(alice_key, t, 5, 100, value=100 * QUANTUM, sender=alice)
    refused(CANCEL, "reclaim a deposit made after a pre-armed cancel",
            lambda: c.depositReclaim(alice_key, t, 5, sender=alice), "DepositCancelNotRequested")
    exchange.submit(exchange.batch([Modification(alice_key, 5, 100)]))
    assert c.getPendingDeposit(alice_key, t, 5) == 0


def test_a_deposit_clears_an_old_cancellation(exchange, alice, alice_key, chain):
    """Deposit 1, cancel, wait two days, deposit 1000: the old timer must not release the 1000."""
    c, t = exchange.contract, exchange.collateral
    c.deposit(alice_key, t, 5, 1, value=QUANTUM, sender=alice)
    c.depositCancel(alice_key, t, 5, sender=alice)
    chain.pending_timestamp += TWO_DAYS
    receipt = c.deposit(alice_key, t, 5, 1000, value=1000 * QUANTUM, sender=alice)
    assert c.getCancellationRequest(alice_key, t, 5) == 0
    assert "LogDepositCancelCleared" in [e.event_name for e in receipt.events]
    refused(CANCEL, "reclaim on a cancellation older than the last deposit",
            lambda: c.depositReclaim(alice_key, t, 5, sender=alice), "DepositCancelNotRequested")
    # The operator consumes the whole deposit; the batch is not undercut.
    exchange.submit(exchange.batch([Modification(alice_key, 5, 1001)]))
    # A fresh cancellation of what is left (nothing) is refused; of a new deposit, it waits again.
    refused(CANCEL, "cancel a slot a batch emptied", lambda: c.depositCancel(alice_key, t, 5, sender=alice),
            "DepositNotFound")
    c.deposit(alice_key, t, 5, 7, value=7 * QUANTUM, sender=alice)
    c.depositCancel(alice_key, t, 5, sender=alice)
    refused(CANCEL, "reclaim before the delay", lambda: c.depositReclaim(alice_key, t, 5, sender=alice),
            "DepositReclaimTooEarly")
    chain.pending_timestamp += TWO_DAYS
    before = alice.balance
    receipt = c.depositReclaim(alice_key, t, 5, sender=alice)
    assert alice.balance == before + 7 * QUANTUM - receipt.total_fees_paid
