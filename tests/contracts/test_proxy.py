import ape

from .batch_builder import VALIDIUM, Modification, SharedState
from offchain.l1.users import register_user

from .conftest import CONFIG_HASH, ETH_ASSET_INFO, PROGRAM_HASH, QUANTUM, Exchange, stark_key

IMPLEMENTATION_SLOT = 0x360894A13BA1A3210667C828492DB98DCA3E2076CC3735A920A3CA505D382BBC
DELAY = 14 * 24 * 3600


def test_exchange_behind_proxy_upgrades_after_delay(project, governor, operator, alice, outsider, chain,
                                                    escape_verifier):
    registry = governor.deploy(project.LocalDevFactRegistry)
    committee = governor.deploy(project.LocalDevFactRegistry)
    implementation = governor.deploy(project.StarkPerpetual)
    state = SharedState(system_time=chain.pending_timestamp)
    params = (governor.address, escape_verifier.address, [registry.address], [committee.address],
              PROGRAM_HASH, CONFIG_HASH, VALIDIUM, state.words())
    init = implementation.initialize.encode_input(params)
    proxy = governor.deploy(project.UpgradeProxy, implementation, governor, init)
    c = project.StarkPerpetual.at(proxy.address)
    assert c.isGovernor(governor)
    assert not implementation.isGovernor(governor)  # state lives in the proxy
    with ape.reverts(c.AlreadyInitialized):
        c.initialize(params, sender=outsider)

    c.registerOperator(operator, sender=governor)
    c.registerCollateralAsset(ETH_ASSET_INFO, QUANTUM, sender=governor)
    key = stark_key(42)
    register_user(c, alice, 42)
    c.deposit(key, c.collateralAssetType(), 1, 3, value=3 * QUANTUM, sender=alice)
    ex = Exchange(c, registry, committee, governor, operator, chain, state)
    ex.submit(ex.batch([Modification(key, 1, 3)]))

    new_implementation = governor.deploy(project.StarkPerpetual)
    with ape.reverts(proxy.NotProxyAdmin):
        proxy.proxyAnnounceUpgrade(new_implementation, b"", sender=outsider)
    with ape.reverts(proxy.NotAContract):
        proxy.proxyAnnounceUpgrade(outsider, b"", sender=governor)
    with ape.reverts(proxy.UpgradeNotAnnounced):
        proxy.proxyUpgrade(new_implementation, b"", sender=governor)
    proxy.proxyAnnounceUpgrade(new_implementation, b"", sender=governor)
    with ape.reverts(proxy.UpgradeNotReady):
        proxy.proxyUpgrade(new_implementation, b"", sender=governor)
    chain.pending_timestamp += DELAY
    receipt = proxy.proxyUpgrade(new_implementation, b"", sender=governor)
    assert receipt.events[0].implementation == new_implementation.address
    assert proxy.proxyImplementation() == new_implementation.address
    assert int.from_bytes(chain.provider.get_storage(proxy.address, IMPLEMENTATION_SLOT), "big") == int(
        new_implementation.address, 16)
    # State survives the upgrade.
    assert c.sequenceNumber() == 1
    assert c.getPendingDeposit(key, c.collateralAssetType(), 1) == 0
    assert c.sharedStateHash() == ex.state.keccak()


def test_proxy_admin_two_steps_and_cancel(project, governor, outsider, escape_verifier, chain):
    implementation = governor.deploy(project.StarkPerpetual)
    proxy = governor.deploy(project.UpgradeProxy, implementation, governor, b"")
    with ape.reverts(proxy.NotPendingAdmin):
        proxy.proxyAcceptAdmin(sender=outsider)
    proxy.proxyNominateAdmin(outsider, sender=governor)
    proxy.proxyAcceptAdmin(sender=outsider)
    assert proxy.proxyAdmin() == outsider.address
    with ape.reverts(proxy.NotProxyAdmin):
        proxy.proxyNominateAdmin(governor, sender=governor)
    proxy.proxyAnnounceUpgrade(implementation, b"\x01", sender=outsider)
    with ape.reverts(proxy.UpgradeAlreadyAnnounced):
        proxy.proxyAnnounceUpgrade(implementation, b"\x01", sender=outsider)
    proxy.proxyCancelUpgrade(implementation, b"\x01", sender=outsider)
    assert proxy.proxyUpgradeReadyAt(implementation, b"\x01") == 0
    with ape.reverts(proxy.UpgradeNotAnnounced):
        proxy.proxyCancelUpgrade(implementation, b"\x01", sender=outsider)
    # An upgrade whose initialization call reverts (no such function) is refused as a whole.
    proxy.proxyAnnounceUpgrade(implementation, b"\x02", sender=outsider)
    chain.pending_timestamp += DELAY
    with ape.reverts(proxy.InitializationFailed):
        proxy.proxyUpgrade(implementation, b"\x02", sender=outsider)
    assert proxy.proxyUpgradeReadyAt(implementation, b"\x02") != 0
