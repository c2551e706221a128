import pytest

from offchain.prover.cairo.layout import SUPPORTED_RC_FILL
from offchain.prover.params import MIN_SECURITY_BITS_FLOOR

# Every verifier is deployed as on a real network: StarkVerifier refuses a lower minimum.
MIN_SECURITY = MIN_SECURITY_BITS_FLOOR


@pytest.fixture(scope="session")
def fibonacci_air(project, deployer):
    return deployer.deploy(project.FibonacciAir)


@pytest.fixture(scope="session")
def fibonacci_verifier(project, deployer, fibonacci_air):
    return deployer.deploy(project.StarkVerifier, fibonacci_air, MIN_SECURITY)


@pytest.fixture(scope="module")
def fibonacci_registry(project, deployer, fibonacci_verifier):
    return deployer.deploy(project.FibonacciFactRegistry, fibonacci_verifier)


@pytest.fixture(scope="session")
def harness(project, deployer):
    return deployer.deploy(project.StarkLibrariesHarness)


@pytest.fixture(scope="session")
def cairo_air(project, deployer):
    """The dispatcher over one generated AIR per supported range-check fill count."""
    airs = [deployer.deploy(getattr(project, f"CairoAirE{k}")) for k in SUPPORTED_RC_FILL]
    return deployer.deploy(project.CairoAir, list(SUPPORTED_RC_FILL), airs)


@pytest.fixture(scope="session")
def cairo_verifier(project, deployer, cairo_air):
    return deployer.deploy(project.StarkVerifier, cairo_air, MIN_SECURITY)


@pytest.fixture(scope="module")
def cairo_registry(project, deployer, cairo_verifier):
    return deployer.deploy(project.CairoFactRegistry, cairo_verifier)
