"""Decoding dependency files the way their package managers do, so one odd byte hides no dependency.

| formats | decoded as |
| --- | --- |
| requirements | pip: a BOM, else a PEP 263 `coding:` line in the first two lines, else UTF-8, else latin-1 |
| python-source, gemfile | a BOM, else a coding / Ruby magic comment in the first two lines, else UTF-8 |
| pom | a BOM, else the `<?xml ... encoding="..."?>` declaration, else UTF-8 |
| everything else (JSON, TOML, YAML, go.mod, Gradle, yarn/Bundler lockfiles) | a BOM, else UTF-8 |

Where the manager reads invalid UTF-8 leniently (Node's `fs.readFile(..., "utf8")`, Go, Ruby
comments), invalid bytes become U+FFFD: the rest of the file is read, and a name that held such a
byte is reported as invalid rather than silently skipped. A declared encoding Python does not know,
or one that is not a text encoding, is a FileFormatError (the file is reported, never skipped).
"""

from __future__ import annotations

import codecs
import re

from confuguard.depfiles.base import FileFormatError

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CODING_LINE = re.compile(rb"^[ \t\f]*#.*?(?:en)?coding[:=][ \t]*([-\w.]+)")
_XML_DECLARATION = re.compile(rb"""^<\?xml[^>]{0,200}?\bencoding\s*=\s*["']([A-Za-z][\w.-]{0,40})["']""")

#: format -> how a declared encoding is found ("coding" line, "xml" declaration, or none)
_DECLARED = {"requirements": "coding", "python-source": "coding", "gemfile": "coding", "pom": "xml"}
#: formats whose manager falls back to latin-1 when the bytes are not UTF-8 (pip)
_LATIN1_FALLBACK = {"requirements"}


def decode(data: bytes, fmt: str | None = None) -> str:
    """The text of a dependency file of format `fmt` (see the module table)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom):], encoding)
    declared = _declared_encoding(data, _DECLARED.get(fmt or ""))
    if declared is not None:
        return _decode(data, declared)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if fmt in _LATIN1_FALLBACK:
            return data.decode("latin-1")
        return data.decode("utf-8", errors="replace")


def _declared_encoding(data: bytes, kind: str | None) -> str | None:
    if kind == "coding":
        for line in data.split(b"\n", 2)[:2]:
            m = _CODING_LINE.match(line)
            if m:
                return m.group(1).decode("ascii")
    elif kind == "xml":
        m = _XML_DECLARATION.match(data)
        if m:
            return m.group(1).decode("ascii")
    return None


def _decode(data: bytes, encoding: str) -> str:
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise FileFormatError(f"unknown encoding {encoding[:40]!r} declared") from None
    if not getattr(info, "_is_text_encoding", True):
        raise FileFormatError(f"{encoding[:40]!r} is not a text encoding")
    return data.decode(info.name, errors="replace")
