import ape
import pytest
from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils import keccak

from .batch_builder import SharedState, availability_fact

MEMBERS = sorted((Account.from_key(keccak(f"member {i}".encode())) for i in range(4)), key=lambda a: int(a.address, 16))


def sign(member, fact: bytes) -> bytes:
    return bytes(member.sign_message(encode_defunct(primitive=fact)).signature)


@pytest.fixture(scope="module")
def committee(project, accounts):
    return accounts[0].deploy(project.Committee, [m.address for m in MEMBERS], 3)


STATE = SharedState(positions_root=11, positions_height=64, orders_root=22, orders_height=64)


def register(committee, signers, sender, seq=1):
    sigs = b"".join(sign(m, availability_fact(STATE, seq)) for m in signers)
    return committee.registerAvailabilityFact(11, 64, 22, 64, seq, sigs, sender=sender)


def test_threshold_of_distinct_members(committee, accounts):
    fact = availability_fact(STATE, 1)
    assert committee.availabilityFact(11, 64, 22, 64, 1) == fact
    assert not committee.isValid(fact)
    receipt = register(committee, MEMBERS[:3], accounts[5])
    assert committee.isValid(fact)
    assert receipt.events[0].signers == 3


def test_signature_failures(committee, accounts):
    with ape.reverts(committee.NotEnoughSignatures):
        register(committee, MEMBERS[:2], accounts[5])
    with ape.reverts(committee.SignersNotIncreasing):
        register(committee, [MEMBERS[0], MEMBERS[0], MEMBERS[1]], accounts[5])
    stranger = Account.from_key(keccak(b"not a member"))
    with ape.reverts(committee.NotAMember):
        register(committee, MEMBERS[:2] + [stranger], accounts[5])
    with ape.reverts(committee.InvalidSignaturesLength):
        committee.registerAvailabilityFact(11, 64, 22, 64, 1, b"\x00" * 64, sender=accounts[5])
    bad_v = bytearray(b"".join(sign(m, availability_fact(STATE, 1)) for m in MEMBERS[:3]))
    bad_v[64] = 29
    with ape.reverts(committee.InvalidCommitteeSignature):
        committee.registerAvailabilityFact(11, 64, 22, 64, 1, bytes(bad_v), sender=accounts[5])
    with ape.reverts(committee.TooManySignatures):
        register(committee, MEMBERS + [MEMBERS[0]], accounts[5])


@pytest.mark.parametrize("members, threshold, error", [
    ([m.address for m in MEMBERS], 5, "InvalidThreshold"),
    ([m.address for m in MEMBERS], 0, "InvalidThreshold"),
    ([MEMBERS[0].address, MEMBERS[0].address], 1, "InvalidMember"),
    ([MEMBERS[0].address, "0x0000000000000000000000000000000000000000"], 1, "InvalidMember"),
], ids=["threshold-above-members", "zero-threshold", "duplicate-member", "zero-address-member"])
def test_constructor_checks(project, accounts, members, threshold, error):
    with ape.reverts(getattr(project.Committee, error)):
        accounts[0].deploy(project.Committee, members, threshold)


def test_exchange_accepts_batch_with_committee_fact(project, governor, operator, chain, escape_verifier):
    from .conftest import deploy_exchange
    ex = deploy_exchange(project, governor, operator, chain, escape_verifier)
    committee = governor.deploy(project.Committee, [m.address for m in MEMBERS], 3)
    ex.contract.announceAvailabilityVerifiers([committee.address], sender=governor)
    chain.pending_timestamp += 28 * 24 * 3600  # CONFIGURATION_DELAY
    ex.contract.applyAvailabilityVerifiers([committee.address], sender=governor)
    ex.committee = None  # availability now comes from real member signatures
    output = ex.batch(new_state=ex.next_state(positions_root=11, orders_root=22))
    words = ex.prove(output)
    with ape.reverts(ex.contract.AvailabilityFactNotValid):
        ex.contract.updateState(words, ex.app_data().words(), sender=operator)
    fact = availability_fact(output.new_state, 1)
    sigs = b"".join(sign(m, fact) for m in MEMBERS[1:])
    committee.registerAvailabilityFact(11, 64, 22, 64, 1, sigs, sender=operator)
    ex.submit(output, prove=False)
    assert ex.contract.sequenceNumber() == 1
