"""The adversarial tally: per input class, how many inputs were tried, how many were wrongly
accepted (acknowledged although invalid, or acknowledged and then not batchable) and how many
got a server error. Printed at the end of the session (conftest.py); every count but `tried`
must be zero."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass


@dataclass
class Counts:
    tried: int = 0
    wrongly_accepted: int = 0
    server_errors: int = 0


class Tally:
    def __init__(self):
        self.classes: dict[str, Counts] = defaultdict(Counts)

    def record(self, input_class: str, status: int, must_refuse: bool = True, designed: int | None = None) -> None:
        """designed: a 5xx the gateway answers on purpose (503 when its queue is full)."""
        counts = self.classes[input_class]
        counts.tried += 1
        if status >= 500 and status != designed:
            counts.server_errors += 1
        elif must_refuse and 200 <= status < 300:
            counts.wrongly_accepted += 1

    def wrongly_accepted(self, input_class: str, n: int = 1) -> None:
        self.classes[input_class].wrongly_accepted += n

    def failures(self, prefix: str = "") -> dict[str, Counts]:
        return {name: c for name, c in self.classes.items()
                if name.startswith(prefix) and (c.wrongly_accepted or c.server_errors)}

    def lines(self) -> list[str]:
        rows = [f"{'input class':<62} {'tried':>7} {'wrongly accepted':>17} {'5xx':>5}"]
        for name in sorted(self.classes):
            c = self.classes[name]
            rows.append(f"{name:<62} {c.tried:>7} {c.wrongly_accepted:>17} {c.server_errors:>5}")
        total = Counts(*(sum(getattr(c, f) for c in self.classes.values()) for f in ("tried", "wrongly_accepted", "server_errors")))
        rows.append(f"{'total':<62} {total.tried:>7} {total.wrongly_accepted:>17} {total.server_errors:>5}")
        return rows


TALLY = Tally()
