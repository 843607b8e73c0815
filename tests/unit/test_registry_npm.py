"""npm: packument mapping, security holding, unpublished, downloads, `_changes` paging, download-counts."""

from __future__ import annotations

import io
import json
import tarfile

import httpx
import pytest
from confuguard.registries._parse import README_LIMIT
from confuguard.registries.npm import NpmRegistry, registry_path
from fakeregistry import fixture_json, routed

from confuguard.errors import MalformedResponse, RateLimited
from confuguard.names import parse
from confuguard.types import Ecosystem

REG = "registry.npmjs.org"
DL = "api.npmjs.org/downloads/point/last-month"


def npm(name: str):
    return parse(name, Ecosystem.NPM)


def test_packument_mapping() -> None:
    http = routed({f"{REG}/colorlog-utils": fixture_json("npm/colorlog-utils.json"),
                   f"{DL}/colorlog-utils": fixture_json("npm/downloads.json")})
    m = NpmRegistry(http).metadata(npm("colorlog-utils"))
    assert m is not None and m.source == "live" and m.fetched_at is not None
    assert m.summary == "Tiny helpers for coloured console logs"
    assert m.readme == "# colorlog-utils\nColours for logs." and m.readme_length == len(m.readme)
    assert m.maintainers == ("devuser1",)
    assert m.created.isoformat() == "2026-09-19T21:04:11.600000+00:00"  # first served version, not the name
    assert m.latest_release.isoformat() == "2026-09-20T07:30:01.774000+00:00"
    assert (m.latest_version, m.version_count, m.dependency_count) == ("1.0.2", 2, 1)
    assert (m.downloads, m.downloads_window) == (48213, "last-month")
    assert m.repository_url == "git+https://github.com/example/colorlog-utils.git"
    assert m.homepage_url == "https://github.com/example/colorlog-utils#readme"
    assert m.license == "MIT"
    assert m.deprecated is True and m.deprecation_message == "no longer maintained"
    assert m.install_scripts is True and m.security_holding is False


def test_scoped_name_is_encoded() -> None:
    assert registry_path(npm("@acme/loader")) == "@acme%2Floader"
    doc = {**fixture_json("npm/colorlog-utils.json"), "name": "@acme/loader"}
    http = routed({f"{REG}/@acme%2Floader": doc})
    m = NpmRegistry(http).metadata(npm("@acme/loader"))
    assert m is not None and m.package.namespace == "acme"
    assert m.downloads is None and "downloads" not in m.extra.get("errors", "")  # 404 -> unknown


def test_security_holding_package() -> None:
    http = routed({f"{REG}/expresss": fixture_json("npm/security-holding.json")})
    m = NpmRegistry(http).metadata(npm("expresss"))
    assert m.security_holding is True and m.latest_version == "0.0.1-security"
    assert m.repository_url == "npm/security-holder" and m.license is None and m.readme == ""
    assert m.readme_length == 0


def test_unpublished_package() -> None:
    http = routed({f"{REG}/reactt-dom": fixture_json("npm/unpublished.json")})
    m = NpmRegistry(http).metadata(npm("reactt-dom"))
    assert m.extra["unpublished"] == "2026-09-19T10:00:00.000Z"
    assert m.version_count == 0 and m.latest_version is None and m.maintainers is None
    assert m.deprecated is None and m.dependency_count is None
    # it serves nothing: no age, so a removal never reads as a long public life (the name's date is kept aside)
    assert m.created is None and m.extra["name_created"] == "2026-09-18T10:00:00.000Z"


def test_missing_and_null_fields() -> None:
    doc = {"name": "bare", "description": None, "dist-tags": {"latest": "1.0.0"},
           "versions": {"1.0.0": {"license": {"type": "ISC"}}}, "time": None, "maintainers": None,
           "repository": None, "license": None}
    m = NpmRegistry(routed({f"{REG}/bare": doc})).metadata(npm("bare"))
    assert m.summary is None and m.readme is None and m.created is None and m.maintainers is None
    assert m.dependency_count == 0 and m.install_scripts is False and m.deprecated is False
    assert m.license is None  # top-level null wins over the version's object


def test_unicode_and_huge_readme() -> None:
    text = "# ünïcødé 🚀\n" + "x" * (README_LIMIT * 2)
    doc = {**fixture_json("npm/colorlog-utils.json"), "readme": text, "description": "日本語の説明"}
    m = NpmRegistry(routed({f"{REG}/colorlog-utils": doc})).metadata(npm("colorlog-utils"))
    assert m.summary == "日本語の説明"
    assert len(m.readme) == README_LIMIT and m.readme_length == len(text)


def test_not_found_is_none_and_downloads_rate_limit_is_soft() -> None:
    assert NpmRegistry(routed({})).metadata(npm("nothing-here")) is None
    http = routed({f"{REG}/colorlog-utils": fixture_json("npm/colorlog-utils.json"),
                   f"{DL}/colorlog-utils": lambda r: httpx.Response(429, headers={"Retry-After": "1"})})
    m = NpmRegistry(http).metadata(npm("colorlog-utils"))
    assert m.downloads is None and "rate limited" in m.extra["errors"]


def test_packument_rate_limit_raises() -> None:
    http = routed({f"{REG}/colorlog-utils": lambda r: httpx.Response(429, headers={"Retry-After": "1"})})
    with pytest.raises(RateLimited):
        NpmRegistry(http).metadata(npm("colorlog-utils"))


def test_non_object_packument_is_malformed() -> None:
    with pytest.raises(MalformedResponse):
        NpmRegistry(routed({f"{REG}/x": [1, 2]})).metadata(npm("x"))


def test_changes_page() -> None:
    http = routed({"replicate.npmjs.com/registry/_changes": fixture_json("npm/changes.json")})
    page = NpmRegistry(http).feed("91450020", limit=10)
    assert [i.name for i in page.items] == ["colorlog-utils", "@acme/loader", "Bad Name!", "reactt-dom"]
    assert page.items[-1].action == "deleted" and page.items[0].action == "change"
    assert page.items[2].package is None and page.items[2].error and len(page.errors) == 1
    # a short page is not the end (mirrors cap `limit` lower): only an empty page or a still last_seq is
    assert page.next_cursor == "91450027" and page.exhausted is False
    assert http.requests[0].url.params["since"] == "91450020"


def test_changes_since_is_exclusive_across_pages() -> None:
    rows = [{"seq": s, "id": f"p{s}", "changes": []} for s in range(1, 8)]

    def changes(request: httpx.Request) -> httpx.Response:
        since, limit = int(request.url.params["since"]), int(request.url.params["limit"])
        page = [r for r in rows if r["seq"] > since][:limit]
        return httpx.Response(200, json={"results": page, "last_seq": page[-1]["seq"] if page else since})

    reg = NpmRegistry(routed({"replicate.npmjs.com/registry/_changes": changes,
                              "replicate.npmjs.com/": {"update_seq": 7}}))
    seen, cursor = [], "0"
    for _ in range(5):
        page = reg.feed(cursor, limit=3)
        seen += [i.name for i in page.items]
        cursor = page.next_cursor
        if page.exhausted:
            break
    assert seen == [f"p{s}" for s in range(1, 8)]
    first = reg.feed(None, limit=2)  # None starts `limit` changes before the head
    assert [i.name for i in first.items] == ["p6", "p7"]


def test_changes_malformed() -> None:
    with pytest.raises(MalformedResponse):
        NpmRegistry(routed({"replicate.npmjs.com/registry/_changes": {"nope": 1}})).feed("1")


def _tgz(counts: dict) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        data = json.dumps(counts).encode()
        info = tarfile.TarInfo("package/counts.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def test_popular_from_download_counts() -> None:
    body = _tgz({"b": 5, "a": 9, "c": 5, "bad": "x"})
    http = routed({
        f"{REG}/download-counts/latest": {"version": "1.0.1", "dist": {"tarball": f"https://{REG}/download-counts/-/download-counts-1.0.1.tgz"}},
        f"{REG}/download-counts/-/download-counts-1.0.1.tgz": lambda r: httpx.Response(200, content=body),
    })
    plist = NpmRegistry(http).popular(2)
    assert [(e.name, e.rank, e.popularity) for e in plist.entries] == [("a", 1, 9.0), ("b", 2, 5.0)]
    assert "download-counts (1.0.1)" in plist.source


def test_popular_bad_tarball() -> None:
    http = routed({
        f"{REG}/download-counts/latest": {"dist": {"tarball": f"https://{REG}/download-counts/-/x.tgz"}},
        f"{REG}/download-counts/-/x.tgz": lambda r: httpx.Response(200, content=b"\x1f\x8b garbage"),
    })
    with pytest.raises(MalformedResponse):
        NpmRegistry(http).popular(5)


def test_age_is_that_of_the_served_versions_not_of_a_reused_name() -> None:
    """A name unpublished years ago and registered again keeps `time.created`; its age is its versions'."""
    doc = fixture_json("npm/colorlog-utils.json")
    doc["time"] = {"created": "2015-01-01T00:00:00.000Z", "modified": "2026-09-20T07:30:02.001Z",
                   "0.9.0": "2015-01-01T00:00:00.000Z", "1.0.2": "2026-09-20T07:30:01.774Z"}
    m = NpmRegistry(routed({"registry.npmjs.org/colorlog-utils": doc})).metadata(parse("colorlog-utils", Ecosystem.NPM))
    assert m.created.isoformat().startswith("2026-09-20T07:30:01")
    del doc["time"]["1.0.2"]
    m = NpmRegistry(routed({"registry.npmjs.org/colorlog-utils": doc})).metadata(parse("colorlog-utils", Ecosystem.NPM))
    assert m.created.year == 2015  # no served version dated: the registry's created stamp
