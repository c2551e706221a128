import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from offchain.core.toolchain import use_project_tools

ROOT = Path(__file__).resolve().parents[1]

# The project's tools (tools/bin/anvil first) however `ape test` was started.
use_project_tools()


@pytest.fixture(scope="session")
def deployer(accounts):
    return accounts[0]


@pytest.fixture(scope="session")
def stranger(accounts):
    return accounts[9]


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL on loopback for the session (tools/postgres.sh installs it if missing)."""
    # Not under pytest's tmp dir: the postgres user cannot enter root's private folders.
    workdir = tempfile.mkdtemp(prefix="starkex-pg-")
    script = str(ROOT / "tools" / "postgres.sh")
    # A free port, so that several test sessions can run side by side.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = subprocess.run([script, "start", workdir, str(port)], capture_output=True, text=True)
    if started.returncode != 0:
        raise RuntimeError(f"could not start PostgreSQL: {started.stderr.strip()}")
    url = started.stdout.strip()
    yield url
    subprocess.run([script, "stop", workdir], check=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Each storage test runs on both backends, on a database of its own."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/operator.sqlite"
    server = request.getfixturevalue("postgres_server")
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return server.rsplit("/", 1)[0] + f"/{name}"
