"""RubyGems: the v1 JSON API, `timeframe_versions` feed and ecosyste.ms popular gems.

Keys of `base_urls`: `rubygems`, `ecosystems`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import quote

from confuguard.errors import MalformedResponse
from confuguard.protocols import DEFAULT_FEED_LIMIT, FeedItem, FeedPage, PopularList
from confuguard.types import Ecosystem, PackageId, PackageMetadata

from ._base import BaseRegistry, parse_since
from ._parse import (
    as_bool,
    as_dict,
    as_int,
    as_list,
    as_str,
    guard,
    nonempty,
    parse_name,
    parse_time,
    strs,
)

WINDOW = timedelta(days=7)
"""The longest window `timeframe_versions` accepts."""
FIRST_WINDOW = timedelta(days=1)
_TICK = timedelta(microseconds=1)


def _fmt(t: datetime) -> str:
    return t.isoformat(timespec="microseconds").replace("+00:00", "Z")


class RubyGemsRegistry(BaseRegistry):
    """rubygems.org."""

    ecosystem: ClassVar[Ecosystem] = Ecosystem.RUBYGEMS

    def metadata(self, pkg: PackageId) -> PackageMetadata | None:
        """Gem JSON plus the versions list (created, count) and owners (registry accounts)."""
        base, name = self.url("rubygems"), quote(pkg.name, safe="")
        doc = self.http.get_json(f"{base}/api/v1/gems/{name}.json")
        if doc is None:
            return None
        errors: list[str] = []
        versions = self.best_effort(lambda: self.http.get_json(f"{base}/api/v1/versions/{name}.json"), errors, "versions")
        owners = self.best_effort(
            lambda: self.http.get_json(f"{base}/api/v1/gems/{name}/owners.json"), errors, "owners"
        )
        meta = parse_gem(self, pkg, doc, versions, owners, errors)
        return self.with_account(meta, meta.maintainers[0] if meta.maintainers else None, self._owner_gems)

    def _owner_gems(self, handle: str) -> int | None:
        """How many gems owner `handle` holds (`/api/v1/owners/{handle}/gems.json`, one request)."""
        data = self.http.get_json(f"{self.url('rubygems')}/api/v1/owners/{quote(handle, safe='')}/gems.json",
                                  conditional=False)
        return len(data) if isinstance(data, list) else None

    def feed(self, cursor: str | None, *, limit: int = DEFAULT_FEED_LIMIT) -> FeedPage:
        """Versions created in successive windows, 30 per API page, until `limit` items or the present.

        Cursor: `from|to|page` (`to` empty = not fixed yet). Windows are inclusive at both
        ends, so the next window starts one microsecond after the previous `to`.
        """
        now = self._now()
        frm, to, page = self._decode(cursor, now)
        items: list[FeedItem] = []
        errors: list[str] = []
        exhausted = False
        while True:
            if to is None:
                to = min(frm + WINDOW, now)
            if to < frm:
                exhausted = True
                break
            rows = self.http.get_json(
                f"{self.url('rubygems')}/api/v1/timeframe_versions.json",
                params={"from": _fmt(frm), "to": _fmt(to), "page": page},
                conditional=False,
            )
            if not isinstance(rows, list):
                raise MalformedResponse("RubyGems timeframe_versions: expected a JSON array")
            if rows:
                with guard("RubyGems timeframe_versions"):
                    for row in rows:
                        row = as_dict(row)
                        pkg, err = parse_name(row.get("name"), Ecosystem.RUBYGEMS)
                        if err:
                            errors.append(f"page {page}: {err}")
                        items.append(FeedItem(str(row.get("name")), pkg, parse_time(row.get("created_at")),
                                              as_str(row.get("number")) or as_str(row.get("version")), "published", err))
                page += 1
                if len(items) >= limit:
                    break
                continue
            frm, page = to + _TICK, 1
            if to >= now:
                to = None
                exhausted = True
                break
            to = None
        cursor_out = f"{_fmt(frm)}|{'' if to is None else _fmt(to)}|{page}"
        return FeedPage(tuple(items), cursor_out, tuple(errors), exhausted)

    def _decode(self, cursor: str | None, now: datetime) -> tuple[datetime, datetime | None, int]:
        if cursor is None:
            return now - FIRST_WINDOW, None, 1
        window = parse_since(cursor)
        if window is not None:
            return window[0], None, 1
        parts = cursor.split("|")
        frm = parse_time(parts[0]) if parts else None
        to = parse_time(parts[1]) if len(parts) > 1 and parts[1] else None
        page = as_int(parts[2]) if len(parts) > 2 else None
        if frm is None or len(parts) != 3 or page is None or page < 1 or (parts[1] and to is None):
            raise MalformedResponse(f"RubyGems feed: bad cursor {cursor[:80]!r}")
        return frm, to, page

    def popular(self, limit: int) -> PopularList:
        """Most downloaded gems (all time) via ecosyste.ms."""
        return self.ecosystems_popular("rubygems.org", "downloads", limit, "downloads (all time)")


def parse_gem(
    reg: BaseRegistry, pkg: PackageId, doc: Any, versions: Any = None, owners: Any = None,
    errors: list[str] | None = None,
) -> PackageMetadata:
    """Map `/api/v1/gems/{name}.json` (+ versions list and owners) into PackageMetadata."""
    if not isinstance(doc, dict):
        raise MalformedResponse(f"RubyGems {pkg}: gem document is not a JSON object")
    with guard(f"RubyGems {pkg}"):
        meta = as_dict(doc.get("metadata"))
        created_times = [t for v in as_list(versions) if (t := parse_time(as_dict(v).get("created_at")))]
        licenses = doc.get("licenses")
        runtime = as_dict(doc.get("dependencies")).get("runtime")
        extra: dict[str, str] = {}
        if nonempty(doc.get("authors")):
            extra["authors"] = doc["authors"].strip()[:200]
        if meta.get("rubygems_mfa_required") in ("true", True):
            extra["mfa_required"] = "true"
        if errors:
            extra["errors"] = "; ".join(errors)[:500]
        owner_list = strs([as_dict(o).get("handle") for o in as_list(owners)]) if isinstance(owners, list) else None
        downloads = as_int(doc.get("downloads"))
        return reg.record(
            pkg,
            summary=as_str(doc.get("info")),
            maintainers=owner_list,
            created=min(created_times) if created_times else None,
            latest_release=parse_time(doc.get("version_created_at")),
            latest_version=as_str(doc.get("version")),
            version_count=len(versions) if isinstance(versions, list) else None,
            downloads=downloads,
            downloads_window="all-time" if downloads is not None else None,
            repository_url=nonempty(doc.get("source_code_uri")) or nonempty(meta.get("source_code_uri")),
            homepage_url=nonempty(doc.get("homepage_uri")),
            license=", ".join(strs(licenses)) if isinstance(licenses, list) else None,
            dependency_count=len(runtime) if isinstance(runtime, list) else None,
            yanked=as_bool(doc.get("yanked")),
            extra=extra,
        )
