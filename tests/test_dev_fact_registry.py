import ape
from eth_utils import keccak


def test_deployer_registers_facts(project, deployer):
    registry = deployer.deploy(project.LocalDevFactRegistry)
    fact = keccak(b"a proven statement")
    assert not registry.isValid(fact)
    receipt = registry.registerFact(fact, sender=deployer)
    assert registry.isValid(fact)
    assert [log.fact for log in receipt.events] == [fact]


def test_only_deployer_writes(project, deployer, stranger):
    registry = deployer.deploy(project.LocalDevFactRegistry)
    with ape.reverts(registry.OnlyDeployer):
        registry.registerFact(keccak(b"x"), sender=stranger)
