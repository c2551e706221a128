"""The project's own tools on PATH, for every way a command is started.

`make` puts `tools/bin`, `.venv/bin` and `node_modules/.bin` (anvil, the local node; solcjs) on PATH and
points SOLCX_BINARY_PATH at `.solc`; a user who runs `ape run operator` from a plain shell after
the README's set-up has neither, and ape-foundry then fails with FoundryNotInstalledError. Every
`ape run` script calls `use_project_tools()` when it is imported, before Ape connects.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def use_project_tools(root: Path = ROOT) -> None:
    """Prepends the project's tool folders to PATH (each once) and sets SOLCX_BINARY_PATH and
    PYTHONPATH if they are unset, for this process and the processes it starts."""
    # tools/bin first: its anvil wraps node_modules' one (see tools/bin/anvil).
    folders = [str(root / "tools" / "bin"), str(root / ".venv" / "bin"), str(root / "node_modules" / ".bin")]
    path = [f for f in os.environ.get("PATH", "").split(os.pathsep) if f not in folders]
    os.environ["PATH"] = os.pathsep.join(folders + path)
    os.environ.setdefault("SOLCX_BINARY_PATH", str(root / ".solc"))
    os.environ.setdefault("PYTHONPATH", str(root))
