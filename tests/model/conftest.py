import pytest

from offchain.perpetual.errors import TransactionRejected
from offchain.perpetual.execute import apply_transaction
from .world import snapshot


@pytest.fixture
def rejects():
    """Assert a transaction is rejected for `reason` and leaves the state as it was."""
    def check(state, tx, reason, min_expiration=0):
        before = snapshot(state)
        with pytest.raises(TransactionRejected) as info:
            apply_transaction(state, tx, min_expiration)
        assert info.value.reason_code == reason, info.value
        assert snapshot(state) == before
        return info.value
    return check
