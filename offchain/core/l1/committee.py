"""The validium data-availability committee: what members sign, a member, and the operator's side.

In validium mode the batch data stays off-chain, so L1 accepts a state update only when a
committee (contracts/committee/Committee.sol) vouches that enough members hold the data to
rebuild the state. As in StarkEx, a member pulls a batch from the availability gateway
(`get_batch_data`), replays its transactions on its own copy of the state, checks that it gets
the roots the operator claims, and only then signs them (`approve_new_roots`). The operator
registers the availability fact, with a quorum of signatures, before it sends updateState; short
of a quorum the batch waits at its step (NotReady) and nothing is lost.

Members sign with ordinary Ethereum keys: the EIP-191 message of the 32-byte fact.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils import keccak

from offchain.core.application import Application
from offchain.core.batching.pipeline import NotReady, StateUpdater
from offchain.core.storage import BatchRecord

SIGNATURES = "committee_signatures"  # batch data key: member address -> signature (hex)


def _application(application: Application | None) -> Application:
    if application is None:
        from offchain.perpetual.application import PERPETUAL as application
    return application


class AvailabilityMismatch(RuntimeError):
    """The operator's claimed roots are not what the batch's transactions give: do not sign."""


def sequence_number_of(batch_id: int) -> int:
    # L1 starts sequenceNumber at 0 and adds one per accepted updateState, and batch ids start
    # at 0 and go up by one per update, so batch n is L1's update number n + 1.
    return batch_id + 1


@dataclass(frozen=True)
class AvailabilityClaim:
    """The new roots of one batch, as Committee.availabilityFact hashes them: the off-chain state's
    tree and the orders tree (Perpetual: positions; Spot: the validium vaults), each with its height."""

    positions_root: int
    positions_height: int
    orders_root: int
    orders_height: int
    sequence_number: int

    @classmethod
    def of_batch(cls, batch: BatchRecord, application: Application | None = None) -> "AvailabilityClaim | None":
        """None until the batch is executed (its roots are not known before)."""
        roots = _application(application).availability_roots(batch.data)
        return None if roots is None else cls(*roots, sequence_number_of(batch.batch_id))

    @classmethod
    def of_state(cls, state, batch_id: int, application: Application | None = None) -> "AvailabilityClaim":
        return cls(*_application(application).state_availability_roots(state), sequence_number_of(batch_id))

    def fact(self) -> bytes:
        words = (self.positions_root, self.positions_height, self.orders_root, self.orders_height, self.sequence_number)
        return keccak(b"".join(w.to_bytes(32, "big") for w in words))

    def to_json(self) -> dict:
        return {k: hex(v) for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict) -> "AvailabilityClaim":
        return cls(**{k: int(v, 16) for k, v in data.items()})


def sign_claim(private_key: bytes | str, claim: AvailabilityClaim) -> str:
    signed = Account.sign_message(encode_defunct(primitive=claim.fact()), private_key)
    return "0x" + bytes(signed.signature).hex()


def signer_of(claim: AvailabilityClaim, signature: str) -> str | None:
    """The address that made `signature` over the claim, or None for a malformed signature."""
    try:
        return Account.recover_message(encode_defunct(primitive=claim.fact()), signature=signature)
    except Exception:  # eth_account raises several types for bad bytes; all mean "not a signature"
        return None


class CommitteeMember:
    """One member: follows the batches in order on its own copy of the state.

    `gateway` is an HTTP client whose base URL is the operator (httpx.Client, or FastAPI's
    TestClient in tests): the member talks to the operator only through the availability gateway.
    """

    def __init__(self, private_key: str, genesis, gateway, application: Application | None = None):
        self.application = _application(application)
        self.account = Account.from_key(private_key)
        self.state = genesis.copy()
        self.gateway = gateway
        self.next_batch_id = 0

    @property
    def address(self) -> str:
        return self.account.address

    def review_next(self) -> bool:
        """Checks and signs the next batch; False when the operator has not executed it yet."""
        response = self.gateway.get("/availability_gateway/get_batch_data", params={"batch_id": self.next_batch_id})
        if response.status_code == 404:
            return False
        response.raise_for_status()
        data = response.json()
        if data["claim"] is None:
            return False
        claimed = AvailabilityClaim.from_json(data["claim"])
        transactions = [self.application.parse(tx) for tx in data["transactions"]]
        # The batch's recorded choices (its expiration bound) come with its data.
        result = self.application.execute_batch(self.state, transactions, 0, data)
        rebuilt = AvailabilityClaim.of_state(result.state, self.next_batch_id, self.application)
        if rebuilt != claimed:
            raise AvailabilityMismatch(f"batch {self.next_batch_id}: the operator claims {claimed}, the transactions give {rebuilt}")
        answer = self.gateway.post("/availability_gateway/approve_new_roots", json={
            "batch_id": self.next_batch_id, "member_key": self.address, "signature": sign_claim(self.account.key, rebuilt)})
        answer.raise_for_status()
        self.state = result.state
        self.next_batch_id += 1
        return True


class CommitteeGatedUpdater:
    """Wraps the exchange's StateUpdater: the availability fact goes to the committee first."""

    def __init__(self, updater: StateUpdater, committee, sender, application: Application | None = None):
        self.application = _application(application)
        self.updater = updater
        self.committee = committee
        self.sender = sender

    def is_accepted(self, batch: BatchRecord) -> bool:
        return self.updater.is_accepted(batch)

    def depth(self, batch: BatchRecord) -> int | None:
        return self.updater.depth(batch)

    def submit(self, batch: BatchRecord) -> dict:
        claim = AvailabilityClaim.of_batch(batch, self.application)
        if claim is None:
            raise RuntimeError(f"batch {batch.batch_id} is not executed")
        exchange = getattr(self.updater, "exchange", None)
        if exchange is not None and int(exchange.sequenceNumber()) + 1 != claim.sequence_number:
            raise RuntimeError(f"batch {batch.batch_id} would be L1 update {int(exchange.sequenceNumber()) + 1}, "
                               f"its committee signs update {claim.sequence_number}")
        fact = claim.fact()
        if not self.committee.isValid(fact):  # a resumed step must not pay twice
            self._register(batch, claim)
        return {**self.updater.submit(batch), "availability_fact": "0x" + fact.hex()}

    def _register(self, batch: BatchRecord, claim: AvailabilityClaim) -> None:
        threshold = int(self.committee.threshold())
        signers: dict[int, str] = {}
        for signature in batch.data.get(SIGNATURES, {}).values():
            signer = signer_of(claim, signature)
            if signer is not None and self.committee.isMember(signer):
                signers[int(signer, 16)] = signature
        if len(signers) < threshold:
            raise NotReady(f"{len(signers)} of {threshold} committee signatures")
        # The contract wants strictly increasing signer addresses: distinct without a quadratic check.
        chosen = [bytes.fromhex(signers[a].removeprefix("0x")) for a in sorted(signers)[:threshold]]
        self.committee.registerAvailabilityFact(claim.positions_root, claim.positions_height, claim.orders_root,
                                                claim.orders_height, claim.sequence_number, b"".join(chosen),
                                                sender=self.sender)
