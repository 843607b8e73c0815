"""Go modules: the module proxy, pkg.go.dev's API, the module index feed and ecosyste.ms rankings.

Keys of `base_urls`: `golang` (proxy), `golang_index`, `golang_pkgsite` (with its `/v1` prefix), `ecosystems`.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any, ClassVar
from urllib.parse import quote

from confuguard.errors import MalformedResponse
from confuguard.protocols import DEFAULT_FEED_LIMIT, FeedItem, FeedPage, PopularList
from confuguard.types import Ecosystem, PackageId, PackageMetadata

from ._base import BaseRegistry, parse_since
from ._parse import as_dict, as_list, as_str, guard, nonempty, parse_name, parse_time, readme, strs

MAX_INDEX = 2000
_MAJOR = re.compile(r"^v[0-9]+$")
_SEMVER = re.compile(r"^v(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")
_TEXT = ("text/plain", "json", "octet-stream")


def module_path(pkg: PackageId) -> str:
    """The module path of `pkg`: namespace/name plus a `/vN` major suffix if present."""
    path = f"{pkg.namespace}/{pkg.name}" if pkg.namespace else pkg.name
    first = (pkg.subpath or "").split("/", 1)[0]
    return f"{path}/{first}" if _MAJOR.match(first) else path


def escape(path: str) -> str:
    """Proxy case-encoding: each uppercase letter becomes `!` + lowercase."""
    return quote("".join(f"!{c.lower()}" if c.isupper() else c for c in path), safe="/!~._-+")


def semver_key(v: str) -> tuple[int, int, int, int, str]:
    """Sort key for Go versions (releases after their pre-releases; junk first)."""
    m = _SEMVER.match(v)
    if not m:
        return (-1, 0, 0, 0, v)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3)), 0 if m.group(4) else 1, m.group(4) or "")


def parse_gomod(text: str) -> tuple[str | None, int, list[str]]:
    """(deprecation message, number of required modules, retracted versions/ranges) from a go.mod."""
    deprecated: str | None = None
    comment: list[str] = []
    requires = 0
    retracts: list[str] = []
    block: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("//"):
            comment.append(line[2:].strip())
            continue
        code = line.split("//", 1)[0].strip()
        if block:
            if code == ")":
                block = None
            elif code:
                if block == "require":
                    requires += 1
                elif block == "retract":
                    retracts.append(code)
        elif code.startswith("module ") or code == "module":
            trailing = line.split("//", 1)[1].strip() if "//" in line else ""
            for c in [*comment, trailing]:
                if c.startswith("Deprecated:"):
                    deprecated = c[len("Deprecated:"):].strip() or "deprecated"
        elif code.startswith(("require (", "retract (")) or code in ("require(", "retract("):
            block = code.split("(")[0].strip()
        elif code.startswith("require "):
            requires += 1
        elif code.startswith("retract "):
            retracts.append(code[len("retract "):].strip())
        if not line.startswith("//"):
            comment = []
    return deprecated, requires, retracts


def _retracted(version: str, retracts: list[str]) -> bool:
    for r in retracts:
        r = r.strip()
        if r.startswith("[") and r.endswith("]") and "," in r:
            lo, hi = (x.strip() for x in r[1:-1].split(",", 1))
            if semver_key(lo) <= semver_key(version) <= semver_key(hi):
                return True
        elif r == version:
            return True
    return False


class GoRegistry(BaseRegistry):
    """proxy.golang.org, index.golang.org and pkg.go.dev."""

    ecosystem: ClassVar[Ecosystem] = Ecosystem.GOLANG

    def metadata(self, pkg: PackageId) -> PackageMetadata | None:
        """Versions, latest info and go.mod from the proxy; README, licence and repo from pkg.go.dev."""
        mod = module_path(pkg)
        base = f"{self.url('golang')}/{escape(mod)}"
        listing = self.http.get_text(f"{base}/@v/list", expect=_TEXT)
        if listing is None:
            return None
        versions = sorted({v.strip() for v in listing.splitlines() if v.strip()}, key=semver_key)
        errors: list[str] = []
        latest = self.best_effort(lambda: self.http.get_json(f"{base}/@latest"), errors, "@latest")
        version = as_str(as_dict(latest).get("Version")) or (versions[-1] if versions else None)
        gomod = None
        if version:
            gomod = self.best_effort(lambda: self.http.get_text(f"{base}/@v/{quote(version)}.mod", expect=_TEXT),
                                     errors, "go.mod")
        site = self.best_effort(
            lambda: self.http.get_json(f"{self.url('golang_pkgsite')}/module/{quote(mod, safe='/')}",
                                       params={"licenses": "true", "readme": "true"}),
            errors,
            "pkg.go.dev",
        )
        return parse_module(self, pkg, versions, latest, version, gomod, site, errors)

    def feed(self, cursor: str | None, *, limit: int = DEFAULT_FEED_LIMIT) -> FeedPage:
        """Module versions from the index in first-cached order; exhausted when a page brings nothing new.

        The index's `since` is inclusive, so the cursor is `<timestamp>|<n>`: resume at that
        timestamp, skipping the n entries stamped exactly so that were already returned.
        """
        limit = max(1, min(limit, MAX_INDEX))
        window = parse_since(cursor)
        if cursor is None or window is not None:
            start = window[0] if window is not None else self._now() - timedelta(hours=1)
            since = start.isoformat(timespec="microseconds").replace("+00:00", "Z")
            seen = 0
        else:
            since, _, n = cursor.rpartition("|")
            if not since or not n.isdigit():
                raise MalformedResponse(f"Go index feed: bad cursor {cursor[:80]!r}")
            seen = int(n)
        ask = min(MAX_INDEX, limit + seen)
        text = self.http.get_text(f"{self.url('golang_index')}/index", params={"since": since, "limit": ask},
                                  expect=_TEXT, conditional=False)
        if text is None:
            raise MalformedResponse("Go index: not found")
        lines = [ln for ln in text.splitlines() if ln.strip()]
        items: list[FeedItem] = []
        errors: list[str] = []
        skipped = 0
        last_ts, count = since, seen
        for ln in lines:
            try:
                entry = json.loads(ln)
            except (ValueError, RecursionError):
                errors.append(f"index line not JSON: {ln[:80]!r}")
                continue
            entry = as_dict(entry)
            path, ts = as_str(entry.get("Path")), as_str(entry.get("Timestamp"))
            if ts is None or path is None:
                errors.append(f"index entry without Path/Timestamp: {ln[:80]!r}")
                continue
            if skipped < seen and ts == since:
                skipped += 1
                continue
            if len(items) >= limit:
                break
            pkg, err = parse_name(path, Ecosystem.GOLANG)
            if err:
                errors.append(err)
            items.append(FeedItem(path, pkg, parse_time(ts), as_str(entry.get("Version")), "published", err))
            last_ts, count = (ts, count + 1) if ts == last_ts else (ts, 1)
        # a short answer is not the end (a mirror may cap `limit` lower): only one with nothing new is
        return FeedPage(tuple(items), f"{last_ts}|{count}", tuple(errors), not items)

    def popular(self, limit: int) -> PopularList:
        """Most depended-upon modules via ecosyste.ms (no download counts exist for Go)."""
        return self.ecosystems_popular("proxy.golang.org", "dependent_packages_count", limit, "dependent packages")


def parse_module(
    reg: BaseRegistry, pkg: PackageId, versions: list[str], latest: Any, version: str | None,
    gomod: str | None, site: Any, errors: list[str],
) -> PackageMetadata:
    """Combine proxy and pkg.go.dev answers into PackageMetadata.

    `created` and `latest_release` stay unknown: the proxy's `.info` `Time` is the commit time,
    which the author sets (a backdated commit would buy a years-long public life). The sweep
    fills both from the module index, whose timestamps the proxy stamps when it first serves a
    version; the commit time is kept in `extra` for analysts only.
    """
    with guard(f"Go {pkg}"):
        latest_d, site_d = as_dict(latest), as_dict(site)
        deprecated, requires, retracts = parse_gomod(gomod) if gomod is not None else (None, None, [])
        lic = [t for x in as_list(site_d.get("licenses")) for t in strs(as_dict(x).get("types"))]
        text, length = readme(as_dict(site_d.get("readme")).get("contents")) if site_d else (None, None)
        origin = nonempty(as_dict(latest_d.get("Origin")).get("URL"))
        extra: dict[str, str] = {"module": module_path(pkg)}
        commit_time = parse_time(latest_d.get("Time"))
        if commit_time is not None:
            extra["commit_time"] = commit_time.isoformat()
        if not versions:
            extra["pseudo_versions_only"] = "true"
        if errors:
            extra["errors"] = "; ".join(errors)[:500]
        return reg.record(
            pkg,
            readme=text,
            readme_length=length,
            latest_version=version,
            version_count=len(versions),
            repository_url=nonempty(site_d.get("repoUrl")) or origin,
            license=", ".join(dict.fromkeys(lic)) if site_d and "licenses" in site_d else None,
            dependency_count=requires,
            deprecated=(deprecated is not None) if gomod is not None else None,
            deprecation_message=deprecated,
            retracted=_retracted(version, retracts) if (gomod is not None and version) else None,
            extra=extra,
        )
