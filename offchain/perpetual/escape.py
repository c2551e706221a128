"""The user's escape client: leave a frozen exchange with a position's funds, from L1 data alone.

Nothing here asks the operator. In rollup mode every accepted `updateState` carries, in its
program output, the full new state of every position the batch changed
(docs/program-output.md, *On-chain data*). The client

1. reads every LogStateUpdate of the exchange and decodes the `updateState` calldata of the
   transaction that emitted it (the contract's ABI, then the one output parser,
   offchain.perpetual.batch.decode_output);
2. replays those positions on an empty positions tree with the same leaf hash as the Cairo
   program, checking each batch against its event and the final root and shared-state hash
   against L1's `positionsRoot()` and `sharedStateHash()`; any disagreement is a RebuildMismatch
   and nothing is sent;
3. builds `escape(starkKey, positionId, collateralBalance, packedAssets, merklePath, sharedState)`
   for a position, reports what it pays, sends it, then `withdraw`s for the owner.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ape.exceptions import ContractLogicError

from offchain.crypto.constants import from_field
from offchain.core.facts import words_hash
from offchain.perpetual.exchange import exchange_at
from offchain.perpetual.batch import BatchOutput, decode_output
from offchain.perpetual.config import ROLLUP
from offchain.perpetual.constants import BALANCE_BIAS, FXP_32_ONE
from offchain.perpetual.errors import TransactionRejected
from offchain.perpetual.merkle import SparseMerkleTree
from offchain.perpetual.position import EMPTY_POSITION, EMPTY_POSITION_HASH, Position, PositionAsset
from offchain.perpetual.rules import apply_funding
from offchain.perpetual.state import SharedState

UPDATE_STATE = "updateState"


class EscapeError(Exception):
    """The client refuses: nothing was sent."""


class RebuildMismatch(EscapeError):
    """What the client rebuilt from L1 data disagrees with what L1 stores or logged."""


class NotFrozen(EscapeError):
    pass


class AlreadyEscaped(EscapeError):
    pass


@dataclass(frozen=True)
class AcceptedBatch:
    """One accepted state update, as L1 logged it and as its calldata states it."""
    sequence_number: int
    batch_id: int
    logged_shared_state_hash: int
    logged_positions_root: int
    block_number: int
    transaction_hash: str
    output: BatchOutput


@dataclass(frozen=True)
class EscapeArguments:
    stark_key: int
    position_id: int
    collateral_balance: int
    packed_assets: list[int]
    merkle_path: list[int]
    shared_state: list[int]

    def call_args(self) -> tuple:
        return (self.stark_key, self.position_id, self.collateral_balance, self.packed_assets,
                self.merkle_path, self.shared_state)


@dataclass(frozen=True)
class EscapeReport:
    """What escaping one position would pay, before anything is sent."""
    position_id: int
    stark_key: int
    owner: str  # the eth address withdraw pays; "" if the key is unregistered (L1 refuses its escape)
    value: int  # quantized collateral, may be negative (an underwater position is paid nothing)
    payout: int  # quantized collateral the escape credits
    payout_base_units: int  # wei for ETH: payout × the collateral's quantum
    escaped: bool  # already escaped: nothing more to claim by escape


@dataclass
class RebuiltState:
    """The positions and last shared state of the exchange, as L1 data alone makes them."""
    positions: dict[int, Position]
    tree: SparseMerkleTree
    shared_state: SharedState
    batches: list[AcceptedBatch] = field(default_factory=list)

    @property
    def shared_state_words(self) -> list[int]:
        return self.shared_state.to_output_words()

    def position(self, position_id: int) -> Position:
        return self.positions.get(position_id, EMPTY_POSITION)


# --- decoding ---------------------------------------------------------------------------------

def positions_from_onchain_data(words: list[int]) -> dict[int, Position]:
    """The inverse of Position.onchain_words over a batch's whole on-chain data."""
    positions: dict[int, Position] = {}
    at = 0

    def take(n: int) -> list[int]:
        nonlocal at
        if at + n > len(words):
            raise RebuildMismatch("on-chain data ends inside a position")
        at += n
        return words[at - n:at]

    while at < len(words):
        position_id, public_key, biased_collateral, n_assets = take(4)
        assets = {}
        for _ in range(n_assets):
            asset_id, biased_funding, biased_balance = take(3)
            assets[asset_id] = PositionAsset(balance=biased_balance - BALANCE_BIAS,
                                             cached_funding_index=biased_funding - BALANCE_BIAS)
        if position_id in positions:
            raise RebuildMismatch(f"position {position_id} listed twice in one batch")
        positions[position_id] = Position(public_key=public_key,
                                          collateral_balance=biased_collateral - BALANCE_BIAS,
                                          assets=assets)
    return positions


def read_accepted_batches(exchange, chain, start_block: int = 0) -> list[AcceptedBatch]:
    """Every accepted state update of `exchange`, by sequence number, decoded from the calldata of
    the transaction that logged it. Only a direct `updateState` call can be decoded this way; any
    other transaction behind a LogStateUpdate is refused, not guessed (rebuild then ties each
    decoded output to its event)."""
    web3 = chain.provider.web3
    batches: list[AcceptedBatch] = []
    seen_transactions: set[str] = set()
    for log in exchange.LogStateUpdate.range(start_block, chain.blocks.height + 1):
        tx_hash = log.transaction_hash if isinstance(log.transaction_hash, str) else log.transaction_hash.hex()
        if tx_hash in seen_transactions:
            raise RebuildMismatch(f"transaction {tx_hash} made several state updates: its calldata cannot tell them apart")
        seen_transactions.add(tx_hash)
        tx = web3.eth.get_transaction(tx_hash)
        if tx["to"] is None or tx["to"].lower() != exchange.address.lower():
            raise RebuildMismatch(f"state update {log.sequenceNumber} was not a direct call to the exchange "
                                  f"(transaction {tx_hash} went to {tx['to']})")
        selector, arguments = exchange.decode_input(bytes(tx["input"]))
        if not selector.startswith(UPDATE_STATE + "("):
            raise RebuildMismatch(f"transaction {tx_hash} calls {selector}, not {UPDATE_STATE}")
        output = decode_output([int(w) for w in arguments["programOutput"]])
        batch = AcceptedBatch(sequence_number=int(log.sequenceNumber), batch_id=int(log.batchId),
                              logged_shared_state_hash=int(log.sharedStateHash),
                              logged_positions_root=int(log.positionsRoot), block_number=int(log.block_number),
                              transaction_hash=tx_hash, output=output)
        batches.append(batch)
    return sorted(batches, key=lambda b: b.sequence_number)


def _check_against_log(batch: AcceptedBatch) -> None:
    new_state_hash = int.from_bytes(words_hash(batch.output.new_state.to_output_words()), "big")
    if new_state_hash != batch.logged_shared_state_hash:
        raise RebuildMismatch(f"state update {batch.sequence_number}: calldata's new shared state hashes to "
                              f"{new_state_hash:#x}, the event logged {batch.logged_shared_state_hash:#x}")
    if batch.output.new_state.positions_root != batch.logged_positions_root:
        raise RebuildMismatch(f"state update {batch.sequence_number}: calldata's positions root differs from the event's")


# --- rebuilding -------------------------------------------------------------------------------

def rebuild(batches: list[AcceptedBatch], l1_positions_root: int, l1_shared_state_hash: int) -> RebuiltState:
    """Replays the batches' on-chain data on an empty positions tree. Each batch's decoded output
    must match its event, every root along the way must chain, and the final root and shared-state
    hash must be L1's; else RebuildMismatch."""
    if not batches:
        raise EscapeError("no accepted state update: nothing to rebuild positions from")
    first = batches[0].output.previous_state
    tree = SparseMerkleTree(first.positions_height, EMPTY_POSITION_HASH)
    if first.positions_root != tree.root:
        raise RebuildMismatch("the first batch does not start from an empty positions tree: "
                              "its genesis positions are not in L1 data")
    positions: dict[int, Position] = {}
    for expected_sequence, batch in enumerate(batches, start=1):
        out = batch.output
        if batch.sequence_number != expected_sequence:
            raise RebuildMismatch(f"state update {batch.sequence_number} found where {expected_sequence} was expected")
        _check_against_log(batch)
        if out.data_availability_mode != ROLLUP or out.onchain_data is None:
            raise RebuildMismatch(f"state update {batch.sequence_number} is not in rollup mode: no position data on L1")
        if out.previous_state.positions_root != tree.root:
            raise RebuildMismatch(f"state update {batch.sequence_number} starts from a root the replay did not reach")
        changed = positions_from_onchain_data(out.onchain_data)
        for position_id, position in changed.items():
            if position.is_empty:
                positions.pop(position_id, None)
            else:
                positions[position_id] = position
        tree.update({position_id: position.leaf_hash() for position_id, position in changed.items()})
        if tree.root != out.new_state.positions_root:
            raise RebuildMismatch(f"replaying state update {batch.sequence_number} gives root {tree.root:#x}, "
                                  f"its output states {out.new_state.positions_root:#x}")
    if tree.root != l1_positions_root:
        raise RebuildMismatch(f"rebuilt positions root {tree.root:#x} is not L1's positionsRoot() {l1_positions_root:#x}")
    last = batches[-1].output.new_state
    last_hash = int.from_bytes(words_hash(last.to_output_words()), "big")
    if last_hash != l1_shared_state_hash:
        raise RebuildMismatch(f"the last shared state hashes to {last_hash:#x}, L1's sharedStateHash() is "
                              f"{l1_shared_state_hash:#x}")
    return RebuiltState(positions=positions, tree=tree, shared_state=last, batches=list(batches))


# --- escaping ---------------------------------------------------------------------------------

def packed_assets(position: Position) -> list[int]:
    """asset_id·2^128 + (cached_funding + 2^63)·2^64 + (balance + 2^63), in increasing asset id."""
    return [asset_id * 2**128 + (a.cached_funding_index + BALANCE_BIAS) * 2**64 + (a.balance + BALANCE_BIAS)
            for asset_id, a in position.assets.items()]


def position_value(position: Position, shared_state: SharedState) -> int:
    """What escape computes (contracts/perpetual/README.md): funding applied then floored, plus the
    synthetics at the oracle prices, floored to quantized collateral. May be negative."""
    funding = {asset_id: from_field(index) for asset_id, index in shared_state.funding_indices.items()}
    try:
        funded = apply_funding(position, funding)
    except TransactionRejected as reason:  # a missing funding index: L1 refuses the same way
        raise EscapeError(f"cannot value the position at the last shared state: {reason}") from reason
    total = funded.collateral_balance * FXP_32_ONE
    for asset_id, a in funded.assets.items():
        price = shared_state.oracle_prices.get(asset_id)
        if price is None:
            raise EscapeError(f"no oracle price for asset {asset_id} in the last shared state: L1 would refuse the escape")
        total += price * a.balance
    return total // FXP_32_ONE


def escape_payout(position: Position, shared_state: SharedState) -> int:
    """The quantized collateral the escape credits: the value if positive, else nothing."""
    return max(0, position_value(position, shared_state))


class EscapeClient:
    """Escapes positions of one exchange, trusting only the chain."""

    def __init__(self, exchange, chain, start_block: int = 0):
        self.exchange = exchange
        self.chain = chain
        self.start_block = start_block
        self._state: RebuiltState | None = None

    @classmethod
    def at(cls, project, address: str, chain, start_block: int = 0) -> "EscapeClient":
        """The exchange's public ABI at `address` (its proxy's) is all it needs."""
        return cls(exchange_at(project, address), chain, start_block)

    def state(self, refresh: bool = False) -> RebuiltState:
        if self._state is None or refresh:
            batches = read_accepted_batches(self.exchange, self.chain, self.start_block)
            self._state = rebuild(batches, int(self.exchange.positionsRoot()), int(self.exchange.sharedStateHash()))
        return self._state

    def arguments(self, position_id: int) -> EscapeArguments:
        state = self.state()
        position = state.position(position_id)
        if position.is_empty:
            raise EscapeError(f"position {position_id} is empty: nothing to escape")
        return EscapeArguments(stark_key=position.public_key, position_id=position_id,
                               collateral_balance=position.collateral_balance,
                               packed_assets=packed_assets(position),
                               merkle_path=state.tree.authentication_path(position_id),
                               shared_state=state.shared_state_words)

    def payout(self, position_id: int) -> int:
        """What escaping this position would credit, in quantized collateral (sends nothing)."""
        state = self.state()
        return escape_payout(state.position(position_id), state.shared_state)

    def report(self, position_id: int) -> EscapeReport:
        state = self.state()
        position = state.position(position_id)
        value = position_value(position, state.shared_state)
        payout = max(0, value)
        return EscapeReport(position_id=position_id, stark_key=position.public_key,
                            owner=self._owner(position.public_key), value=value, payout=payout,
                            payout_base_units=int(self.exchange.fromQuantized(self.exchange.collateralAssetType(), payout)),
                            escaped=bool(self.exchange.isEscaped(position_id)))

    def _owner(self, stark_key: int) -> str:
        try:
            return str(self.exchange.getEthKey(stark_key))
        except ContractLogicError:  # StarkKeyNotRegistered
            return ""

    def escape(self, position_id: int, sender):
        """Sends escape for the position (anyone may send it); returns the receipt."""
        if not self.exchange.frozen():
            raise NotFrozen("the exchange is not frozen: escape is only open after a freeze")
        if self.exchange.isEscaped(position_id):
            raise AlreadyEscaped(f"position {position_id} has already escaped")
        return self.exchange.escape(*self.arguments(position_id).call_args(), sender=sender)

    def withdraw(self, stark_key: int, sender):
        """Pays the key's whole pending collateral to the eth address that registered it."""
        return self.exchange.withdraw(stark_key, self.exchange.collateralAssetType(), sender=sender)

    def escape_and_withdraw(self, position_id: int, sender) -> int:
        """Escape then withdraw for the owner; returns the quantized amount the escape credited."""
        receipt = self.escape(position_id, sender)
        credited = sum(int(e.quantizedAmount) for e in receipt.events if e.event_name == "LogEscape")
        if credited > 0:
            self.withdraw(self.state().position(position_id).public_key, sender)
        return credited
