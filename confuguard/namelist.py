"""Lists of names (`check --from FILE|-`, `sweep --from FILE`), read as a stream in bounded memory.

One name a line; blank lines and `#` comments are skipped; a UTF-8 BOM at the start and CRLF line
ends are accepted. A line longer than MAX_LINE_BYTES, or not UTF-8, is not a name: it is yielded
with a one-line problem (line number and a short escaped excerpt) and the rest is read on. A source
that never ends a line (`/dev/zero` piped in) stops with an InputError once MAX_SKIP_BYTES have
been skipped; devices other than a terminal are refused outright.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from confuguard.errors import InputError
from confuguard.formats.sanitize import excerpt, path_text

MAX_LINE_BYTES = 4096
"""Longest line read as a name (every registry's limit is far below; see confuguard.names)."""
MAX_SKIP_BYTES = 16 * 1024 * 1024
"""Longest run without a line break before the source is refused as not a list of names."""


@dataclass(frozen=True, slots=True)
class NameLine:
    """One usable line of a list: the name, or the reason the line is not one."""

    line: int
    name: str | None
    problem: str | None = None


def open_list(source: str) -> BinaryIO:
    """A binary stream for `source` ('-' is stdin); InputError for a missing file or a device."""
    if source == "-":
        return sys.stdin.buffer
    try:
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError(f"cannot read {path_text(source)}: {exc.strerror or type(exc).__name__}") from None
    mode = os.fstat(fd).st_mode
    if stat.S_ISDIR(mode) or ((stat.S_ISCHR(mode) or stat.S_ISBLK(mode)) and not os.isatty(fd)):
        os.close(fd)
        raise InputError(f"cannot read {path_text(source)}: not a file or a pipe")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def iter_names(stream: BinaryIO) -> Iterator[NameLine]:
    """The names of a list, one at a time; memory stays within MAX_LINE_BYTES whatever the input."""
    lineno = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        lineno += 1
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            _skip_rest_of_line(stream, lineno)
            text = raw.decode("utf-8", errors="replace")
            yield NameLine(lineno, None, f"line {lineno} is longer than {MAX_LINE_BYTES} bytes: {excerpt(text)}")
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            yield NameLine(lineno, None, f"line {lineno} is not UTF-8: {excerpt(raw.decode('utf-8', 'replace'))}")
            continue
        name = text.strip()
        if name and not name.startswith("#"):
            yield NameLine(lineno, name)


def _skip_rest_of_line(stream: BinaryIO, lineno: int) -> None:
    skipped = 0
    while True:
        chunk = stream.readline(1 << 16)
        if not chunk or chunk.endswith(b"\n"):
            return
        skipped += len(chunk)
        if skipped > MAX_SKIP_BYTES:
            raise InputError(
                f"line {lineno} runs past {MAX_SKIP_BYTES // (1024 * 1024)} MiB without a line break: not a list of names"
            )
