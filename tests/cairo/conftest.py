import pytest

from offchain.core.batch_program import compiled_program


@pytest.fixture(scope="session", autouse=True)
def perpetual_program():
    """Compile the batch program once per session (cached on disk by source digest)."""
    return compiled_program()
