"""Neutralising attacker-controlled text (package names, summaries) for terminals and spreadsheets."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def terminal(text: str) -> str:
    """Replace control, bidi and zero-width characters with visible escapes."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text)


def cell(text: str) -> str:
    """A spreadsheet-safe cell: control characters escaped, formula starters prefixed with a quote."""
    text = terminal(text)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text
