"""Shared plumbing of the six registry clients (URLs, best-effort sub-requests, ecosyste.ms lists)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any, ClassVar, TypeVar

import httpx

from confuguard import protocols
from confuguard.config import DEFAULT_URLS, FetchOptions
from confuguard.errors import MalformedResponse, RegistryError
from confuguard.protocols import PopularEntry, PopularList
from confuguard.types import Ecosystem, PackageId, PackageMetadata

from ._http import Http, one_line
from ._parse import as_dict, as_int, as_list, as_str, guard

T = TypeVar("T")


def parse_since(cursor: str | None) -> tuple[datetime, str] | None:
    """(time, hint) of a `since:` cursor (see `confuguard.protocols.since_cursor`); MalformedResponse when bad."""
    try:
        return protocols.parse_since(cursor)
    except ValueError:
        raise MalformedResponse(f"feed cursor {str(cursor)[:80]!r}: expected since:<ISO time>") from None


class BaseRegistry:
    """Holds the Http layer and base URLs; subclasses implement the RegistryClient Protocol."""

    ecosystem: ClassVar[Ecosystem]

    def __init__(
        self,
        client: Http | httpx.Client | None = None,
        base_urls: Mapping[str, str] | None = None,
        *,
        now: Callable[[], datetime] | None = None,
        fetch: FetchOptions | None = None,
    ) -> None:
        self.http = client if isinstance(client, Http) else Http(client)
        self.fetch = fetch or FetchOptions()
        """Opt-in fetches (`[fetch]` of the config): each costs a request per package."""
        self.urls = {**DEFAULT_URLS, **{k: v.rstrip("/") for k, v in (base_urls or {}).items()}}
        self._now = now or (lambda: datetime.now(UTC))

    def url(self, key: str) -> str:
        """Base URL for `key`."""
        return self.urls[key].rstrip("/")

    def record(self, pkg: PackageId, **values: Any) -> PackageMetadata:
        """A live PackageMetadata for `pkg` stamped with the fetch time."""
        return PackageMetadata(package=pkg, source="live", fetched_at=self._now(), **values)

    @staticmethod
    def best_effort(call: Callable[[], T], errors: list[str], what: str) -> T | None:
        """Run a secondary request; on a RegistryError note it in `errors` and return None."""
        try:
            return call()
        except RegistryError as exc:
            errors.append(f"{what}: {exc}")
            return None

    def with_account(self, meta: PackageMetadata, account: str | None,
                     count: Callable[[str], int | None]) -> PackageMetadata:
        """`meta` with `account_packages` filled by `count(account)` (at most one request: `[fetch] accounts`),
        or with the reason it stays unknown in `extra["account"]`. Unchanged unless the fetch is opted in."""
        if not self.fetch.accounts:
            return meta
        n: int | None = None
        if not account:
            note = "unknown: the record names no publishing account"
        else:
            try:
                n = count(account)
            except RegistryError as exc:
                note = f"unknown: {error_line(exc)}"
            else:
                # a brand-new package may not be counted yet: an account with none listed holds this one
                n = None if n is None else max(1, n)
                note = (f"unknown: the registry gave no package count for {account}" if n is None
                        else f"{account} publishes {n} package{'s' if n != 1 else ''}")
        return replace(meta, account_packages=n, extra={**meta.extra, "account": note[:200]})

    def ecosystems_popular(self, registry: str, sort: str, limit: int, measure: str) -> PopularList:
        """A popular list from ecosyste.ms `registries/{registry}/packages?sort=...` (100 per page)."""
        entries: list[PopularEntry] = []
        url = f"{self.url('ecosystems')}/registries/{registry}/packages"
        page = 1
        while len(entries) < limit:
            data = self.http.get_json(  # a 404 is an error here: the mirror lacks this popularity source
                url, params={"sort": sort, "order": "desc", "per_page": 100, "page": page}, conditional=False,
                not_found=(),
            )
            rows = as_list(data)
            if not isinstance(data, list):
                raise MalformedResponse(f"{url}: expected a JSON array of packages")
            before = len(entries)
            with guard(f"ecosyste.ms {registry}"):
                for row in rows:
                    name = as_str(as_dict(row).get("name"))
                    if name and len(entries) < limit:
                        value = as_int(as_dict(row).get(sort))
                        entries.append(PopularEntry(name, len(entries) + 1, None if value is None else float(value)))
            if len(entries) == before:  # an empty page ends the list (a short one does not: mirrors cap per_page)
                break
            page += 1
        return PopularList(self.ecosystem, tuple(entries), f"{url}?sort={sort}&order=desc", date.today(), measure)


def error_line(exc: BaseException) -> str:
    """A one-line description of an error."""
    return one_line(str(exc) or type(exc).__name__)
