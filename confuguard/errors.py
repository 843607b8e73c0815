"""The confuguard error tree.

Every failure the user can cause or meet is one of these, with a one-line message;
only the CLI turns them into text and exit codes.

    ConfuguardError
    ├── InputError            bad name, unknown registry, bad file or CSV row
    ├── DataError             bundled or cached data missing, truncated or tampered
    ├── ModelArtifactError    a model file fails its manifest check
    └── RegistryError         anything that went wrong talking to a registry
        ├── RegistryUnavailable   connection refused, timeout, 5xx after retries
        ├── RateLimited           429 / 503 with Retry-After after retries
        ├── MalformedResponse     body is not what the API documents
        └── FeedUnsupported       the registry has no such feed
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import TextIO


class ExitCode(enum.IntEnum):
    """Process exit codes of every command (the first that applies wins where several could)."""

    OK = 0
    """Nothing suspicious, nothing failed."""
    FOUND = 1
    """Something is suspicious (`check`, `scan`) or new alerts were raised (`sweep`)."""
    ERROR = 2
    """Usage, input or infrastructure error (a registry feed failed, a file could not be read)."""
    PENDING = 3
    """`sweep`: packages wait in the re-judge queue (their metadata could not be fetched)."""
    INTERRUPTED = 130
    """Stopped by Ctrl-C."""


class ConfuguardError(Exception):
    """Base of every error confuguard raises on purpose."""


class InputError(ConfuguardError):
    """The user gave something confuguard cannot use (name, registry, file)."""


class DataError(ConfuguardError):
    """Bundled or cached data is missing, truncated or does not match its manifest."""


class ModelArtifactError(DataError):
    """A model artifact is missing, tampered with or of an unknown format."""


class RegistryError(ConfuguardError):
    """A registry could not be read."""


class RegistryUnavailable(RegistryError):
    """The registry did not answer usefully (network error, timeout, 5xx)."""


class RateLimited(RegistryError):
    """The registry kept answering 429/503 after the allowed retries."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class MalformedResponse(RegistryError):
    """The registry answered with a body that does not match its documented format."""


class FeedUnsupported(RegistryError):
    """The registry offers no feed of the requested kind."""


def error_line(message: object, kind: str = "error") -> str:
    """The one line a failure prints: `confuguard: KIND: message`, line breaks and controls escaped,
    length capped (see `confuguard.formats.sanitize.one_line`)."""
    from confuguard.formats.sanitize import one_line

    return f"confuguard: {kind}: {one_line(str(message))}"


def print_error(message: object, kind: str = "error", file: TextIO | None = None) -> None:
    """Print `error_line(message, kind)` on stderr (or `file`): the one way commands report a failure."""
    print(error_line(message, kind), file=file if file is not None else sys.stderr)


def decode_utf8(data: bytes, where: object, *, error: type[ConfuguardError] = InputError, hint: str = "",
                encoding: str = "utf-8") -> str:
    """`data` decoded (`encoding` is `utf-8` or `utf-8-sig`), or `error` with the one wording every reader
    uses: `WHERE: not UTF-8 text[ (hint)]`."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise error(f"{where}: not UTF-8 text" + (f" ({hint})" if hint else "")) from None


def read_utf8(path: Path, *, error: type[ConfuguardError] = InputError, encoding: str = "utf-8") -> str:
    """The text of `path`; an unreadable file or one that is not UTF-8 is `error` with a one-line reason."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error(f"cannot read {path}: {exc.strerror or exc}") from None
    return decode_utf8(data, path, error=error, encoding=encoding)
