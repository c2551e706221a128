"""Make cairo-lang 0.14.0.1 importable on Python 3.11.

Python 3.11 rejects mutable dataclass defaults (``ValueError: mutable default ... use
default_factory``), and cairo-lang's ``starkware/cairo/lang/instances.py`` declares
``field(default=CpuInstanceDef())``. ``cairo-run`` crashes on import until upstream changes
it to ``default_factory``. This script applies exactly that change, and is idempotent.
"""
from __future__ import annotations

import importlib.util
import pathlib
import sys

BROKEN = "default=CpuInstanceDef()"
FIXED = "default_factory=CpuInstanceDef"


def instances_path() -> pathlib.Path:
    spec = importlib.util.find_spec("starkware")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("cairo-lang is not installed in this environment")
    return pathlib.Path(list(spec.submodule_search_locations)[0]) / "cairo" / "lang" / "instances.py"


def main() -> int:
    path = instances_path()
    text = path.read_text()
    if BROKEN in text:
        path.write_text(text.replace(BROKEN, FIXED))
        print(f"patched {path}")
    elif FIXED in text:
        print(f"already patched: {path}")
    else:
        print(f"unexpected content in {path}: neither pattern found", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
