import ape
import pytest

from .conftest import PROGRAM_HASH, SYNTHETIC_ASSET_ID, init_params

DELAY = 28 * 24 * 3600  # CONFIGURATION_DELAY: the 7-day grace period + 21 days



def test_initialize_only_once(exchange, governor, escape_verifier):
    c = exchange.contract
    assert c.isGovernor(governor)
    assert c.lastBatchId() == 2**256 - 1
    assert c.programHash() == PROGRAM_HASH
    assert c.sharedStateHash() == exchange.state.keccak()
    with ape.reverts(c.AlreadyInitialized):
        c.initialize(init_params(governor, escape_verifier, [exchange.registry.address], [], exchange.state),
                     sender=governor)


def test_governor_nomination_two_steps(exchange, governor, alice, outsider):
    c = exchange.contract
    with ape.reverts(c.NotGovernor):
        c.nominateGovernor(alice, sender=outsider)
    with ape.reverts(c.NotGovernorCandidate):
        c.acceptGovernance(sender=alice)
    c.nominateGovernor(alice, sender=governor)
    assert not c.isGovernor(alice)
    receipt = c.acceptGovernance(sender=alice)
    assert c.isGovernor(alice)
    assert receipt.events[0].governor == alice.address
    with ape.reverts(c.AlreadyGovernor):
        c.nominateGovernor(alice, sender=governor)
    with ape.reverts(c.GovernorCannotRemoveItself):
        c.removeGovernor(alice, sender=alice)
    c.removeGovernor(alice, sender=governor)
    assert not c.isGovernor(alice)
    with ape.reverts(c.NotGovernor):
        c.removeGovernor(alice, sender=governor)


def test_cancel_nomination(exchange, governor, alice):
    c = exchange.contract
    with ape.reverts(c.NotGovernorCandidate):
        c.cancelGovernorNomination(alice, sender=governor)
    c.nominateGovernor(alice, sender=governor)
    c.cancelGovernorNomination(alice, sender=governor)
    with ape.reverts(c.NotGovernorCandidate):
        c.acceptGovernance(sender=alice)
    with ape.reverts(c.ZeroAddress):
        c.nominateGovernor("0x" + "00" * 20, sender=governor)


def test_operators(exchange, governor, alice, outsider):
    c = exchange.contract
    with ape.reverts(c.NotGovernor):
        c.registerOperator(alice, sender=outsider)
    c.registerOperator(alice, sender=governor)
    assert c.isOperator(alice)
    c.unregisterOperator(alice, sender=governor)
    assert not c.isOperator(alice)
    with ape.reverts(c.NotAnOperator):
        c.unregisterOperator(alice, sender=governor)


def test_program_hash_change_waits_for_timelock(exchange, governor, outsider, chain):
    c = exchange.contract
    with ape.reverts(c.NotGovernor):
        c.announceProgramHash(5, sender=outsider)
    with ape.reverts(c.ChangeNotAnnounced):
        c.applyProgramHash(5, sender=governor)
    c.announceProgramHash(5, sender=governor)
    with ape.reverts(c.ChangeAlreadyAnnounced):
        c.announceProgramHash(5, sender=governor)
    with ape.reverts(c.ChangeNotReady):
        c.applyProgramHash(5, sender=governor)
    with ape.reverts(c.ChangeNotAnnounced):
        c.applyProgramHash(6, sender=governor)
    chain.pending_timestamp += DELAY
    c.applyProgramHash(5, sender=governor)
    assert c.programHash() == 5
    with ape.reverts(c.ChangeNotAnnounced):
        c.applyProgramHash(5, sender=governor)


def test_global_config_change_and_cancel(exchange, governor, chain):
    """The general config hash and the asset-config section change together, as one change."""
    c = exchange.contract
    configs = [SYNTHETIC_ASSET_ID, 5, SYNTHETIC_ASSET_ID + 1, 6]
    receipt = c.announceGlobalConfig(77, configs, sender=governor)
    change_id = receipt.events[0].changeId
    assert c.changeReadyAt(change_id) == receipt.timestamp + DELAY
    c.cancelChange(change_id, sender=governor)
    chain.pending_timestamp += DELAY
    with ape.reverts(c.ChangeNotAnnounced):
        c.applyGlobalConfig(77, configs, sender=governor)
    with ape.reverts(c.ChangeNotAnnounced):
        c.cancelChange(change_id, sender=governor)
    c.announceGlobalConfig(77, configs, sender=governor)
    chain.pending_timestamp += DELAY
    with ape.reverts(c.ChangeNotAnnounced):
        c.applyGlobalConfig(77, configs[:2], sender=governor)
    c.applyGlobalConfig(77, configs, sender=governor)
    assert c.globalConfigHash() == 77
    assert list(c.getAssetConfigs()) == configs
    assert c.assetConfigHash(SYNTHETIC_ASSET_ID + 1) == 6


@pytest.mark.parametrize("configs, index", [
    ([5, 1, 5, 2], 2),                 # ids not strictly increasing
    ([0, 1], 0),                       # id 0 is the program's "no synthetic"
    ([2**251 + 17 * 2**192 + 1, 1], 0),  # id not a field element
    ([5, 0], 1),                       # no config hash
    ([5, 1, 6], 3),                    # odd length: counted as index length
])
def test_global_config_must_be_one_a_batch_can_state(exchange, governor, configs, index):
    with ape.reverts(exchange.contract.InvalidAssetConfigs, index=index if len(configs) % 2 == 0 else len(configs)):
        exchange.contract.announceGlobalConfig(77, configs, sender=governor)


def test_collateral_cannot_be_a_synthetic_asset(exchange, governor):
    with ape.reverts(exchange.contract.InvalidAssetConfigs):
        exchange.contract.announceGlobalConfig(77, [exchange.collateral, 1], sender=governor)


@pytest.mark.parametrize("kind", ["VerifierChain", "AvailabilityVerifiers"])
def test_verifier_lists_change_behind_timelock(exchange, governor, chain, project, kind):
    c = exchange.contract
    new = [governor.deploy(project.LocalDevFactRegistry).address for _ in range(2)]
    getattr(c, f"announce{kind}")(new, sender=governor)
    with ape.reverts(c.ChangeNotReady):
        getattr(c, f"apply{kind}")(new, sender=governor)
    chain.pending_timestamp += DELAY
    getattr(c, f"apply{kind}")(new, sender=governor)
    getter = c.getVerifierChain if kind == "VerifierChain" else c.getAvailabilityVerifiers
    assert list(getter()) == new
    with ape.reverts(c.DuplicateVerifier):
        getattr(c, f"announce{kind}")([new[0], new[0]], sender=governor)
    with ape.reverts(c.InvalidVerifierList):
        getattr(c, f"announce{kind}")([], sender=governor)
    with ape.reverts(c.InvalidVerifierList):
        getattr(c, f"announce{kind}")([new[0]] * 9, sender=governor)
