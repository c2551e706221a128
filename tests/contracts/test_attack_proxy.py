"""The upgrade proxy under attack. A proxy deployed without its initialization can be
initialized by whoever is first (naming himself governor); an upgrade applied while the exchange
is frozen would replace the escape hatch users are relying on; the implementation and its
sub-contracts must not be initializable on their own either."""
from .adversary import refused
from .conftest import init_params

DELAY = 28 * 24 * 3600
PROXY = "upgrade proxy"


def test_a_proxy_cannot_be_deployed_uninitialized(exchange, project, governor, outsider):
    implementation = exchange.contract.proxyImplementation()
    refused(PROXY, "deploy the proxy with empty init data (anyone could initialize it next)",
            lambda: governor.deploy(project.UpgradeProxy, implementation, governor, b""), "InitializationRequired")


def test_neither_the_implementation_nor_a_sub_contract_can_be_initialized_directly(
        exchange, project, outsider, escape_verifier):
    c = exchange.contract
    # Parameters that would pass every check of initialize: only where it runs must refuse it.
    registries = [exchange.registry.address]
    params = init_params(outsider, escape_verifier, registries, registries, exchange.state)
    implementation = c.proxyImplementation()
    governance = project.StarkPerpetual.at(implementation).subContractOf(
        project.PerpetualGovernance.contract_type.method_identifiers[
            next(s for s in project.PerpetualGovernance.contract_type.method_identifiers if s.startswith("initialize("))])
    refused(PROXY, "initialize the implementation (dispatcher) at its own address",
            lambda: project.PerpetualGovernance.at(implementation).initialize(params, sender=outsider),
            "NotThroughProxy")
    refused(PROXY, "initialize the governance sub-contract at its own address",
            lambda: project.PerpetualGovernance.at(governance).initialize(params, sender=outsider),
            "NotThroughProxy")


def test_no_upgrade_while_frozen(exchange, governor, alice, outsider, alice_key, chain):
    c = exchange.contract
    implementation = c.proxyImplementation()
    announced = c.proxyAnnounceUpgrade(implementation, b"", sender=governor)
    exchange.freeze(alice, alice_key, 5, outsider)
    chain.pending_timestamp = announced.timestamp + DELAY
    refused(PROXY, "upgrade a frozen exchange", lambda: c.proxyUpgrade(implementation, b"", sender=governor),
            "UpgradeWhileFrozen")
