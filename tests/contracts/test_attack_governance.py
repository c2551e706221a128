"""Governance racing the escape hatch. A user who objects to an announced change files a forced
request at once; if the operator censors it, the user may freeze the exchange one grace period
(7 days) later. Anything that changes what a proof means — the program, the verifier chain, the
availability verifiers, the configuration, the code (an upgrade) — must therefore take effect
later than that, or a malicious program or verifier lands before anyone can freeze (StarkEx:
verifier removal 7 + 21 days). And a freeze must not be undone at once: an unfreeze comes only
after a long delay (StarkEx: 365 days)."""
import ape

from .adversary import refused
from .conftest import SYNTHETIC_ASSET_ID, SYNTHETIC_CONFIG_HASH

GRACE = 7 * 24 * 3600
YEAR = 365 * 24 * 3600
RACE = "governance vs escape hatch"


def _changes(project, governor):
    new_registry = governor.deploy(project.LocalDevFactRegistry).address
    return {
        "ProgramHash": (5,),
        "VerifierChain": ([new_registry],),
        "AvailabilityVerifiers": ([new_registry],),
        "GlobalConfig": (77, [SYNTHETIC_ASSET_ID, SYNTHETIC_CONFIG_HASH + 1]),
    }


def test_a_change_to_what_a_proof_means_lands_after_users_can_freeze(exchange, project, governor, alice, outsider,
                                                                     alice_key, chain):
    c = exchange.contract
    changes = _changes(project, governor)
    for kind, args in changes.items():
        getattr(c, f"announce{kind}")(*args, sender=governor)
    implementation = c.proxyImplementation()
    c.proxyAnnounceUpgrade(implementation, b"", sender=governor)
    # Alice objects at once: a forced withdrawal, which the operator ignores.
    request = c.forcedWithdrawalRequest(alice_key, 5, 1, False, sender=alice)
    chain.pending_timestamp = request.timestamp + GRACE + 1
    for kind, args in changes.items():
        refused(RACE, f"apply{kind} as soon as the grace period is over",
                lambda: getattr(c, f"apply{kind}")(*args, sender=governor), "ChangeNotReady")
    refused(RACE, "proxyUpgrade as soon as the grace period is over",
            lambda: c.proxyUpgrade(implementation, b"", sender=governor), "UpgradeNotReady")
    c.freezeRequest(request.events[0].requestKey, sender=outsider)
    assert c.frozen()


def test_unfreeze_only_a_year_after_the_freeze(exchange, governor, alice, outsider, alice_key, chain):
    c = exchange.contract
    frozen_at = exchange.freeze(alice, alice_key, 5, outsider).timestamp
    assert c.frozenSince() == frozen_at
    refused(RACE, "unfreeze one block after the freeze", lambda: c.unfreeze(sender=governor), "UnfreezeTooEarly")
    chain.pending_timestamp = frozen_at + YEAR - 1
    refused(RACE, "unfreeze a second before the year is over", lambda: c.unfreeze(sender=governor),
            "UnfreezeTooEarly")
    chain.pending_timestamp = frozen_at + YEAR
    with ape.reverts(c.NotGovernor):
        c.unfreeze(sender=outsider)
    c.unfreeze(sender=governor)
    assert not c.frozen() and c.frozenSince() == 0
