"""Go: proxy + pkg.go.dev mapping, go.mod deprecation/retraction, index feed with inclusive `since`."""

from __future__ import annotations

import json

import httpx
import pytest
from confuguard.registries.golang import GoRegistry, escape, module_path, parse_gomod
from fakeregistry import fixture_bytes, fixture_json, paged, routed

from confuguard.errors import MalformedResponse
from confuguard.names import parse
from confuguard.types import Ecosystem

PROXY = "proxy.golang.org/github.com/gorrilla/mux"
SITE = "pkg.go.dev/v1/module/github.com/gorrilla/mux"
INDEX = "index.golang.org/index"


def go(path: str):
    return parse(path, Ecosystem.GOLANG)


def full_routes() -> dict:
    def text(b: bytes):
        return lambda r: httpx.Response(200, content=b, headers={"Content-Type": "text/plain; charset=utf-8"})

    return {f"{PROXY}/@v/list": text(fixture_bytes("golang/list.txt")),
            f"{PROXY}/@latest": fixture_json("golang/latest.json"),
            f"{PROXY}/@v/v1.8.2.mod": text(fixture_bytes("golang/go.mod")),
            f"{PROXY}/@v/v1.7.4.info": fixture_json("golang/first.json"),
            SITE: fixture_json("golang/module.json")}


def test_module_mapping() -> None:
    m = GoRegistry(routed(full_routes())).metadata(go("github.com/gorrilla/mux"))
    assert (m.latest_version, m.version_count, m.dependency_count) == ("v1.8.2", 3, 3)
    # the proxy's .info Time is the commit time, which the author sets: never an age (the sweep uses the index)
    assert m.created is None and m.latest_release is None
    assert m.extra["commit_time"] == "2026-09-20T03:09:58+00:00"
    assert m.repository_url == "https://github.com/gorrilla/mux" and m.license == "BSD-3-Clause"
    assert m.readme == "# mux\nA router — ünïcode ✓"
    assert m.deprecated is True and m.deprecation_message == "use github.com/gorilla/mux instead."
    assert m.retracted is True  # v1.8.2 retracts itself
    assert m.maintainers is None and m.downloads is None


def test_pseudo_versions_only_and_no_pkgsite() -> None:
    routes = full_routes()
    routes[f"{PROXY}/@v/list"] = lambda r: httpx.Response(200, content=b"", headers={"Content-Type": "text/plain"})
    routes[f"{PROXY}/@latest"] = {"Version": "v0.0.0-20260920031201-0c1d2e3f4a5b", "Time": "2026-09-20T03:12:01Z"}
    del routes[SITE]
    m = GoRegistry(routed(routes)).metadata(go("github.com/gorrilla/mux"))
    assert m.version_count == 0 and m.extra["pseudo_versions_only"] == "true"
    assert m.latest_version.startswith("v0.0.0-") and m.license is None and m.readme is None
    assert m.deprecated is None and m.retracted is None  # that go.mod was not served


def test_not_found_410_and_module_paths() -> None:
    http = routed({f"{PROXY}/@v/list": lambda r: httpx.Response(410, text="not found: gone")})
    assert GoRegistry(http).metadata(go("github.com/gorrilla/mux")) is None
    assert module_path(go("github.com/acme/widget/v2/sub")) == "github.com/acme/widget/v2"
    assert module_path(go("github.com/acme/widget/sub/pkg")) == "github.com/acme/widget"
    assert escape("github.com/BurntSushi/toml") == "github.com/!burnt!sushi/toml"


def test_parse_gomod() -> None:
    assert parse_gomod("module x // Deprecated: gone\nrequire a v1\n") == ("gone", 1, [])
    assert parse_gomod("module x\n") == (None, 0, [])


def _index(rows):
    def handler(request: httpx.Request) -> httpx.Response:
        since, limit = request.url.params["since"], int(request.url.params["limit"])
        hits = [r for r in rows if r["Timestamp"] >= since][:limit]  # inclusive
        return httpx.Response(200, content="".join(json.dumps(r) + "\n" for r in hits).encode(),
                              headers={"Content-Type": "application/json"})

    return handler


def test_index_inclusive_since_never_repeats_or_skips() -> None:
    stamps = ["2026-09-20T00:00:01.000000001Z"] * 4 + ["2026-09-20T00:00:02Z"] + ["2026-09-20T00:00:03Z"] * 3
    rows = [{"Path": f"example.com/m{i}", "Version": "v1.0.0", "Timestamp": t} for i, t in enumerate(stamps)]
    reg = GoRegistry(routed({INDEX: _index(rows)}))
    for limit in (1, 2, 3, 5):
        cursor, seen = "2026-09-20T00:00:00Z|0", []
        for _ in range(30):
            page = reg.feed(cursor, limit=limit)
            assert len(page.items) <= limit
            seen += [i.name for i in page.items]
            cursor = page.next_cursor
            if page.exhausted:
                break
        assert seen == [r["Path"] for r in rows], limit
        assert reg.feed(cursor, limit=limit).items == ()


def test_index_fixture_and_bad_lines() -> None:
    body = fixture_bytes("golang/index.ndjson") + b"not json\n{\"Path\": 1}\n"
    http = routed({INDEX: lambda r: httpx.Response(200, content=body, headers={"Content-Type": "application/json"})})
    page = GoRegistry(http).feed("2026-09-20T00:00:00Z|0", limit=100)
    assert [i.name for i in page.items] == ["github.com/gorrilla/mux", "github.com/acme/widget/v2"]
    assert page.items[1].version.startswith("v2.0.0-") and len(page.errors) == 2
    assert page.next_cursor == "2026-09-20T03:12:09.004512Z|1"
    with pytest.raises(MalformedResponse):
        GoRegistry(http).feed("no-separator")


def test_popular_via_ecosystems() -> None:
    rows = [{"name": "github.com/stretchr/testify", "dependent_packages_count": 5}]
    url = "packages.ecosyste.ms/api/v1/registries/proxy.golang.org/packages"
    plist = GoRegistry(routed({url: paged(rows)})).popular(3)
    assert [(e.name, e.popularity) for e in plist.entries] == [("github.com/stretchr/testify", 5.0)]
    with pytest.raises(MalformedResponse):
        GoRegistry(routed({url: {"not": "a list"}})).popular(3)
