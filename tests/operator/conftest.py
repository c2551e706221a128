def pytest_terminal_summary(terminalreporter):
    """The adversarial suite's tally (tests/operator/tally.py), when any of it ran."""
    from tally import TALLY

    if TALLY.classes:
        terminalreporter.section("adversarial tally")
        for line in TALLY.lines():
            terminalreporter.write_line(line)
