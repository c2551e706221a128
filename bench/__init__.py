"""Benchmarks that print numbers: `make bench` runs them all, `python -m bench.<name>` one."""
