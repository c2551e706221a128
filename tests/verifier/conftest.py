import pytest

from offchain.core.l1.stark import deploy_cairo_verifier, register_program
from offchain.prover.params import MIN_SECURITY_BITS_FLOOR

from .cairo_proofs import known_bytecodes

# Every verifier is deployed as on a real network: StarkVerifier refuses a lower minimum.
MIN_SECURITY = MIN_SECURITY_BITS_FLOOR
NO_STATEMENTS = "0x" + "00" * 20


@pytest.fixture(scope="session")
def fibonacci_air(project, deployer):
    return deployer.deploy(project.FibonacciAir)


@pytest.fixture(scope="session")
def fibonacci_verifier(project, deployer, fibonacci_air):
    return deployer.deploy(project.StarkVerifier, fibonacci_air, MIN_SECURITY, NO_STATEMENTS)


@pytest.fixture(scope="module")
def fibonacci_registry(project, deployer, fibonacci_verifier):
    return deployer.deploy(project.FibonacciFactRegistry, fibonacci_verifier)


@pytest.fixture(scope="session")
def harness(project, deployer):
    return deployer.deploy(project.StarkLibrariesHarness)


@pytest.fixture(scope="session")
def cairo_stack(project, deployer):
    """The Cairo verifier stack as `ape run deploy` deploys it (offchain/core/l1/stark.py), its store
    holding the programs the tests' Python verifier knows (cairo_proofs.known)."""
    stack = deploy_cairo_verifier(project, deployer, MIN_SECURITY)
    for code in known_bytecodes():
        register_program(stack.programs, deployer, code)
    return stack


@pytest.fixture(scope="session")
def cairo_air(project, cairo_stack):
    return project.CairoAir.at(cairo_stack.verifier.air())


@pytest.fixture(scope="session")
def cairo_verifier(cairo_stack):
    return cairo_stack.verifier


@pytest.fixture(scope="session")
def cairo_programs(cairo_stack):
    return cairo_stack.programs


@pytest.fixture(scope="module")
def cairo_registry(project, deployer, cairo_stack):
    return deployer.deploy(project.CairoFactRegistry, cairo_stack.verifier, cairo_stack.programs)
