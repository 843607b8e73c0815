"""Neutralising attacker-controlled text (package names, summaries, file lines) for terminals and spreadsheets."""

from __future__ import annotations

import os
import re

# C0/C1 controls (tab and newline kept), zero-width and bidi controls, line/paragraph separators,
# the BOM, and lone surrogates (which no UTF-8 stream can carry).
_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)
_LINE_BREAKS = re.compile(r"[\t\n\x0b\x0c\r\x1c-\x1e\x85\u2028\u2029]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")

EXCERPT_CHARS = 40
"""Characters of a file line shown in a message about that line."""
MESSAGE_CHARS = 300
"""Characters of any one-line message (longer ones are cut, saying how much was cut)."""


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}"


def terminal(text: str) -> str:
    """Replace control, bidi and zero-width characters and lone surrogates with visible escapes."""
    return _CONTROL.sub(_escape, text)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…(+{len(text) - limit} chars)"


def one_line(text: str, limit: int = MESSAGE_CHARS) -> str:
    """A message safe for one stderr line: line breaks become spaces, controls escaped, length capped."""
    text = " ".join(_LINE_BREAKS.sub(" ", text).split())
    return terminal(_cut(text, limit)) or "unknown error"


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """A short, quoted, escaped excerpt of attacker-controlled text (a file line, a name) for a message."""
    shown = text[:limit]
    escaped = _CONTROL.sub(_escape, shown).replace("\n", "\\n").replace("\t", "\\t").replace("'", "\\'")
    more = f"…(+{len(text) - limit} chars)" if len(text) > limit else ""
    return f"'{escaped}'{more}"


def path_text(path: str | os.PathLike[str]) -> str:
    """A file path for a message or report: undecodable bytes of the name as `\\xNN`, controls escaped."""
    return terminal(os.fsencode(path).decode("utf-8", errors="backslashreplace"))


def cell(text: str) -> str:
    """A spreadsheet-safe cell: control characters escaped, formula starters prefixed with a quote."""
    text = terminal(text)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text
