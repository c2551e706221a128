"""Benchmarks that print numbers: `make bench` runs them all, `python -m bench.<name>` one."""


def print_table(header: str, rows: list[tuple[str, int]], unit: str = "gas") -> None:
    """One line per (name, number), numbers right-aligned with thousands separators."""
    print(f"{header:58} {unit:>12}")
    for name, value in rows:
        print(f"{name:58} {value:12,}")
