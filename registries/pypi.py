"""PyPI: the JSON API, the XML-RPC changelog (RSS fallback) and hugovk's top-pypi-packages.

Keys of `base_urls`: `pypi`, `pypi_top`.
"""

from __future__ import annotations

import hashlib
import re
import xmlrpc.client
from dataclasses import replace
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar
from urllib.parse import quote, urlsplit

from confuguard import names
from confuguard.errors import MalformedResponse, RateLimited, RegistryError
from confuguard.protocols import (
    DEFAULT_FEED_LIMIT,
    FeedItem,
    FeedPage,
    PopularEntry,
    PopularList,
    since_cursor,
)
from confuguard.types import Ecosystem, PackageId, PackageMetadata

from ._base import BaseRegistry, error_line, parse_since
from ._parse import (
    as_bool,
    as_dict,
    as_int,
    as_list,
    as_str,
    child_text,
    children,
    guard,
    nonempty,
    parse_name,
    parse_time,
    readme,
    strs,
    xml_root,
)
from ._sdist import HOOK, SDIST_MAX_BYTES, install_behaviour, read_setup_py

_EXTRA = re.compile(r"extra\s*==")
_REPO_KEYS = ("source", "source code", "repository", "code", "github", "sourcecode", "git")
_EMAIL_NAME = re.compile(r"^\s*\"?([^<\"]+?)\"?\s*<")
RSS_PREFIX = "rss:"
"""Cursor prefix of older versions' RSS fallback (read as `since:`)."""
SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
FILES_HOST = "files.pythonhosted.org"
#: The whole sdist download (retries included) must finish within this many seconds.
SDIST_SECONDS = 20.0


class PyPIRegistry(BaseRegistry):
    """pypi.org."""

    ecosystem: ClassVar[Ecosystem] = Ecosystem.PYPI

    def metadata(self, pkg: PackageId) -> PackageMetadata | None:
        """`/pypi/{name}/json` mapped into PackageMetadata (PyPI publishes no download counts)."""
        name = quote(names.pep503(pkg.name), safe="")
        doc = self.http.get_json(f"{self.url('pypi')}/pypi/{name}/json")
        errors: list[str] = []
        simple = self.best_effort(
            lambda: self.http.get_json(f"{self.url('pypi')}/simple/{name}/", headers={"Accept": SIMPLE_JSON}),
            errors,
            "simple",
        )
        if doc is None:  # quarantined projects leave the JSON API but keep a Simple page with their status
            return None if not isinstance(simple, dict) else parse_simple_only(self, pkg, simple)
        meta = parse_project(self, pkg, doc, simple, errors)
        if self.fetch.sdist:
            meta = self.with_sdist(meta, doc)
        owners = _owners(doc)
        return self.with_account(meta, owners[0] if owners else None, self._user_packages)

    def with_sdist(self, meta: PackageMetadata, doc: dict[str, Any]) -> PackageMetadata:
        """`meta` with what the latest release's setup.py does at install (`install_behaviour`, and
        `install_scripts` when it is a hook), read from its sdist: one download of at most SDIST_MAX_BYTES
        within SDIST_SECONDS, checked against the sha256 the record gives, read in memory. Only a source-only
        release is read (a wheel installs without running setup.py); the reason it was not read, or what was
        read, goes to `extra["install_hook"]`."""
        files = [as_dict(f) for f in _latest_files(doc)]
        sdist = next((f for f in files if f.get("packagetype") == "sdist"), None)
        behaviour: tuple[str, ...] | None = None
        if sdist is None:
            note = "not read: the release has no sdist"
        elif any(f.get("packagetype") == "bdist_wheel" for f in files):
            note = "not read: the release has wheels, which install without running setup.py"
        else:
            behaviour, note = self._read_sdist(sdist)
        extra = {**meta.extra, "install_hook": note[:300]}
        if behaviour is None:
            return replace(meta, extra=extra)
        return replace(meta, install_behaviour=behaviour, install_scripts=bool(HOOK.intersection(behaviour)), extra=extra)

    def _read_sdist(self, sdist: dict[str, Any]) -> tuple[tuple[str, ...] | None, str]:
        filename, url, size = as_str(sdist.get("filename")) or "", as_str(sdist.get("url")) or "", as_int(sdist.get("size"))
        want = as_str(as_dict(sdist.get("digests")).get("sha256"))
        if size is None or size > SDIST_MAX_BYTES:
            return None, f"not read: the sdist is {'of unknown size' if size is None else f'{size} bytes'} (cap {SDIST_MAX_BYTES})"
        if not self._file_host(url):
            return None, "not read: the sdist is served from a host other than the registry's"
        try:
            r = self.http.request("GET", url, max_bytes=SDIST_MAX_BYTES, deadline=SDIST_SECONDS)
            if r is None:
                return None, "not read: the sdist is gone (HTTP 404)"
            if want and hashlib.sha256(r.body).hexdigest() != want.lower():
                return None, "not read: the download does not match the sha256 the registry gives"
            behaviour = install_behaviour(read_setup_py(r.body, filename))
        except RegistryError as exc:
            return None, f"not read: {error_line(exc)}"
        words = ", ".join(behaviour) if behaviour else "none of: install command override, commands, downloads, exec"
        return behaviour, f"read setup.py of {filename[:80]}: {words}"

    def _file_host(self, url: str) -> bool:
        """The sdist URL is PyPI's file host over https, or the configured registry's own host (a mirror)."""
        u, base = urlsplit(url), urlsplit(self.url("pypi"))
        return (u.scheme == "https" and u.hostname == FILES_HOST) or (
            u.scheme == base.scheme and u.netloc == base.netloc and bool(u.netloc))

    def _user_packages(self, user: str) -> int | None:
        """How many projects a PyPI account holds a role on (XML-RPC `user_packages`, one request)."""
        rows = self._xmlrpc("user_packages", user)
        if not isinstance(rows, list):
            raise MalformedResponse("PyPI user_packages: expected an array")
        return len({str(r[1]).lower() for r in rows if isinstance(r, list | tuple) and len(r) >= 2})

    # -- feed ------------------------------------------------------------------------------

    def feed(self, cursor: str | None, *, limit: int = DEFAULT_FEED_LIMIT) -> FeedPage:
        """Journal rows after serial `cursor` (XML-RPC); one page of the RSS feed when XML-RPC fails.

        Cursors are serials (digits), or `since:<time>[|serial]` (a start by time, resolved to a
        serial by probing the changelog; rows stamped before the time are skipped). Paging ends on
        an empty answer, never on a short one: servers and mirrors cap rows below `limit`.
        The RSS fallback is a one-run stopgap: it returns the cursor it was given (a legacy
        `rss:<time>` one becomes `since:<time>`), so the next run reads the changelog again
        from the same place and nothing the lossy RSS feed missed is lost.
        """
        limit = max(1, limit)
        if cursor is not None and cursor.startswith(RSS_PREFIX):  # stored by older versions
            when = parse_time(cursor[len(RSS_PREFIX):])
            cursor = since_cursor(when) if when is not None else None
        window = parse_since(cursor)
        try:
            if window is not None:
                since = self._serial_before(window[0], as_int(window[1]))
            else:
                since = int(cursor) if cursor is not None else max(0, self._last_serial() - limit)
            rows = self._xmlrpc("changelog_since_serial", since)
        except RateLimited:
            raise
        except RegistryError as exc:
            page = self._rss_page(window[0] if window else None)
            next_cursor = cursor if cursor is not None else page.next_cursor
            return FeedPage(page.items, next_cursor, (f"XML-RPC failed, used RSS: {error_line(exc)}", *page.errors), True)
        except ValueError as exc:
            raise MalformedResponse(f"PyPI feed: cursor {cursor!r} is not a serial") from exc
        if not isinstance(rows, list):
            raise MalformedResponse("PyPI changelog_since_serial: expected an array")
        items: list[FeedItem] = []
        errors: list[str] = []
        last = since
        for row in rows:
            if len(items) >= limit:
                break
            if not isinstance(row, list | tuple) or len(row) < 5 or as_int(row[4]) is None:
                errors.append(f"after serial {last}: malformed journal row {str(row)[:80]!r}")
                continue
            name, version, ts, action, serial = row[:5]
            last = max(last, as_int(serial) or last)
            when = parse_time(ts)
            if window is not None and when is not None and when < window[0]:
                continue  # before the requested start
            pkg, err = parse_name(name, Ecosystem.PYPI)
            if err:
                errors.append(f"serial {serial}: {err}")
            items.append(FeedItem(str(name), pkg, when, as_str(version), as_str(action), err))
        if window is not None and not items and rows and last > since:
            return FeedPage((), since_cursor(window[0], str(last)), tuple(errors), False)  # still before the start
        return FeedPage(tuple(items), str(last), tuple(errors), not rows or last == since)

    def _last_serial(self) -> int:
        return int(self._xmlrpc("changelog_last_serial"))

    def _serial_before(self, when: datetime, hint: int | None) -> int:
        """A serial whose next journal row is stamped before `when` (or 0), found by galloping back from the head."""
        if hint is not None:
            return hint
        head = self._last_serial()
        step = 1000
        for _ in range(40):
            probe = max(0, head - step)
            rows = self._xmlrpc("changelog_since_serial", probe)
            first = next((r for r in rows if isinstance(r, list | tuple) and len(r) >= 5), None) if isinstance(rows, list) else None
            stamp = parse_time(first[2]) if first is not None else None
            if probe == 0 or (stamp is not None and stamp < when):
                return probe
            step *= 2
        return 0

    def _xmlrpc(self, method: str, *params: Any) -> Any:
        body = xmlrpc.client.dumps(params, method).encode("utf-8")
        r = self.http.request("POST", f"{self.url('pypi')}/pypi", content=body,
                              headers={"Content-Type": "text/xml"}, expect=("xml",), not_found=())
        assert r is not None
        root_check = r.body.lstrip()[:4096].upper()
        if b"<!DOCTYPE" in root_check or b"<!ENTITY" in r.body.upper():
            raise MalformedResponse("PyPI XML-RPC: DTDs are refused")
        try:
            result = xmlrpc.client.loads(r.body, use_builtin_types=True)[0]
        except xmlrpc.client.Fault as exc:
            raise RegistryError(f"PyPI XML-RPC {method} fault {exc.faultCode}: {error_line(Exception(exc.faultString))}") from exc
        except Exception as exc:  # expat, ResponseError, bad values: the body is not XML-RPC
            raise MalformedResponse(f"PyPI XML-RPC {method}: invalid response ({type(exc).__name__})") from exc
        if len(result) != 1:
            raise MalformedResponse(f"PyPI XML-RPC {method}: expected one value")
        value = result[0]
        if method == "changelog_last_serial" and as_int(value) is None:
            raise MalformedResponse("PyPI changelog_last_serial: not an integer")
        return value

    def _rss_page(self, after: datetime | None) -> FeedPage:
        """Newest projects from `/rss/packages.xml` published at or after `after`; the cursor is `since:<newest>`."""
        text = self.http.get_text(f"{self.url('pypi')}/rss/packages.xml", expect=("xml",))
        if text is None:
            raise MalformedResponse("PyPI RSS feed not found")
        root = xml_root(text, "PyPI RSS")
        items: list[FeedItem] = []
        errors: list[str] = []
        newest = after
        with guard("PyPI RSS"):
            for item in children(next(iter(children(root, "channel")), None), "item"):
                link = child_text(item, "link") or ""
                title = child_text(item, "title") or ""
                name = link.rstrip("/").rsplit("/", 1)[-1] if "/project/" in link else title.split(" ")[0]
                when = None
                pub = child_text(item, "pubDate")
                if pub:
                    try:
                        when = parsedate_to_datetime(pub)
                    except (TypeError, ValueError, IndexError):
                        errors.append(f"{name}: bad pubDate {pub[:40]!r}")
                if after is not None and when is not None and when < after:
                    continue
                pkg, err = parse_name(name, Ecosystem.PYPI)
                if err:
                    errors.append(err)
                items.append(FeedItem(name, pkg, when, None, "create", err))
                if when is not None and (newest is None or when > newest):
                    newest = when
        items.reverse()  # RSS is newest first; feeds are chronological
        return FeedPage(tuple(items), since_cursor(newest or self._now()), tuple(errors), True)

    # -- popular -----------------------------------------------------------------------------

    def popular(self, limit: int) -> PopularList:
        """Most downloaded projects (last 30 days) from hugovk's top-pypi-packages."""
        url = self.url("pypi_top")
        data = self.http.get_json(url, conditional=False, not_found=())  # a 404 says which URL is missing
        rows = as_dict(data).get("rows")
        if not isinstance(rows, list):
            raise MalformedResponse(f"{url}: expected top-pypi-packages JSON (an object with rows)")
        entries: list[PopularEntry] = []
        for row in rows:
            name = as_str(as_dict(row).get("project"))
            if name and len(entries) < limit:
                count = as_int(as_dict(row).get("download_count"))
                entries.append(PopularEntry(name, len(entries) + 1, None if count is None else float(count)))
        return PopularList(self.ecosystem, tuple(entries), url, date.today(), "downloads (last 30 days)")


def _latest_files(doc: dict[str, Any]) -> list[Any]:
    """The files of the latest release (`releases[version]`, else `urls`)."""
    version = as_str(as_dict(doc.get("info")).get("version"))
    files = as_list(as_dict(doc.get("releases")).get(version)) if version else []
    return files or as_list(doc.get("urls"))


def _owners(doc: dict[str, Any]) -> tuple[str, ...]:
    """The project's PyPI accounts, owners first (no organisation: it is not one person's account)."""
    roles = [as_dict(r) for r in as_list(as_dict(doc.get("ownership")).get("roles"))]
    roles.sort(key=lambda r: r.get("role") != "Owner")
    return strs([r.get("user") for r in roles]) or ()


def _maintainers(doc: dict[str, Any]) -> tuple[str, ...] | None:
    """The project's PyPI accounts (`ownership`: organisation and role holders); None when not given."""
    ownership = doc.get("ownership")
    if not isinstance(ownership, dict):
        return None
    users = strs([as_dict(r).get("user") for r in as_list(ownership.get("roles"))])
    org = nonempty(ownership.get("organization"))
    return ((f"org:{org}",) if org else ()) + users


def _authors(info: dict[str, Any]) -> str | None:
    """The free-text author / maintainer fields (anyone can write any name there: never a maintainer signal)."""
    people: list[str] = []
    for key in ("author", "maintainer"):
        if nonempty(info.get(key)):
            people.append(info[key].strip())
        elif nonempty(info.get(f"{key}_email")):
            m = _EMAIL_NAME.match(info[f"{key}_email"])
            people.append(m.group(1).strip() if m else info[f"{key}_email"].strip())
    return ", ".join(dict.fromkeys(people))[:200] or None


def _author_text(info: dict[str, Any]) -> str | None:
    """Every declared author/maintainer name and e-mail, as written (`UNKNOWN` and blanks dropped)."""
    parts = [v.strip() for k in ("author", "author_email", "maintainer", "maintainer_email")
             if (v := nonempty(info.get(k))) and v.strip().upper() != "UNKNOWN"]
    return ", ".join(dict.fromkeys(parts))[:300] or None


def _license(info: dict[str, Any]) -> str | None:
    for key in ("license_expression", "license"):
        text = nonempty(info.get(key))
        if text:
            return text.splitlines()[0][:200]
    for c in strs(info.get("classifiers")):
        if c.startswith("License ::"):
            return c.rsplit("::", 1)[-1].strip()
    return None


def _status(simple: Any) -> tuple[str | None, str | None]:
    """(PEP 792 project status, reason) from a Simple API JSON page."""
    status = as_dict(as_dict(simple).get("project-status"))
    return nonempty(status.get("status")), nonempty(status.get("reason"))


def parse_simple_only(reg: BaseRegistry, pkg: PackageId, simple: dict[str, Any]) -> PackageMetadata:
    """A minimal record from the Simple API alone (the JSON API no longer serves the project)."""
    with guard(f"PyPI {pkg} simple"):
        status, reason = _status(simple)
        versions = simple.get("versions")
        extra = {"json_api": "missing", "project_status": status or "unknown"}
        if reason:
            extra["project_status_reason"] = reason[:200]
        return reg.record(pkg, version_count=len(versions) if isinstance(versions, list) else None,
                          deprecated=True if status == "deprecated" else None, deprecation_message=reason
                          if status == "deprecated" else None, extra=extra)


def parse_project(
    reg: BaseRegistry, pkg: PackageId, doc: Any, simple: Any = None, errors: list[str] | None = None
) -> PackageMetadata:
    """Map a `/pypi/{name}/json` document (and the Simple page's project status) into PackageMetadata."""
    if not isinstance(doc, dict) or not isinstance(doc.get("info"), dict):
        raise MalformedResponse(f"PyPI {pkg}: expected an object with info")
    with guard(f"PyPI {pkg}"):
        info = doc["info"]
        releases = doc.get("releases")
        uploads = [
            t for files in as_dict(releases).values() for f in as_list(files)
            if (t := parse_time(as_dict(f).get("upload_time_iso_8601"))) is not None
        ]
        version = as_str(info.get("version"))
        latest_files = _latest_files(doc)
        latest_times = [t for f in latest_files if (t := parse_time(as_dict(f).get("upload_time_iso_8601")))]
        urls = {str(k).strip().lower(): v for k, v in as_dict(info.get("project_urls")).items() if nonempty(v)}
        repo = next((urls[k].strip() for k in _REPO_KEYS if k in urls), None)
        if repo is None:
            repo = next((v.strip() for v in urls.values() if any(h in v for h in ("github.com/", "gitlab.com/"))), None)
        homepage = nonempty(info.get("home_page")) or (urls["homepage"].strip() if "homepage" in urls else None)
        reqs = info.get("requires_dist")
        text, length = readme(info.get("description"))
        canonical = as_str(info.get("name"))
        extra: dict[str, str] = {}
        if canonical and names.pep503(canonical) != names.pep503(pkg.name):
            extra["canonical_name"] = canonical
        if as_int(doc.get("last_serial")) is not None:
            extra["last_serial"] = str(doc["last_serial"])
        if nonempty(info.get("yanked_reason")):
            extra["yanked_reason"] = info["yanked_reason"].strip()[:200]
        status, reason = _status(simple)
        if status:
            extra["project_status"] = status
            if reason:
                extra["project_status_reason"] = reason[:200]
        if authors := _authors(info):
            extra["authors"] = authors
        kinds = {as_str(as_dict(f).get("packagetype")) for f in latest_files} - {None}
        if errors:
            extra["errors"] = "; ".join(errors)[:500]
        return reg.record(
            pkg,
            summary=as_str(info.get("summary")),
            readme=text,
            readme_length=length,
            maintainers=_maintainers(doc),
            created=min(uploads) if uploads else None,
            latest_release=max(latest_times) if latest_times else None,
            latest_version=version,
            version_count=len(releases) if isinstance(releases, dict) else None,
            repository_url=repo,
            homepage_url=homepage,
            license=_license(info),
            dependency_count=sum(1 for r in reqs if isinstance(r, str) and not _EXTRA.search(r))
            if isinstance(reqs, list) else (0 if reqs is None and "requires_dist" in info else None),
            yanked=as_bool(info.get("yanked")),
            source_only=(kinds == {"sdist"}) if kinds else None,
            authors=_author_text(info),
            deprecated=(status == "deprecated") if status else None,
            deprecation_message=reason if status == "deprecated" else None,
            extra=extra,
        )
