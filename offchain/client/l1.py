"""Every L1 call the user's side makes, in one place: a change of the exchange's ABI is an edit
here and nowhere else (the CLI, the explorer and the tests go through `ExchangeL1`).

Takes Ape objects (a contract instance, accounts), so it runs wherever Ape is connected. Amounts
are quantized (the collateral's L1 quantum of wei each); the exchange computes the same values
as the L2 model (a position's Stark key, the collateral asset type of docs/program-output.md).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from eth_utils import to_checksum_address

from offchain.client.keys import StarkKeyPair
from offchain.core.l1.users import register_user
from offchain.perpetual.signing import ForcedTradeRequest, forced_trade_signature

# StarkEx's freeze grace period (contracts: FREEZE_GRACE_PERIOD): a forced request left unserved
# this long lets anyone freeze the exchange.
FREEZE_GRACE_PERIOD_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class ForcedRequestStatus:
    key: bytes
    requested_at: int | None  # L1 time of the request; None once served (or never made)
    freezable_at: int | None  # requested_at (or the last unfreeze) + the grace period


class ExchangeL1:
    """The exchange contract as its users and the explorer call it."""

    def __init__(self, exchange):
        self.exchange = exchange

    @property
    def address(self) -> str:
        return self.exchange.address

    # --- reads -------------------------------------------------------------------------------

    def collateral_asset_type(self) -> int:
        return int(self.exchange.collateralAssetType())

    def quantum(self, asset_type: int) -> int:
        return int(self.exchange.getQuantum(asset_type))

    def eth_key_of(self, stark_key: int) -> str | None:
        """The Ethereum address a Stark key is registered to, or None."""
        # A plain eth_call: the contract reverts for an unregistered key, and Ape would print the
        # revert's call trace for what is an expected answer here.
        call = {"to": self.address, "data": self.exchange.getEthKey.encode_input(stark_key)}
        try:
            result = bytes(self.exchange.provider.web3.eth.call(call))
        except Exception:  # noqa: BLE001 — StarkKeyNotRegistered
            return None
        address = int.from_bytes(result[-20:], "big")
        return None if address == 0 else to_checksum_address(address.to_bytes(20, "big"))

    def pending_deposit(self, stark_key: int, asset_type: int, position_id: int) -> int:
        return int(self.exchange.getPendingDeposit(stark_key, asset_type, position_id))

    def withdrawable(self, stark_key: int, asset_type: int) -> int:
        """Quantized amount that `withdraw` would pay now."""
        return int(self.exchange.getWithdrawalBalance(stark_key, asset_type))

    def is_frozen(self) -> bool:
        return bool(self.exchange.frozen())

    def forced_withdrawal_key(self, stark_key: int, position_id: int, amount: int) -> bytes:
        return bytes(self.exchange.forcedWithdrawalKey(stark_key, position_id, amount))

    def forced_trade_key(self, request: ForcedTradeRequest) -> bytes:
        return bytes(self.exchange.forcedTradeKey(request.as_tuple()))

    def forced_request_status(self, key: bytes) -> ForcedRequestStatus:
        requested_at = int(self.exchange.forcedRequestTime(key)) or None
        if requested_at is None:
            return ForcedRequestStatus(key, None, None)
        grace_start = max(requested_at, int(self.exchange.lastUnfreezeTime()))
        return ForcedRequestStatus(key, requested_at, grace_start + FREEZE_GRACE_PERIOD_SECONDS)

    # --- the user's transactions ---------------------------------------------------------------

    def register(self, eth_account, keys: StarkKeyPair):
        """Binds the Stark key to eth_account (signed by the Stark key, checked on L1)."""
        return register_user(self.exchange, eth_account, keys.private_key)

    def deposit(self, eth_account, stark_key: int, asset_type: int, position_id: int, amount: int):
        """Pays amount * quantum wei; the operator's L1 watcher credits it to the position."""
        return self.exchange.deposit(stark_key, asset_type, position_id, amount,
                                     value=amount * self.quantum(asset_type), sender=eth_account)

    def deposit_cancel(self, eth_account, stark_key: int, asset_type: int, position_id: int):
        return self.exchange.depositCancel(stark_key, asset_type, position_id, sender=eth_account)

    def deposit_reclaim(self, eth_account, stark_key: int, asset_type: int, position_id: int):
        return self.exchange.depositReclaim(stark_key, asset_type, position_id, sender=eth_account)

    def withdraw(self, eth_account, stark_key: int, asset_type: int) -> int:
        """Pays what the accepted batches credited to the key; returns the quantized amount."""
        amount = self.withdrawable(stark_key, asset_type)
        self.exchange.withdraw(stark_key, asset_type, sender=eth_account)
        return amount

    def forced_withdrawal(self, eth_account, stark_key: int, position_id: int, amount: int, premium: bool = False) -> bytes:
        """Asks L1 to force a withdrawal; the operator must serve it within the grace period."""
        self.exchange.forcedWithdrawalRequest(stark_key, position_id, amount, premium, sender=eth_account)
        return self.forced_withdrawal_key(stark_key, position_id, amount)

    def forced_trade_signature(self, counterparty_eth_account, request: ForcedTradeRequest,
                               submission_expiration: int, chain_id: int) -> bytes:
        """Party B's EIP-712 signature of the trade, which party A then submits."""
        return forced_trade_signature(counterparty_eth_account.private_key, request, submission_expiration,
                                      self.address, chain_id)

    def forced_trade(self, eth_account, request: ForcedTradeRequest, submission_expiration: int, signature: bytes,
                     premium: bool = False) -> bytes:
        self.exchange.forcedTradeRequest(request.as_tuple(), submission_expiration, signature, premium,
                                         sender=eth_account)
        return self.forced_trade_key(request)

    def freeze(self, eth_account, request_key: bytes):
        """Anyone may freeze the exchange once a forced request outlived the grace period."""
        return self.exchange.freezeRequest(request_key, sender=eth_account)


def connect_exchange(address: str) -> ExchangeL1:
    """The exchange at address on the connected network, with this repository's ABI; a clear
    error when nothing is deployed there (a wrong node, a restarted local node)."""
    from ape import Project, chain

    if not chain.provider.get_code(address):
        raise LookupError(f"no contract at {address} on chain {chain.chain_id}: is this the operator's node?")
    from offchain.perpetual.exchange import exchange_at

    project = Project(Path(__file__).resolve().parents[2])
    return ExchangeL1(exchange_at(project, address))

