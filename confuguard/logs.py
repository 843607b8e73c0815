"""Logging for confuguard: every module logs to `logging.getLogger(__name__)`; this sets the output.

Records go to stderr as `confuguard: LEVEL: message` (the shape of the one-line errors), at the
level given by `--log-level`, else `CONFUGUARD_LOGLEVEL`, else `warning`.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TextIO

from confuguard.errors import InputError

LEVELS = ("debug", "info", "warning", "error", "critical")
ENV = "CONFUGUARD_LOGLEVEL"
DEFAULT = "warning"


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is at the time (a redirected or captured stderr included)."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


class _Format(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"confuguard: {record.levelname.lower()}: {record.getMessage()}"


def level_name(given: str | None = None) -> str:
    """The level to use: `given`, else `$CONFUGUARD_LOGLEVEL`, else warning (InputError when unknown)."""
    name = (given or os.environ.get(ENV) or DEFAULT).strip().lower()
    if name not in LEVELS:
        source = "--log-level" if given else ENV
        raise InputError(f"{source} must be one of {', '.join(LEVELS)}")
    return name


def configured() -> bool:
    """True once `configure` has run in this process."""
    return any(isinstance(h, _StderrHandler) for h in logging.getLogger("confuguard").handlers)


def configure(level: str | None = None) -> int:
    """Send confuguard's log records to stderr at `level_name(level)`; returns the numeric level.

    Called by the CLI, and by the service when nothing configured it; calling it again only changes the level.
    """
    number = logging.getLevelNamesMapping()[level_name(level).upper()]
    logger = logging.getLogger("confuguard")
    if not configured():
        handler = _StderrHandler()
        handler.setFormatter(_Format())
        logger.addHandler(handler)
        logger.propagate = False
    logger.setLevel(number)
    return number
