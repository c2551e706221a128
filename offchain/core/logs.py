"""Structured logs (one JSON object per line) and progress for long steps.

Long steps (the Cairo run, proving) run inside `stage(...)`: a line when they start, a line
every `heartbeat` seconds while they run and a line when they end, each with the stage name
and the elapsed time as fields of their own, so a stuck or slow step shows in the logs. The
CLI picks the plain-text format instead, one short human line per event; on a terminal a
running step shows a progress spinner with its elapsed time instead of heartbeat lines.
"""
from __future__ import annotations

import json
import logging
import sys
import threading
import time
from contextlib import contextmanager
from typing import Iterator

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def _extra_fields(record: logging.LogRecord) -> dict:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        # Anything passed as `extra=` becomes a field of its own.
        entry.update(_extra_fields(record))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class TextFormatter(logging.Formatter):
    """For a terminal: `12:00:01 cairo_run    done   3.21s  batch_id=0`."""

    def format(self, record: logging.LogRecord) -> str:
        clock = time.strftime("%H:%M:%S", time.localtime(record.created))
        fields = _extra_fields(record)
        if "stage" in fields:
            head = f"{clock} {fields.pop('stage'):<24} {fields.pop('event', ''):<8} {fields.pop('elapsed_s', 0.0):7.2f}s"
            tail = " ".join(f"{k}={v}" for k, v in fields.items())
            return f"{head}  {tail}".rstrip()
        line = f"{clock} {record.getMessage()}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class ConsoleHandler(logging.Handler):
    """Text lines through a rich Console, so they print above a running step's progress bar."""

    def __init__(self, console):
        super().__init__()
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.console.print(self.format(record), markup=False, highlight=False, soft_wrap=True)
        except Exception:  # noqa: BLE001 — logging must never raise
            self.handleError(record)


# On a terminal in text mode, each long step shows a progress spinner with its elapsed time.
_console = None


def configure(level: str = "INFO", stream=sys.stderr, fmt: str = "json") -> None:
    global _console
    if fmt == "text" and getattr(stream, "isatty", lambda: False)():
        from rich.console import Console

        _console = Console(file=stream)
        handler: logging.Handler = ConsoleHandler(_console)
    else:
        _console = None
        handler = logging.StreamHandler(stream)
    handler.setFormatter(TextFormatter() if fmt == "text" else JsonFormatter())
    root = logging.getLogger("offchain")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


@contextmanager
def _spinner(name: str, fields: dict) -> Iterator[None]:
    if _console is None:
        yield
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    detail = " ".join(f"{k}={v}" for k, v in fields.items())
    with Progress(SpinnerColumn(), TextColumn(f"{name} {detail}"), TimeElapsedColumn(), console=_console,
                  transient=True) as progress:
        progress.add_task(name, total=None)
        yield


@contextmanager
def stage(logger: logging.Logger, name: str, heartbeat: float = 5.0, **fields) -> Iterator[None]:
    """Logs the progress of one long step: start, `running` every `heartbeat` s, then done/failed."""
    started = time.perf_counter()

    def emit(event: str, level: int = logging.INFO) -> None:
        elapsed = round(time.perf_counter() - started, 3)
        logger.log(level, "%s %s after %.2fs", name, event, elapsed,
                   extra={"stage": name, "event": event, "elapsed_s": elapsed, **fields})

    emit("started")
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(heartbeat):
            emit("running")

    if _console is None:  # a spinner shows the elapsed time on a terminal; logs get heartbeat lines
        threading.Thread(target=beat, name=f"progress-{name}", daemon=True).start()
    try:
        with _spinner(name, fields):
            yield
    except BaseException:
        stop.set()
        emit("failed", logging.WARNING)
        raise
    else:
        stop.set()
        emit("done")


class StageSequence:
    """Progress through the named phases of one long computation (the STARK prover's trace →
    commitments → composition → DEEP → FRI → queries): entering a phase ends the one before,
    each logged as a stage line with its elapsed time, so a slow phase shows by name."""

    def __init__(self, logger: logging.Logger, prefix: str, **fields):
        self.logger = logger
        self.prefix = prefix
        self.fields = fields
        self.current: str | None = None
        self.started = 0.0

    def enter(self, phase: str) -> None:
        self.finish()
        self.current, self.started = phase, time.perf_counter()

    def finish(self) -> None:
        if self.current is None:
            return
        elapsed = round(time.perf_counter() - self.started, 3)
        name = f"{self.prefix}.{self.current}"
        self.logger.info("%s done after %.2fs", name, elapsed,
                         extra={"stage": name, "event": "done", "elapsed_s": elapsed, **self.fields})
        self.current = None
