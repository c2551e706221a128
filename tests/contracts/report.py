"""Lines that contract tests add to the terminal summary of the run (conftest prints them in
pytest_terminal_summary, under -q too): bytecode sizes, the adversarial tally."""
from __future__ import annotations

SECTIONS: dict[str, list[str]] = {}


def add(section: str, line: str) -> None:
    SECTIONS.setdefault(section, []).append(line)


def set_section(section: str, lines: list[str]) -> None:
    SECTIONS[section] = list(lines)
