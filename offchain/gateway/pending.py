"""The state every arriving transaction is validated against: the model after all accepted ones."""
from __future__ import annotations

from offchain.perpetual.errors import Reason, TransactionRejected
from offchain.perpetual.execute import apply_transaction
from offchain.perpetual.state import PerpetualState
from offchain.perpetual.transactions import transaction_from_json


class ModelPendingState:
    def __init__(self, state: PerpetualState, minimum_expiration_timestamp: int = 0):
        self.state = state
        self.minimum_expiration_timestamp = minimum_expiration_timestamp

    def accept(self, tx: dict) -> None:
        try:
            parsed = transaction_from_json(tx)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise TransactionRejected(Reason.MALFORMED_TRANSACTION, f"{type(error).__name__}: {error}") from error
        apply_transaction(self.state, parsed, self.minimum_expiration_timestamp)
