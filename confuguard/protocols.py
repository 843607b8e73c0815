"""The seams between the engine and the outside world: registry clients and their value types.

Raw registry payloads stop inside `registries/`; past this module only these frozen
dataclasses and `confuguard.types` travel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import ClassVar, Protocol, runtime_checkable

from confuguard.types import Candidate, CheckResult, Ecosystem, PackageId, PackageMetadata, as_utc

#: Default number of feed items asked for per page.
DEFAULT_FEED_LIMIT = 100
#: Cursor prefix every feed accepts: `since:<ISO time>[|hint]` starts the feed at that time (first runs,
#: backfills); the optional hint is the feed's own position found while searching for that time.
SINCE_PREFIX = "since:"


def since_cursor(when: datetime, hint: str = "") -> str:
    """The cursor that starts a feed at `when` (UTC), with an optional registry-specific search hint."""
    text = SINCE_PREFIX + when.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    return f"{text}|{hint}" if hint else text


def parse_since(cursor: str | None) -> tuple[datetime, str] | None:
    """(time, hint) of a `since:` cursor; None for any other cursor; ValueError when the time is not ISO 8601."""
    if cursor is None or not cursor.startswith(SINCE_PREFIX):
        return None
    text, _, hint = cursor[len(SINCE_PREFIX):].partition("|")
    when = datetime.fromisoformat(text.strip())
    return as_utc(when), hint


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a registry's change feed.

    `name` is the name exactly as the feed gave it; `package` is its parsed identity, or
    None when the name is not valid for the registry (then `error` says why).
    """

    name: str
    package: PackageId | None
    published: datetime | None = None
    version: str | None = None
    action: str | None = None
    """Registry wording for what happened: `change`, `deleted`, `create`, `new release`, `published`..."""
    error: str | None = None


@dataclass(frozen=True, slots=True)
class FeedPage:
    """One page of a feed: the items, where to continue, and what went wrong per item.

    `next_cursor` is opaque; persist it and pass it back to continue without skipping or
    repeating an item. `exhausted` is True when the feed had nothing more at the time.
    """

    items: tuple[FeedItem, ...]
    next_cursor: str
    errors: tuple[str, ...] = ()
    exhausted: bool = False


@dataclass(frozen=True, slots=True)
class PopularEntry:
    """One row of a popular list: the display name, its rank (1 = most popular) and the popularity figure."""

    name: str
    rank: int
    popularity: float | None = None


@dataclass(frozen=True, slots=True)
class PopularList:
    """A ranked list of popular packages with its provenance."""

    ecosystem: Ecosystem
    entries: tuple[PopularEntry, ...]
    source: str
    """The URL (or package) the list was built from."""
    fetched: date
    measure: str = ""
    """What `popularity` counts, e.g. `downloads (last month)`."""


@runtime_checkable
class RegistryClient(Protocol):
    """What confuguard needs from one registry (live or offline)."""

    ecosystem: ClassVar[Ecosystem]

    def metadata(self, pkg: PackageId) -> PackageMetadata | None:
        """Metadata of one package, or None when the registry does not have it."""
        ...

    def feed(self, cursor: str | None, *, limit: int = DEFAULT_FEED_LIMIT) -> FeedPage:
        """The next page of newly published packages after `cursor` (None: start from the newest items;
        `since:<time>`: start at that time)."""
        ...

    def popular(self, limit: int) -> PopularList:
        """The `limit` most popular packages, as the registry's best public ranking has them."""
        ...


@dataclass(frozen=True, slots=True)
class CachedResponse:
    """A body kept for conditional requests, with its validators."""

    url: str
    etag: str | None
    last_modified: str | None
    body: bytes
    fetched_at: datetime


class HttpCache(Protocol):
    """Storage for conditional requests (`confuguard.store.HttpCacheStore` implements it)."""

    def cache_get(self, url: str) -> CachedResponse | None: ...

    def cache_put(self, url: str, etag: str | None, last_modified: str | None, body: bytes) -> None: ...

    def cache_touch(self, url: str) -> None: ...


class NameChecker(Protocol):
    """What the sweep, the alerts page and the evaluation use of the engine (`confuguard.engine.Engine`)."""

    judge: Callable[[PackageId, tuple[Candidate, ...]], tuple[Candidate, ...]] | None

    def check_name(self, text: str, ecosystem: Ecosystem) -> CheckResult: ...

    def check_names(self, texts: Sequence[str], ecosystem: Ecosystem) -> list[CheckResult]: ...

    def check_many(self, pkgs: Sequence[PackageId]) -> list[CheckResult]: ...


__all__ = [
    "DEFAULT_FEED_LIMIT",
    "CachedResponse",
    "HttpCache",
    "NameChecker",
    "FeedItem",
    "FeedPage",
    "PopularEntry",
    "PopularList",
    "RegistryClient",
    "SINCE_PREFIX",
    "parse_since",
    "since_cursor",
]

