import pytest

from offchain.core.toolchain import use_project_tools

# The project's tools (tools/bin/anvil first) however `ape test` was started.
use_project_tools()


@pytest.fixture(scope="session")
def deployer(accounts):
    return accounts[0]


@pytest.fixture(scope="session")
def stranger(accounts):
    return accounts[9]
