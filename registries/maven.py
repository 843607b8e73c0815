"""Maven Central: maven-metadata.xml, POMs, the Solr search (also the feed) and ecosyste.ms rankings.

Keys of `base_urls`: `maven` (repository root, `.../maven2`), `maven_search` (Solr `select`), `ecosystems`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import quote

from confuguard.errors import MalformedResponse
from confuguard.protocols import DEFAULT_FEED_LIMIT, FeedItem, FeedPage, PopularList
from confuguard.types import Ecosystem, PackageId, PackageMetadata

from ._base import BaseRegistry, parse_since
from ._parse import (
    as_dict,
    as_int,
    as_list,
    as_str,
    child_text,
    children,
    guard,
    parse_name,
    xml_root,
)

_XML = ("xml", "text/plain", "octet-stream")
MAX_ROWS = 200


def _ms(value: Any) -> datetime | None:
    ms = as_int(value)
    if ms is None:
        return None
    try:
        return datetime.fromtimestamp(ms / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        return None


class MavenRegistry(BaseRegistry):
    """Maven Central (repo1 + central.sonatype.com search)."""

    ecosystem: ClassVar[Ecosystem] = Ecosystem.MAVEN

    def metadata(self, pkg: PackageId) -> PackageMetadata | None:
        """maven-metadata.xml (versions), the latest POM and the Solr GAV timestamps."""
        group, artifact = pkg.namespace or "", pkg.name
        base = f"{self.url('maven')}/{quote(group.replace('.', '/'))}/{quote(artifact)}"
        listing = self.http.get_text(f"{base}/maven-metadata.xml", expect=_XML)
        if listing is None:
            return None
        root = xml_root(listing, f"Maven {pkg} maven-metadata.xml")
        with guard(f"Maven {pkg} maven-metadata.xml"):
            versioning = next(iter(children(root, "versioning")), None)
            versions = [v.text.strip() for v in children(next(iter(children(versioning, "versions")), None), "version")
                        if v.text and v.text.strip()]
            latest = child_text(versioning, "release") or child_text(versioning, "latest") or (versions[-1] if versions else None)
            updated = child_text(versioning, "lastUpdated")
        errors: list[str] = []
        pom = None
        if latest:
            pom_url = f"{base}/{quote(latest)}/{quote(artifact)}-{quote(latest)}.pom"
            pom = self.best_effort(lambda: self.http.get_text(pom_url, expect=_XML), errors, "pom")
        parent_pom = self._parent_pom(pkg, pom, errors) if pom else None
        search = self.best_effort(
            lambda: self.http.get_json(
                self.url("maven_search"),
                params={"q": f"g:{group} AND a:{artifact}", "core": "gav", "rows": MAX_ROWS, "wt": "json"},
            ),
            errors,
            "search",
        )
        return parse_maven(self, pkg, versions, latest, updated, pom, search, errors, parent_pom)

    def _parent_pom(self, pkg: PackageId, pom: str, errors: list[str]) -> str | None:
        """The parent POM text when the POM names a parent and lacks an inheritable field (one level)."""
        try:
            fields = pom_fields(pom, f"Maven {pkg} POM")
        except MalformedResponse:
            return None
        parent = fields.get("parent")
        if not parent or not all(parent) or all(fields.get(k) is not None for k in INHERITED):
            return None
        g, a, v = parent
        url = f"{self.url('maven')}/{quote(g.replace('.', '/'))}/{quote(a)}/{quote(v)}/{quote(a)}-{quote(v)}.pom"
        return self.best_effort(lambda: self.http.get_text(url, expect=_XML), errors, "parent pom")

    def feed(self, cursor: str | None, *, limit: int = DEFAULT_FEED_LIMIT) -> FeedPage:
        """Artifacts versions by publish time, ascending, from Solr (`timestamp:[T TO *]`).

        Cursor: `<epoch ms>|<n>` = continue at timestamp T after the first n results stamped exactly T,
        so ties at a page boundary are neither repeated nor skipped.
        """
        limit = max(1, min(limit, MAX_ROWS))
        window = parse_since(cursor)
        if cursor is None or window is not None:
            start = window[0] if window is not None else self._now() - timedelta(days=1)
            ts, seen = int(start.timestamp() * 1000), 0
        else:
            parts = cursor.split("|")
            if len(parts) != 2 or as_int(parts[0]) is None or as_int(parts[1]) is None:
                raise MalformedResponse(f"Maven feed: bad cursor {cursor[:80]!r}")
            ts, seen = int(parts[0]), int(parts[1])
        data = self.http.get_json(
            self.url("maven_search"),
            params={"q": f"timestamp:[{ts} TO *]", "core": "gav", "sort": "timestamp asc,id asc",
                    "rows": limit, "start": seen, "wt": "json"},
            conditional=False,
        )
        docs = as_dict(as_dict(data).get("response")).get("docs")
        if not isinstance(docs, list):
            raise MalformedResponse("Maven search: expected response.docs")
        items: list[FeedItem] = []
        errors: list[str] = []
        next_ts, next_seen = ts, seen
        for doc in docs:
            doc = as_dict(doc)
            g, a, stamp = as_str(doc.get("g")), as_str(doc.get("a")), as_int(doc.get("timestamp"))
            if stamp is None:
                errors.append(f"search doc {str(doc.get('id'))[:80]!r} has no timestamp")
                continue
            if stamp == next_ts:
                next_seen += 1
            elif stamp > next_ts:
                next_ts, next_seen = stamp, 1
            name = f"{g}:{a}"
            pkg, err = parse_name(name, Ecosystem.MAVEN)
            if err:
                errors.append(err)
            items.append(FeedItem(name, pkg, _ms(stamp), as_str(doc.get("v")), "published", err))
        # a short answer is not the end (search mirrors cap `rows` lower): only one with nothing new is
        return FeedPage(tuple(items), f"{next_ts}|{next_seen}", tuple(errors), not items)

    def popular(self, limit: int) -> PopularList:
        """Most depended-upon artifacts via ecosyste.ms (Central publishes no download counts)."""
        return self.ecosystems_popular("repo1.maven.org", "dependent_repos_count", limit, "dependent repositories")


INHERITED = ("summary", "homepage", "repo", "license", "developers")
"""POM fields a child inherits from its parent when it does not set them."""


def pom_fields(pom: str, what: str) -> dict[str, Any]:
    """The facts of one POM: summary, name, homepage, repo, license, developers, deps, relocation, parent."""
    proj = xml_root(pom, what)
    out: dict[str, Any] = {}
    with guard(what):
        out["summary"] = child_text(proj, "description")
        out["name"] = child_text(proj, "name")
        out["homepage"] = child_text(proj, "url")
        out["repo"] = child_text(proj, "scm", "url")
        lic = [child_text(x, "name") for x in children(next(iter(children(proj, "licenses")), None), "license")]
        out["license"] = ", ".join(x for x in lic if x) or None
        devs = children(next(iter(children(proj, "developers")), None), "developer")
        out["developers"] = tuple(x for d in devs if (x := child_text(d, "name") or child_text(d, "id"))) or None
        out["deps"] = len(children(next(iter(children(proj, "dependencies")), None), "dependency"))
        dm = next(iter(children(proj, "distributionManagement")), None)
        reloc = next(iter(children(dm, "relocation")), None)
        if reloc is not None:
            out["relocation"] = (child_text(reloc, "groupId"), child_text(reloc, "artifactId"),
                                 child_text(reloc, "version"), child_text(reloc, "message"))
        parent = next(iter(children(proj, "parent")), None)
        if parent is not None:
            out["parent"] = (child_text(parent, "groupId"), child_text(parent, "artifactId"), child_text(parent, "version"))
    return out


def parse_maven(
    reg: BaseRegistry, pkg: PackageId, versions: list[str], latest: str | None, updated: str | None,
    pom: str | None, search: Any, errors: list[str], parent_pom: str | None = None,
) -> PackageMetadata:
    """Combine maven-metadata.xml facts, the POM (and its parent's) and Solr GAV docs into PackageMetadata."""
    extra: dict[str, str] = {}
    own = pom_fields(pom, f"Maven {pkg} POM") if pom else {}
    if parent_pom:
        inherited = pom_fields(parent_pom, f"Maven {pkg} parent POM")
        for key in INHERITED:
            if own.get(key) is None and inherited.get(key) is not None:
                own[key] = inherited[key]
                extra.setdefault("inherited", "")
                extra["inherited"] = ",".join(x for x in (extra["inherited"], key) if x)
    if own.get("name"):
        extra["name"] = own["name"]
    relocated = None
    if "relocation" in own:
        g, a, v, message = own["relocation"]
        relocated = ":".join(x for x in (g or pkg.namespace, a or pkg.name, v) if x)
        if message:
            extra["relocation_message"] = message[:200]
    if "parent" in own:
        extra["parent"] = ":".join(x for x in own["parent"] if x)
    summary, repo, homepage, license_ = own.get("summary"), own.get("repo"), own.get("homepage"), own.get("license")
    if own.get("developers"):  # free text in the POM: a record of who says they wrote it, not of accounts
        extra["developers"] = ", ".join(own["developers"])[:200]
    deps: int | None = own.get("deps")
    stamps = [t for d in as_list(as_dict(as_dict(search).get("response")).get("docs")) if (t := _ms(as_dict(d).get("timestamp")))]
    latest_time = None
    with guard(f"Maven {pkg} search"):
        for d in as_list(as_dict(as_dict(search).get("response")).get("docs")):
            if as_dict(d).get("v") == latest:
                latest_time = _ms(as_dict(d).get("timestamp"))
    if updated:  # written by the publisher's deploy tooling: shown to analysts, never used as a date
        extra["last_updated"] = updated[:40]
    if errors:
        extra["errors"] = "; ".join(errors)[:500]
    return reg.record(
        pkg,
        summary=summary,
        created=min(stamps) if stamps else None,
        latest_release=latest_time,
        latest_version=latest,
        version_count=len(versions),
        repository_url=repo,
        homepage_url=homepage,
        license=license_,
        dependency_count=deps,
        relocated_to=relocated,
        extra=extra,
    )

