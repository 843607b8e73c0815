"""Output formats for check results. Formatters only render; the CLI decides where output goes."""

from __future__ import annotations

import enum
from typing import assert_never

from confuguard.formats import csvfmt, jsonfmt, table
from confuguard.types import CheckResult


class Format(str, enum.Enum):
    """Output formats of `check` (and `scan`)."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"


def render(results: list[CheckResult], fmt: Format | str, *, extra: list[dict[str, object]] | None = None) -> str:
    """Render results in `fmt`; `extra` adds per-result fields (e.g. file and line) to json/jsonl/csv."""
    fmt = Format(fmt)
    if fmt is Format.TABLE:
        return table.render(results)
    if fmt is Format.JSON:
        return jsonfmt.render(results, extra=extra)
    if fmt is Format.JSONL:
        return jsonfmt.render_lines(results, extra=extra)
    if fmt is Format.CSV:
        return csvfmt.render(results, extra=extra)
    assert_never(fmt)
