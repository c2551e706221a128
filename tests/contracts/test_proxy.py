"""The exchange behind its upgrade proxy: the proxy initializes it in the deploying transaction,
keeps its state across upgrades (announced, then applied after the delay), and the
implementation refuses every call made to it directly."""
import ape

from offchain.perpetual.exchange import PERPETUAL_SUB_CONTRACTS
from offchain.core.l1.users import register_user

from .batch_builder import Modification
from .conftest import QUANTUM, init_params, stark_key

IMPLEMENTATION_SLOT = 0x360894A13BA1A3210667C828492DB98DCA3E2076CC3735A920A3CA505D382BBC
DELAY = 28 * 24 * 3600  # UPGRADE_DELAY = CONFIGURATION_DELAY


def _implementation(chain, exchange) -> str:
    word = int.from_bytes(chain.provider.get_storage(exchange.address, IMPLEMENTATION_SLOT), "big")
    return "0x" + word.to_bytes(20, "big").hex()


def test_state_survives_an_upgrade_after_the_delay(exchange, project, governor, alice, outsider, chain):
    c = exchange.contract
    assert c.proxyImplementation().lower() == _implementation(chain, c)
    key = stark_key(42)
    register_user(c, alice, 42)
    c.deposit(key, exchange.collateral, 1, 3, value=3 * QUANTUM, sender=alice)
    exchange.submit(exchange.batch([Modification(key, 1, 3)]))

    implementation = project.StarkPerpetual.at(c.proxyImplementation())
    subs = [implementation.subContractOf(_selector(project, name, f))
            for name, f in zip(PERPETUAL_SUB_CONTRACTS, ("initialize", "deposit", "updateState", "freezeRequest"))]
    new_implementation = governor.deploy(project.StarkPerpetual, *subs)
    with ape.reverts(c.NotProxyAdmin):
        c.proxyAnnounceUpgrade(new_implementation, b"", sender=outsider)
    with ape.reverts(c.NotAContract):
        c.proxyAnnounceUpgrade(outsider, b"", sender=governor)
    with ape.reverts(c.UpgradeNotAnnounced):
        c.proxyUpgrade(new_implementation, b"", sender=governor)
    c.proxyAnnounceUpgrade(new_implementation, b"", sender=governor)
    with ape.reverts(c.UpgradeNotReady):
        c.proxyUpgrade(new_implementation, b"", sender=governor)
    chain.pending_timestamp += DELAY
    receipt = c.proxyUpgrade(new_implementation, b"", sender=governor)
    assert receipt.events[0].implementation == new_implementation.address
    assert _implementation(chain, c) == new_implementation.address.lower()
    # State lives in the proxy: it survives the upgrade.
    assert c.sequenceNumber() == 1
    assert c.getPendingDeposit(key, exchange.collateral, 1) == 0
    assert c.sharedStateHash() == exchange.state.keccak()


def _selector(project, sub_contract: str, function: str) -> str:
    identifiers = getattr(project, sub_contract).contract_type.method_identifiers
    return next(selector for signature, selector in identifiers.items() if signature.startswith(function + "("))


def test_initialized_once_and_only_through_the_proxy(exchange, project, governor, outsider, escape_verifier):
    c = exchange.contract
    params = init_params(outsider, escape_verifier, [exchange.registry.address], [], exchange.state)
    with ape.reverts(c.AlreadyInitialized):
        c.initialize(params, sender=outsider)
    implementation = project.StarkPerpetual.at(c.proxyImplementation())
    as_exchange = project.PerpetualGovernance.at(implementation.address)
    with ape.reverts(implementation.NotThroughProxy):
        as_exchange.initialize(params, sender=outsider)
    assert not c.isGovernor(outsider)


def test_every_sub_contract_function_is_routed_to_it(exchange, project):
    implementation = project.StarkPerpetual.at(exchange.contract.proxyImplementation())
    for name in PERPETUAL_SUB_CONTRACTS:
        identifiers = getattr(project, name).contract_type.method_identifiers
        owners = {implementation.subContractOf(selector) for selector in identifiers.values()}
        assert len(owners) == 1 and "0x" + "00" * 20 not in owners, name


def test_proxy_admin_two_steps_and_cancel(exchange, governor, outsider, chain):
    c = exchange.contract
    implementation = c.proxyImplementation()
    with ape.reverts(c.NotPendingAdmin):
        c.proxyAcceptAdmin(sender=outsider)
    c.proxyNominateAdmin(outsider, sender=governor)
    c.proxyAcceptAdmin(sender=outsider)
    assert c.proxyAdmin() == outsider.address
    with ape.reverts(c.NotProxyAdmin):
        c.proxyNominateAdmin(governor, sender=governor)
    c.proxyAnnounceUpgrade(implementation, b"\x01", sender=outsider)
    with ape.reverts(c.UpgradeAlreadyAnnounced):
        c.proxyAnnounceUpgrade(implementation, b"\x01", sender=outsider)
    c.proxyCancelUpgrade(implementation, b"\x01", sender=outsider)
    assert c.proxyUpgradeReadyAt(implementation, b"\x01") == 0
    with ape.reverts(c.UpgradeNotAnnounced):
        c.proxyCancelUpgrade(implementation, b"\x01", sender=outsider)
    # An upgrade whose initialization call reverts (no such function) is refused as a whole,
    # with the implementation's own error.
    c.proxyAnnounceUpgrade(implementation, b"\x02", sender=outsider)
    chain.pending_timestamp += DELAY
    with ape.reverts(c.UnknownSelector):
        c.proxyUpgrade(implementation, b"\x02", sender=outsider)
    assert c.proxyUpgradeReadyAt(implementation, b"\x02") != 0
