"""Console entry point: `starkex-operator`."""
from __future__ import annotations

import argparse
import sys

from offchain import __version__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="starkex-operator", description=__doc__)
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    args = parser.parse_args(argv)
    if args.version:
        print(f"starkex-operator {__version__}")
        return 0
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
