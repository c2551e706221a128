import pytest

from offchain.prover.cairo.layout import SUPPORTED_RC_FILL

MIN_SECURITY_FOR_TEST_PARAMS = 0
DEFAULT_MIN_SECURITY = 96


@pytest.fixture(scope="session")
def fibonacci_air(project, deployer):
    return deployer.deploy(project.FibonacciAir)


@pytest.fixture(scope="session")
def fibonacci_verifier(project, deployer, fibonacci_air):
    """Accepts the fast, insecure test parameters (as verify(..., min_security_bits=0) does)."""
    return deployer.deploy(project.StarkVerifier, fibonacci_air, MIN_SECURITY_FOR_TEST_PARAMS)


@pytest.fixture(scope="session")
def secure_fibonacci_verifier(project, deployer, fibonacci_air):
    return deployer.deploy(project.StarkVerifier, fibonacci_air, DEFAULT_MIN_SECURITY)


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
    return deployer.deploy(project.StarkVerifier, cairo_air, MIN_SECURITY_FOR_TEST_PARAMS)


@pytest.fixture(scope="session")
def secure_cairo_verifier(project, deployer, cairo_air):
    return deployer.deploy(project.StarkVerifier, cairo_air, DEFAULT_MIN_SECURITY)


@pytest.fixture(scope="module")
def cairo_registry(project, deployer, cairo_verifier):
    return deployer.deploy(project.CairoFactRegistry, cairo_verifier)
