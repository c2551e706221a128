"""The attacker's ledger: every attempt the adversarial tests make is recorded under its class,
with whether the exchange wrongly accepted it, and the run prints the tally (conftest's terminal
summary). An accepted attempt also fails its test at once.

refused(cls, label, call, error) — one attempt that must revert, with the custom error `error`
(the rule's name) when given; a revert for another reason fails the test without counting as
accepted. observed(cls, label, accepted) — an attempt judged by its effect (a re-entrant call
that an attacker contract made and recorded)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ape.exceptions import ContractLogicError
from eth_utils import keccak

from . import report

SECTION = "adversarial tally (tried, wrongly accepted)"


@dataclass
class ClassTally:
    tried: int = 0
    accepted: list[str] = field(default_factory=list)


TALLY: dict[str, ClassTally] = defaultdict(ClassTally)


def _publish() -> None:
    width = max(len(name) for name in TALLY)
    lines = [f"{'class':{width}}  tried  wrongly accepted"]
    lines += [f"{name:{width}}  {t.tried:5}  {len(t.accepted):16}" for name, t in sorted(TALLY.items())]
    total_tried = sum(t.tried for t in TALLY.values())
    total_accepted = sum(len(t.accepted) for t in TALLY.values())
    lines.append(f"{'all':{width}}  {total_tried:5}  {total_accepted:16}")
    lines += [f"  ACCEPTED [{name}] {label}" for name, t in sorted(TALLY.items()) for label in t.accepted]
    report.set_section(SECTION, lines)


def observed(cls: str, label: str, accepted: bool) -> None:
    tally = TALLY[cls]
    tally.tried += 1
    if accepted:
        tally.accepted.append(label)
    _publish()
    if accepted:
        raise AssertionError(f"[{cls}] wrongly accepted: {label}")


def _name_of(e: ContractLogicError) -> str:
    """The custom error's name, also when ape could not decode it (a deployment's revert: no
    contract at an address yet), by looking its selector up among the project's errors."""
    name = type(e).__name__
    message = str(getattr(e, "message", "") or e)
    if name != "ContractLogicError" or not message.startswith("0x"):
        return name
    from ape import project

    selector = bytes.fromhex(message[2:10])
    for contract_type in project.load_contracts().values():
        for error in contract_type.errors:
            if keccak(text=error.selector)[:4] == selector:
                return error.name
    return name


def refused(cls: str, label: str, call, error: str | None = None):
    """Runs call(); it must revert (with `error`, if given). Returns the revert."""
    try:
        call()
    except ContractLogicError as e:
        observed(cls, label, accepted=False)
        name = _name_of(e)
        if error is not None and name != error:
            raise AssertionError(f"[{cls}] {label}: refused with {name} ({e}), not {error}") from e
        return e
    observed(cls, label, accepted=True)
